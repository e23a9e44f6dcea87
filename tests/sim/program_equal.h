// Field-by-field equality of two NPU programs for the round-trip tests: tensors, buffers with
// their placement, and every instruction's engine, queue, name, tiles, parameters and `after`
// edges. Returns "" when equal, else what differs first.
#pragma once

#include <string>

#include "sim/program.h"
#include "sim/program_uses.h"

namespace axon::simtest {

inline std::string tile_text(const Tile& t) {
  std::string s = (t.in_hbm ? "hbm " : "buf ") + std::to_string(t.object) + " p0 " +
                  std::to_string(t.p0) + " np " + std::to_string(t.np) + " pstride " +
                  std::to_string(t.pstride) + " offset " + std::to_string(t.offset) + " ap";
  for (const auto& d : t.ap)
    s += " [" + std::to_string(d.stride) + ", " + std::to_string(d.count) + "]";
  return s;
}

inline std::string program_difference(const NpuProgram& a, const NpuProgram& b) {
  if (a.name != b.name)
    return "name '" + a.name + "' vs '" + b.name + "'";
  if (a.hbm_memory != b.hbm_memory || a.isa != b.isa)
    return "target";
  if (a.tensors.size() != b.tensors.size())
    return "tensor count";
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    const auto &x = a.tensors[i], &y = b.tensors[i];
    if (x.name != y.name || x.dtype != y.dtype || x.shape != y.shape || x.kind != y.kind)
      return "tensor " + std::to_string(i);
  }
  if (a.buffers.size() != b.buffers.size())
    return "buffer count";
  for (size_t i = 0; i < a.buffers.size(); ++i) {
    const auto &x = a.buffers[i], &y = b.buffers[i];
    if (x.name != y.name || x.memory != y.memory || x.dtype != y.dtype ||
        x.start_partition != y.start_partition || x.partitions != y.partitions ||
        x.size != y.size || x.offset != y.offset)
      return "buffer " + std::to_string(i) + " '" + x.name + "'";
  }
  if (a.instrs.size() != b.instrs.size())
    return "instruction count " + std::to_string(a.instrs.size()) + " vs " +
           std::to_string(b.instrs.size());
  for (size_t k = 0; k < a.instrs.size(); ++k) {
    const NpuInstr &x = a.instrs[k], &y = b.instrs[k];
    std::string at = "instruction " + std::to_string(k) + ": ";
    if (x.instr != y.instr || x.engine != y.engine || x.queue != y.queue || x.index != y.index)
      return at + "instruction, engine, queue or index";
    if (x.name != y.name)
      return at + "name '" + x.name + "' vs '" + y.name + "'";
    if (x.after != y.after)
      return at + "after";
    if (x.choice != y.choice || x.reals != y.reals)
      return at + "parameters";
    if (x.operands.size() != y.operands.size())
      return at + "operand count";
    for (const auto& [n, t] : x.operands) {
      auto it = y.operands.find(n);
      if (it == y.operands.end() || tile_text(t) != tile_text(it->second))
        return at + "operand '" + n + "': " + tile_text(t) + " vs " +
               (it == y.operands.end() ? "none" : tile_text(it->second));
    }
    if (x.vectors.size() != y.vectors.size())
      return at + "vector count";
    for (const auto& [n, v] : x.vectors) {
      auto it = y.vectors.find(n);
      if (it == y.vectors.end() || v.immediate != it->second.immediate ||
          (v.immediate ? v.value != it->second.value
                       : tile_text(v.tile) != tile_text(it->second.tile)))
        return at + "vector '" + n + "'";
    }
    if ((x.use < 0) != (y.use < 0) ||
        (x.use >= 0 && use_key(*x.instr, a.uses[x.use]) != use_key(*y.instr, b.uses[y.use])))
      return at + "use";
  }
  return "";
}

} // namespace axon::simtest
