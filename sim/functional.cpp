// Functional mode: one float array (plus a written-mask) per HBM tensor and per buffer; each
// instruction gathers its operand tiles into the [partition, free] tensors its semantics names,
// runs the interpreter on the instantiated semantics, and scatters the results back.
#include "sim/functional.h"

#include <random>
#include <unordered_map>

#include "ir/error.h"
#include "sim/sim_limits.h"
#include "sim/tile_eval.h"

namespace axon {

namespace {

struct Store {
  std::vector<float> v;
  std::vector<uint8_t> written;
};

class Machine {
public:
  explicit Machine(const NpuProgram& p) : p_(p) {
    for (const auto& t : p.tensors)
      tensors_.push_back({std::vector<float>(t.numel()), std::vector<uint8_t>(t.numel())});
    for (const auto& b : p.buffers) {
      size_t n = static_cast<size_t>(b.partitions * b.size);
      buffers_.push_back({std::vector<float>(n), std::vector<uint8_t>(n)});
    }
  }

  void set_input(int idx, const TensorValue& v) {
    const HbmTensor& t = p_.tensors[idx];
    if (v.shape != t.shape)
      user_error("input '" + t.name + "' has the wrong shape for the program");
    for (size_t i = 0; i < v.data.size(); ++i) {
      tensors_[idx].v[i] = static_cast<float>(round_to_dtype(v.data[i], t.dtype));
      tensors_[idx].written[i] = 1;
    }
  }

  void run(const NpuInstr& x) {
    const IndexProgram& sem = semantics(x);
    TensorMap in;
    for (const TensorDecl* d : sem.inputs()) {
      TensorValue tv;
      tv.shape = sem.concrete_shape(d->name);
      if (auto o = x.operands.find(d->name); o != x.operands.end()) {
        tv.data = gather(x, d->name, o->second);
      } else if (auto v = x.vectors.find(d->name); v != x.vectors.end()) {
        if (v->second.immediate)
          tv.data.assign(static_cast<size_t>(tv.shape.at(0)), v->second.value);
        else
          tv.data = gather(x, d->name, v->second.tile);
      } else if (auto r = x.reals.find(d->name); r != x.reals.end()) {
        tv.data = {r->second};
      } else {
        internal_error("semantics of '" + x.instr->name + "' read '" + d->name +
                       "', which the program does not bind");
      }
      if (static_cast<int64_t>(tv.data.size()) != [&] {
            int64_t n = 1;
            for (auto s : tv.shape)
              n *= s;
            return n;
          }())
        internal_error("operand '" + d->name + "' of " + x.where() +
                       " does not match its semantics' shape");
      in[d->name] = std::move(tv);
    }
    TensorMap out = eval_tile_semantics(sem, in);
    for (const auto& [name, tile] : x.operands) {
      const OperandSpec* op = x.instr->find_operand(name);
      if (op->role != OperandRole::Out)
        continue;
      // An accumulating operand is `inout` in the semantics: its new value is `name@1`.
      auto it = out.find(name + "@1");
      if (it == out.end())
        it = out.find(name);
      if (it == out.end())
        internal_error("semantics of '" + x.instr->name + "' do not produce '" + name + "'");
      scatter(tile, it->second.data);
    }
  }

  TensorMap results() const {
    TensorMap r;
    for (size_t i = 0; i < p_.tensors.size(); ++i) {
      const HbmTensor& t = p_.tensors[i];
      if (t.kind == HbmKind::Input)
        continue;
      TensorValue tv;
      tv.shape = t.shape;
      for (size_t k = 0; k < tensors_[i].v.size(); ++k) {
        if (t.kind == HbmKind::Output && !tensors_[i].written[k])
          user_error(p_.path + ": output '" + t.name + "' element " + std::to_string(k) +
                     " is never written");
        tv.data.push_back(tensors_[i].v[k]);
      }
      r[t.name] = std::move(tv);
    }
    return r;
  }

private:
  // Semantics with the use's sizes bound, cached per distinct use.
  const IndexProgram& semantics(const NpuInstr& x) {
    auto it = sem_.find(x.use);
    if (it != sem_.end())
      return it->second;
    const InstrUse& u = p_.uses[x.use];
    IndexProgram generic = instruction_semantics(*x.instr, x.choice);
    std::map<std::string, int64_t> dims;
    for (const auto& [d, sz] : generic.dims())
      if (u.dims.count(d))
        dims[d] = u.dims.at(d);
    return sem_.emplace(x.use, generic.with_dims(dims)).first->second;
  }

