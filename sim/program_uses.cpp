// Uses of NPU instructions: sizes, memories and dtypes read off the tiles, deduplicated by key so
// that a 100k-instruction program is costed and checked a handful of times.
#include "sim/program_uses.h"

#include <unordered_map>

namespace axon {

InstrUse instruction_use(const NpuProgram& p, const NpuInstr& x) {
  InstrUse use;
  use.engine = x.engine->name;
  use.params = x.choice;
  for (const auto& prm : x.instr->params) {
    if (prm.kind != ParamKind::Vector)
      continue;
    auto v = x.vectors.find(prm.name);
    if (v == x.vectors.end())
      continue;
    if (v->second.immediate) {
      use.memory[prm.name] = "immediate";
      continue;
    }
    use.dims.emplace(prm.dim, v->second.tile.np);
    use.memory[prm.name] = p.memory_of(v->second.tile);
    use.dtypes[prm.name] = p.dtype_of(v->second.tile);
  }
  for (const auto& op : x.instr->operands) {
    auto o = x.operands.find(op.name);
    if (o == x.operands.end())
      continue;
    const Tile& t = o->second;
    if (!op.shape.empty())
      use.dims.emplace(op.shape[0].name, t.np);
    if (op.shape.size() == 2)
      use.dims.emplace(op.shape[1].name, t.free_size());
    use.memory[op.name] = p.memory_of(t);
    use.dtypes[op.name] = p.dtype_of(t);
  }
  return use;
}

std::string use_key(const Instruction& in, const InstrUse& u) {
  std::string k = in.name + "|" + u.engine;
  for (const auto& [a, b] : u.dims)
    k += "|" + a + "=" + std::to_string(b);
  for (const auto& [a, b] : u.params)
    k += "|" + a + "=" + b;
  for (const auto& [a, b] : u.memory)
    k += "|" + a + "@" + b;
  for (const auto& [a, b] : u.dtypes)
    k += "|" + a + ":" + dtype_name(b);
  return k;
}

void index_uses(NpuProgram& p) {
  p.uses.clear();
  std::unordered_map<std::string, int> seen;
  for (auto& x : p.instrs) {
    InstrUse use = instruction_use(p, x);
    auto [it, fresh] = seen.emplace(use_key(*x.instr, use), static_cast<int>(p.uses.size()));
    if (fresh)
      p.uses.push_back(std::move(use));
    x.use = it->second;
  }
}

} // namespace axon
