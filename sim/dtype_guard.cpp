// One pass over the instructions: the widest tile input against each written operand.
#include "sim/dtype_guard.h"

#include <algorithm>

namespace axon {

std::vector<Narrowing> find_narrowing(const NpuProgram& p, size_t max) {
  std::vector<Narrowing> out;
  int64_t declared = 0;
  DType declared_type = DType::F32;
  for (const auto& t : p.tensors)
    if (t.kind == HbmKind::Output && (declared == 0 || dtype_bytes(t.dtype) < declared)) {
      declared = dtype_bytes(t.dtype);
      declared_type = t.dtype;
    }
  if (declared == 0)
    return out;
  for (const auto& x : p.instrs) {
    int64_t widest = 0;
    DType widest_type = DType::F32;
    auto see = [&](const Tile& t) {
      DType d = p.dtype_of(t);
      if (dtype_bytes(d) > widest)
        widest = dtype_bytes(d), widest_type = d;
    };
    for (const auto& [name, t] : x.operands)
      if (x.instr->find_operand(name)->role == OperandRole::In)
        see(t);
    for (const auto& [name, v] : x.vectors)
      if (!v.immediate)
        see(v.tile);
    for (const auto& [name, t] : x.operands) {
      if (x.instr->find_operand(name)->role != OperandRole::Out)
        continue;
      DType d = p.dtype_of(t);
      if (dtype_bytes(d) < declared && dtype_bytes(d) < widest) {
        out.push_back({x.index, x.where() + " computes '" + name + "' in " + dtype_name(d) +
                                    ", narrower than its " + dtype_name(widest_type) +
                                    " input and than the " + dtype_name(declared_type) +
                                    " the program's outputs declare"});
        if (out.size() >= max)
          return out;
      }
    }
  }
  return out;
}

} // namespace axon
