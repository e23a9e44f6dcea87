// The scheduled program (lower_schedule.cpp) built with the simulator's NpuProgramBuilder.
#include "emit/npu/lower.h"

#include "emit/npu/lower_reorder.h"
#include "ir/error.h"
#include "sim/program_builder.h"

namespace axon {

namespace {

HbmKind hbm_kind(NpuTensorKind k) {
  switch (k) {
  case NpuTensorKind::Input:
    return HbmKind::Input;
  case NpuTensorKind::Output:
    return HbmKind::Output;
  case NpuTensorKind::Scratch:
    break;
  }
  return HbmKind::Scratch;
}

Tile view_tile(const NpuProgramBuilder& b, const NpuView& v) {
  std::vector<ApDim> ap;
  for (auto& [stride, count] : v.ap)
    ap.push_back({stride, count});
  if (v.hbm)
    return b.hbm(NpuTensorId{v.object}, v.offset, {v.pstride, v.np}, ap);
  return b.tile(NpuBufferId{v.object}, v.p0, v.np, v.offset, ap);
}

NpuProgram build(const IndexProgram& p, const NpuPlan& plan, const NpuOps& ops, const Isa& isa,
                 const std::string& name) {
  NpuProgramBuilder b(isa, name);
  for (auto& t : ops.tensors)
    b.tensor(t.name, t.dtype, t.shape, hbm_kind(t.kind));
  for (auto& buf : ops.buffers)
    b.buffer(buf.name, buf.memory, buf.dtype, buf.size);
  for (auto& op : ops.ops) {
    auto x = b.instr(op.instr, op.engine);
    x.name(op.name);
    if (const Engine* e = isa.find_engine(op.engine); e && e->queues > 1)
      x.queue(op.queue);
    for (auto& [slot, v] : op.operands)
      x.operand(slot, view_tile(b, v));
    for (auto& [slot, v] : op.vector_tiles)
      x.vector(slot, view_tile(b, v));
    for (auto& [slot, v] : op.vector_immediates)
      x.vector(slot, v);
    for (auto& [slot, v] : op.reals)
      x.real(slot, v);
    for (auto& [slot, v] : op.integers)
      x.integer(slot, v);
    for (auto& [slot, v] : op.choices)
      x.choice(slot, v);
    for (auto& [slot, v] : op.flags)
      x.flag(slot, v);
  }
  NpuBuildResult r = b.build();
  if (!r.ok())
    internal_error("NPU plan lowered to an illegal program (" + name + "):\n" +
                   npu_plan_text(p, plan) + r.message());
  return std::move(*r.program);
}

} // namespace

NpuProgram lower_npu_plan(const IndexProgram& p, const NpuPlan& plan, const NpuCovers& covers,
                          const Isa& isa, const std::string& name) {
  NpuOps ops = schedule_npu_plan(p, plan, covers, isa);
  NpuProgram prog = build(p, plan, ops, isa, name);
  // Issue order: the loops' order reordered by the hazards and the simulator's costs.
  std::vector<size_t> order = npu_issue_order(prog);
  AXON_CHECK(order.size() == ops.ops.size(), "npu lowering: the issue order lost instructions");
  bool same = true;
  for (size_t i = 0; i < order.size() && same; ++i)
    same = order[i] == i;
  if (same)
    return prog;
  std::vector<NpuOp> reordered;
  reordered.reserve(order.size());
  for (size_t i : order)
    reordered.push_back(std::move(ops.ops[i]));
  ops.ops = std::move(reordered);
  return build(p, plan, ops, isa, name);
}

std::string npu_plan_legality(const IndexProgram& p, const NpuPlan& plan, const NpuCovers& covers,
                              const Isa& isa) {
  return check_npu_plan(p, plan, covers, isa);
}

} // namespace axon
