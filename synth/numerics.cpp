// Float32 vs float64 at small sizes on three kinds of random input.
#include "synth/numerics.h"

#include <cmath>
#include <set>
#include <sstream>

#include "ir/interp.h"

namespace axon::synth {

namespace {

constexpr double kAtol = 1e-3, kRtol = 1e-3;

// The max scaled error over the outputs, over elements where the float64 reference is finite (an
// overflow of the reference itself says nothing about the variant); a non-finite value where the
// reference is finite is inf.
double output_error(const IndexProgram& p, const TensorMap& got, const TensorMap& ref) {
  double worst = 0;
  for (auto* o : p.outputs()) {
    const TensorValue& a = got.at(o->name);
    const TensorValue& b = ref.at(o->name);
    for (size_t i = 0; i < a.numel(); ++i) {
      if (!std::isfinite(b.data[i]))
        continue;
      if (!std::isfinite(a.data[i]))
        return INFINITY;
      worst =
          std::max(worst, std::abs(a.data[i] - b.data[i]) / (kAtol + kRtol * std::abs(b.data[i])));
    }
  }
  return worst;
}

} // namespace

Numerics check_numerics(const IndexProgram& original, const VariantState& v) {
  Numerics n;
  std::map<std::string, int64_t> small;
  for (auto& [d, size] : v.program.dims())
    if (size)
      small[d] = std::min<int64_t>(*size, 4);
  for (auto& s : v.splits) {
    small[s.head] = std::min<int64_t>(small.count(s.head) ? small[s.head] : 3, s.tiles ? 2 : 3);
    small[s.tail] = std::min<int64_t>(small.count(s.tail) ? small[s.tail] : 2, 2);
    small[s.dim] = s.tiles ? small[s.head] * small[s.tail] : small[s.head] + small[s.tail];
  }
  std::map<std::string, int64_t> small_orig;
  for (auto& [d, size] : original.dims())
    if (small.count(d))
      small_orig[d] = small[d];
  try {
    IndexProgram vp = v.program.with_dims(small);
    IndexProgram op = original.with_dims(small_orig);
    // The large offset goes to every input, to each input on its own, and to all but one: an
    // offset on every input (weights included) can hide a cancellation that an offset on the
    // activations alone shows (a one-pass variance before a matmul).
    std::vector<std::string> real_inputs;
    for (auto* t : op.inputs())
      if (t->dtype != DType::Bool)
        real_inputs.push_back(t->name);
    struct Trial {
      uint64_t seed;
      double scale, offset;
      std::set<std::string> shifted; // the inputs the offset goes to
      double* out;
      std::string what;
    };
    std::set<std::string> all(real_inputs.begin(), real_inputs.end());
    std::vector<Trial> trials = {{11, 1.0, 0.0, {}, &n.error_unit, "unit inputs"},
                                 {12, 1000.0, 0.0, {}, &n.error_large, "large-magnitude inputs"},
                                 {13, 1.0, 1000.0, all, &n.error_offset, "large-offset inputs"}};
    if (real_inputs.size() > 1)
      for (auto& name : real_inputs) {
        trials.push_back(
            {13, 1.0, 1000.0, {name}, &n.error_offset, "large-offset inputs (" + name + " only)"});
        if (real_inputs.size() > 2) {
          std::set<std::string> rest = all;
          rest.erase(name);
          trials.push_back({13, 1.0, 1000.0, rest, &n.error_offset,
                            "large-offset inputs (all but " + name + ")"});
        }
      }
    std::ostringstream note;
    for (auto& t : trials) {
      TensorMap in = random_inputs(op, t.seed, t.scale);
      for (auto& [name, val] : in)
        if (t.shifted.count(name))
          for (auto& x : val.data)
            x += t.offset;
      TensorMap ref = interpret(op, in, EvalMode::F64);
      double base = output_error(op, interpret(op, in, EvalMode::F32), ref);
      double err = output_error(vp, interpret(vp, in, EvalMode::F32), ref);
      *t.out = std::max(*t.out, err);
      if (err > 1 && !(err <= 4 * base)) {
        n.stable = false;
        note << (note.tellp() ? "; " : "") << "float32 out of tolerance on " << t.what
             << " (scaled error " << err << ", input program " << base << ")";
      }
    }
    n.note = note.str();
  } catch (const std::exception& e) {
    n.stable = false;
    n.note = std::string("not evaluated: ") + e.what();
  }
  return n;
}

} // namespace axon::synth
