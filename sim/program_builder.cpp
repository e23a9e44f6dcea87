// The NPU program builder: records what a backend declares, in the in-memory form the loader
// produces, and leaves every legality judgement to the checkers.
#include "sim/program_builder.h"

#include <algorithm>

#include "sim/program_defined.h"
#include "sim/program_uses.h"

namespace axon {

std::string NpuBuildResult::message() const {
  if (diagnostics.empty())
    return "";
  const NpuDiagnostic& d = diagnostics.front();
  return (d.pointer.empty() ? "" : d.pointer + ": ") + d.message;
}

NpuProgramBuilder::NpuProgramBuilder(const Isa& isa, std::string name) : isa_(isa) {
  p_.isa = &isa;
  p_.name = std::move(name);
  p_.path = "<built>";
  for (const auto& m : isa.memories)
    if (m.kind == MemoryKind::Dram && p_.hbm_memory.empty())
      p_.hbm_memory = m.name;
}

void NpuProgramBuilder::note(const std::string& pointer, const std::string& message) {
  own_.push_back({pointer, message});
}

NpuTensorId NpuProgramBuilder::tensor(const std::string& name, DType dtype,
                                      std::vector<int64_t> shape, HbmKind kind) {
  p_.tensors.push_back({name, dtype, std::move(shape), kind});
  return {static_cast<int>(p_.tensors.size()) - 1};
}

NpuBufferId NpuProgramBuilder::buffer(const std::string& name, const std::string& memory,
                                      DType dtype, int64_t size, int64_t partitions,
                                      int64_t start_partition, std::optional<int64_t> offset) {
  Buffer b;
  b.name = name;
  b.memory = memory;
  b.dtype = dtype;
  b.size = size;
  b.start_partition = start_partition;
  const MemoryLevel* m = isa_.find_memory(memory);
  b.partitions = partitions > 0 ? partitions : (m ? m->partitions : 1);
  // Placement as the loader's (sim/program_parse.cpp): after the end of the previous buffers of
  // the memory, bank-aligned in a banked memory.
  int64_t bump = 0;
  for (const auto& o : p_.buffers)
    if (o.memory == memory)
      bump = std::max(bump, o.offset + o.size * dtype_bytes(o.dtype));
  if (offset) {
    b.offset = *offset;
  } else {
    if (m && m->bank_bytes > 0)
      bump = (bump + m->bank_bytes - 1) / m->bank_bytes * m->bank_bytes;
    b.offset = bump;
  }
  p_.buffers.push_back(b);
  return {static_cast<int>(p_.buffers.size()) - 1};
}

Tile NpuProgramBuilder::hbm(NpuTensorId t, int64_t offset, ApDim partition,
                            std::vector<ApDim> free) const {
  Tile x;
  x.in_hbm = true;
  x.object = t.index;
  x.offset = offset;
  x.pstride = partition.stride;
  x.np = partition.count;
  x.ap = free.empty() ? std::vector<ApDim>{{1, 1}} : std::move(free);
  return x;
}

Tile NpuProgramBuilder::rows(NpuTensorId t, int64_t row0, int64_t nrows, int64_t col0,
                             int64_t ncols) const {
  int64_t row = 1;
  if (t.index >= 0 && t.index < static_cast<int>(p_.tensors.size())) {
    const auto& shape = p_.tensors[t.index].shape;
    for (size_t d = 1; d < shape.size(); ++d)
      row *= shape[d];
  }
  if (ncols < 0)
    ncols = row - col0;
  return hbm(t, row0 * row + col0, {row, nrows}, {{1, ncols}});
}

Tile NpuProgramBuilder::tile(NpuBufferId b, int64_t p0, int64_t np, int64_t offset,
                             int64_t n) const {
  const Buffer* buf = b.index >= 0 && b.index < static_cast<int>(p_.buffers.size())
                          ? &p_.buffers[b.index]
                          : nullptr;
  if (np < 0)
    np = (buf ? buf->partitions : 1) - p0;
  if (n < 0)
    n = (buf ? buf->size : 1) - offset;
  return tile(b, p0, np, offset, std::vector<ApDim>{{1, n}});
}

Tile NpuProgramBuilder::tile(NpuBufferId b, int64_t p0, int64_t np, int64_t offset,
                             std::vector<ApDim> ap) const {
  Tile x;
  x.object = b.index;
  x.p0 = p0;
  x.np = np;
  x.offset = offset;
  x.ap = std::move(ap);
  return x;
}

NpuProgramBuilder::Instr NpuProgramBuilder::instr(const std::string& instruction,
                                                  const std::string& engine) {
  NpuInstr x;
  x.index = static_cast<int>(p_.instrs.size());
  std::string ptr = "/instrs/" + std::to_string(x.index);
  x.instr = isa_.find_instruction(instruction);
  if (!x.instr)
    note(ptr + "/instr", "target '" + isa_.name + "' has no instruction '" + instruction + "'");
  std::string ename = engine.empty() && x.instr ? x.instr->engines.front() : engine;
  x.engine = isa_.find_engine(ename);
  if (!x.engine && x.instr)
    note(ptr + "/engine", "target '" + isa_.name + "' has no engine '" + ename + "'");
  p_.instrs.push_back(std::move(x));
  return Instr(*this, static_cast<int>(p_.instrs.size()) - 1);
}

NpuInstr& NpuProgramBuilder::Instr::x() { return b_->p_.instrs[static_cast<size_t>(index_)]; }

// The parameter `n` of kind `kind`, or nullptr after a diagnostic.
const ParamSpec* NpuProgramBuilder::Instr::param(const std::string& n, ParamKind kind,
                                                 const char* what) {
  bool want_int = std::string(what) == "int immediate";
  if (!x().instr)
    return nullptr; // reported when the instruction was added
  const ParamSpec* p = x().instr->find_param(n);
  if (!p || p->kind != kind ||
      (kind == ParamKind::Immediate && (p->immediate_type == "int") != want_int)) {
    b_->note("/instrs/" + std::to_string(index_) + "/" + n,
             "instruction '" + x().instr->name + "' has no " + what + " parameter '" + n + "'");
    return nullptr;
  }
  return p;
}

NpuProgramBuilder::Instr& NpuProgramBuilder::Instr::queue(int q) {
  x().queue = q;
  return *this;
}
NpuProgramBuilder::Instr& NpuProgramBuilder::Instr::name(const std::string& n) {
  x().name = n;
  return *this;
}
NpuProgramBuilder::Instr& NpuProgramBuilder::Instr::after(NpuInstrId earlier) {
  x().after.push_back(earlier.index);
  return *this;
}
NpuProgramBuilder::Instr& NpuProgramBuilder::Instr::operand(const std::string& n, const Tile& t) {
  if (x().instr && !x().instr->find_operand(n))
    b_->note("/instrs/" + std::to_string(index_) + "/" + n,
             "instruction '" + x().instr->name + "' has no operand '" + n + "'");
  else
    x().operands[n] = t;
  return *this;
}
NpuProgramBuilder::Instr& NpuProgramBuilder::Instr::choice(const std::string& n,
                                                           const std::string& value) {
  if (param(n, ParamKind::Enum, "enum"))
    x().choice[n] = value; // a value the parameter lacks is the checker's diagnostic
  return *this;
}
NpuProgramBuilder::Instr& NpuProgramBuilder::Instr::flag(const std::string& n, bool value) {
  if (param(n, ParamKind::Flag, "flag"))
    x().choice[n] = value ? "true" : "false";
  return *this;
}
NpuProgramBuilder::Instr& NpuProgramBuilder::Instr::integer(const std::string& n, int64_t value) {
  if (param(n, ParamKind::Immediate, "int immediate"))
    x().choice[n] = std::to_string(value);
  return *this;
}
NpuProgramBuilder::Instr& NpuProgramBuilder::Instr::real(const std::string& n, double value) {
  if (param(n, ParamKind::Immediate, "real immediate"))
    x().reals[n] = value;
  return *this;
}
NpuProgramBuilder::Instr& NpuProgramBuilder::Instr::vector(const std::string& n, const Tile& t) {
  if (param(n, ParamKind::Vector, "vector")) {
    VectorArg a;
    a.tile = t;
    x().vectors[n] = a;
  }
  return *this;
}
NpuProgramBuilder::Instr& NpuProgramBuilder::Instr::vector(const std::string& n, double value) {
  if (param(n, ParamKind::Vector, "vector")) {
    VectorArg a;
    a.immediate = true;
    a.value = value;
    x().vectors[n] = a;
  }
  return *this;
}

NpuBuildResult NpuProgramBuilder::build(size_t max_diagnostics) const {
  NpuBuildResult r;
  max_diagnostics = std::max<size_t>(1, max_diagnostics);
  if (!own_.empty()) {
    r.diagnostics.assign(own_.begin(),
                         own_.begin() + static_cast<long>(std::min(own_.size(), max_diagnostics)));
    return r;
  }
  r.diagnostics = check_npu_program(p_, isa_, max_diagnostics);
  if (r.diagnostics.empty())
    r.diagnostics = check_defined_reads(p_, max_diagnostics);
  if (!r.diagnostics.empty())
    return r;
  NpuProgram p = p_;
  index_uses(p);
  r.program = std::move(p);
  return r;
}

} // namespace axon
