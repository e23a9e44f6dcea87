// Data movement found from the instructions' semantics (see lower_movement.h).
#include "emit/npu/lower_movement.h"

#include <algorithm>
#include <vector>

#include "ir/error.h"

namespace axon {

namespace {

enum class Shape { Identity, Transpose, Broadcast, Other };

// What the single statement of `instr` (without enum or flag parameters) does with its one input:
// the out operand read back at the same indices, at swapped ones, or at the free index only.
Shape shape_of(const Instruction& instr, std::string* in, std::string* out) {
  if (all_param_choices(instr).size() != 1 || instr.semantics.size() != 1)
    return Shape::Other;
  IndexProgram sem = instruction_semantics(instr, {});
  if (sem.stmts().size() != 1)
    return Shape::Other;
  const IndexStmt& s = sem.stmts()[0];
  const Expr& v = s.value;
  if (v->kind() != ExprKind::Access)
    return Shape::Other;
  const OperandSpec* src = instr.find_operand(v->name());
  if (!src || src->role != OperandRole::In)
    return Shape::Other;
  std::vector<std::string> idx;
  for (auto& a : v->args()) {
    if (a->kind() != ExprKind::IndexVar)
      return Shape::Other;
    idx.push_back(a->name());
  }
  *in = v->name();
  *out = s.out;
  if (idx == s.vars)
    return Shape::Identity;
  if (s.vars.size() == 2 && idx == std::vector<std::string>{s.vars[1], s.vars[0]})
    return Shape::Transpose;
  if (s.vars.size() == 2 && idx == std::vector<std::string>{s.vars[1]})
    return Shape::Broadcast;
  return Shape::Other;
}

bool may_live(const OperandSpec* o, const std::string& memory) {
  return o && std::find(o->memories.begin(), o->memories.end(), memory) != o->memories.end();
}

// The first engine of `instr` that may read `from` and write `to`.
std::string engine_for(const Isa& isa, const Instruction& instr, const std::string& from,
                       const std::string& to) {
  for (auto& e : instr.engines)
    if (isa.can_read(e, from) && isa.can_write(e, to))
      return e;
  return "";
}

} // namespace

NpuMovement find_movement(const Isa& isa) {
  NpuMovement m;
  for (auto& mem : isa.memories) {
    if (mem.kind == MemoryKind::Dram && m.mem.hbm.empty())
      m.mem.hbm = mem.name;
    if (mem.kind == MemoryKind::Sram && mem.partitions > 1 && m.mem.sbuf.empty()) {
      m.mem.sbuf = mem.name;
      m.mem.partitions = mem.partitions;
    }
    if (mem.kind == MemoryKind::Accumulator && m.mem.psum.empty())
      m.mem.psum = mem.name;
  }
  if (m.mem.hbm.empty() || m.mem.sbuf.empty())
    user_error(isa.path + ": /memories: the NPU backend needs a device memory (kind dram) and a "
                          "partitioned working memory (kind sram)");
  for (const Instruction& instr : isa.instructions) {
    std::string in, out;
    Shape s = shape_of(instr, &in, &out);
    const OperandSpec* src = instr.find_operand(in);
    const OperandSpec* dst = instr.find_operand(out);
    auto take = [&](std::string& name, std::string& engine, const std::string& from,
                    const std::string& to) {
      if (!name.empty() || !may_live(src, from) || !may_live(dst, to))
        return;
      std::string e = engine_for(isa, instr, from, to);
      if (e.empty())
        return;
      name = instr.name;
      engine = e;
    };
    if (s == Shape::Identity) {
      take(m.load, m.load_engine, m.mem.hbm, m.mem.sbuf);
      take(m.store, m.store_engine, m.mem.sbuf, m.mem.hbm);
      if (!m.mem.psum.empty())
        take(m.copy_out, m.copy_out_engine, m.mem.psum, m.mem.sbuf);
    } else if (s == Shape::Transpose && !m.mem.psum.empty()) {
      take(m.transpose, m.transpose_engine, m.mem.sbuf, m.mem.psum);
    } else if (s == Shape::Broadcast) {
      take(m.broadcast, m.broadcast_engine, m.mem.hbm, m.mem.sbuf);
    }
  }
  if (m.load.empty() || m.store.empty())
    user_error(isa.path +
               ": /instructions: the NPU backend needs an instruction whose semantics "
               "copies between " +
               m.mem.hbm + " and " + m.mem.sbuf + " (dst[p, f] = src[p, f]) both ways");
  if (const Engine* e = isa.find_engine(m.load_engine))
    m.queues = static_cast<int>(std::max<int64_t>(1, e->queues));
  return m;
}

} // namespace axon