  Store& store(const Tile& t) { return t.in_hbm ? tensors_[t.object] : buffers_[t.object]; }

  // Visits the tile's elements in [partition, flattened free] row-major order with their index
  // in the backing array.
  template <class F> void each(const Tile& t, F&& f) const {
    int64_t row = t.in_hbm ? t.pstride : p_.buffers[t.object].size;
    int64_t base0 = t.in_hbm ? t.offset : t.p0 * row + t.offset;
    std::vector<int64_t> idx(t.ap.size());
    int64_t j = 0;
    for (int64_t p = 0; p < t.np; ++p) {
      std::fill(idx.begin(), idx.end(), 0);
      int64_t base = base0 + p * row;
      for (;;) {
        int64_t e = base;
        for (size_t d = 0; d < idx.size(); ++d)
          e += idx[d] * t.ap[d].stride;
        f(j++, p, e);
        if (!next_index(idx, t.ap))
          break;
      }
    }
  }

  std::vector<double> gather(const NpuInstr& x, const std::string& who, const Tile& t) {
    Store& s = store(t);
    std::vector<double> out(static_cast<size_t>(t.np * t.free_size()));
    each(t, [&](int64_t j, int64_t p, int64_t e) {
      if (!s.written[e]) {
        std::string obj =
            t.in_hbm ? "tensor '" + p_.tensors[t.object].name + "' element " + std::to_string(e)
                     : "buffer '" + p_.buffers[t.object].name + "' partition " +
                           std::to_string(p_.buffers[t.object].start_partition + t.p0 + p) +
                           " element " + std::to_string(e % p_.buffers[t.object].size);
        user_error(p_.path + ": " + x.where() + ": read of never-written memory: operand '" + who +
                   "' reads " + obj + ", which no earlier instruction wrote");
      }
      out[j] = s.v[e];
    });
    return out;
  }

  void scatter(const Tile& t, const std::vector<double>& data) {
    Store& s = store(t);
    DType dt = p_.dtype_of(t);
    each(t, [&](int64_t j, int64_t, int64_t e) {
      s.v[e] = static_cast<float>(round_to_dtype(data[j], dt));
      s.written[e] = 1;
    });
  }

  const NpuProgram& p_;
  std::vector<Store> tensors_, buffers_;
  std::unordered_map<int, IndexProgram> sem_;
};

} // namespace

TensorMap run_functional(const NpuProgram& prog, const TensorMap& inputs) {
  for (const auto& x : prog.instrs)
    if (x.use < 0 || x.use >= static_cast<int>(prog.uses.size()))
      internal_error("run_functional: " + x.where() +
                     " has no use; run check_npu_program and index_uses on a program built "
                     "in memory");
  int64_t elems = 0;
  for (const auto& t : prog.tensors)
    elems += t.numel();
  for (const auto& b : prog.buffers)
    elems += b.partitions * b.size;
  if (elems > sim_limits::kMaxFunctionalElements)
    user_error(prog.path + ": functional mode would hold " + std::to_string(elems) +
               " elements of tensors and buffers; the limit is " +
               std::to_string(sim_limits::kMaxFunctionalElements) +
               " (kMaxFunctionalElements): run a smaller problem, or timing mode");
  Machine m(prog);
  for (size_t i = 0; i < prog.tensors.size(); ++i) {
    const HbmTensor& t = prog.tensors[i];
    if (t.kind != HbmKind::Input)
      continue;
    auto it = inputs.find(t.name);
    if (it == inputs.end())
      user_error(prog.path + ": no value given for input tensor '" + t.name + "'");
    m.set_input(static_cast<int>(i), it->second);
  }
  for (const auto& x : prog.instrs)
    m.run(x);
  return m.results();
}

TensorMap random_program_inputs(const NpuProgram& prog, uint64_t seed, double scale) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-scale, scale);
  TensorMap r;
  for (const auto& t : prog.tensors) {
    if (t.kind != HbmKind::Input)
      continue;
    TensorValue v;
    v.shape = t.shape;
    v.data.resize(static_cast<size_t>(t.numel()));
    for (auto& x : v.data)
      x = round_to_dtype(u(rng), t.dtype);
    r[t.name] = std::move(v);
  }
  return r;
}

} // namespace axon
