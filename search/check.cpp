// The numerical check (see check.h).
#include "search/check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>

#include "ir/dtype.h"
#include "search/isolate.h"

namespace axon {

namespace {

// Output elements to check: first, last, and `n` random ones per output (deterministic for seed).
std::map<std::string, std::vector<std::vector<int64_t>>> sample_points(const IndexProgram& p,
                                                                       uint64_t seed, int n) {
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
  std::map<std::string, std::vector<std::vector<int64_t>>> pts;
  for (auto* t : p.outputs()) {
    auto shape = p.concrete_shape(t->name);
    auto& v = pts[t->name];
    std::vector<int64_t> first(shape.size(), 0), last;
    for (auto d : shape)
      last.push_back(d - 1);
    v.push_back(first);
    if (last != first)
      v.push_back(last);
    for (int i = 0; i < n; ++i) {
      std::vector<int64_t> idx;
      for (auto d : shape)
        idx.push_back(static_cast<int64_t>(rng() % static_cast<uint64_t>(d)));
      v.push_back(idx);
    }
  }
  return pts;
}

std::string serialize(const std::vector<double>& v) {
  std::string s(v.size() * sizeof(double), '\0');
  std::memcpy(s.data(), v.data(), s.size());
  return s;
}

std::vector<double> deserialize(const std::string& s) {
  std::vector<double> v(s.size() / sizeof(double));
  std::memcpy(v.data(), s.data(), v.size() * sizeof(double));
  return v;
}

} // namespace

double storage_tolerance(const IndexProgram& p) {
  double tol = 0;
  for (auto& t : p.tensors()) {
    if (t.dtype == DType::F16)
      tol = std::max(tol, 1e-2);
    if (t.dtype == DType::BF16)
      tol = std::max(tol, 5e-2);
  }
  return tol;
}

double check_artifact(const Artifact& a, const IndexProgram& p, uint64_t seed, int points,
                      double rtol, double timeout_s, std::string* detail, bool* crashed,
                      const IndexProgram* reference, TensorMap* input_buffers, bool* timed_out) {
  const IndexProgram& ref_program = reference ? *reference : p;
  rtol = std::max({rtol, storage_tolerance(p), storage_tolerance(ref_program)});
  TensorMap own;
  TensorMap& inputs = input_buffers ? *input_buffers : own;
  random_inputs_into(ref_program, seed, inputs);
  auto pts = sample_points(p, seed, points);
  IsolatedResult r = run_isolated([&] { return serialize(a.run_points(inputs, pts)); }, timeout_s);
  if (crashed)
    *crashed = !r.ok;
  if (timed_out)
    *timed_out = r.timed_out;
  if (!r.ok) {
    if (detail)
      *detail = "kernel " + r.failure;
    return INFINITY;
  }
  std::vector<double> got = deserialize(r.payload);
  // The worst scaled error of the kernel's values against a reference's, and where it is.
  auto compare = [&](const std::map<std::string, std::vector<double>>& ref, std::string* where) {
    double worst = 0;
    size_t k = 0;
    for (auto& [t, list] : pts) {
      const auto& want = ref.at(t);
      double scale = 0;
      for (double x : want)
        scale = std::max(scale, std::fabs(x));
      double atol = rtol * 0.1 * (scale + 1e-30);
      for (size_t i = 0; i < list.size(); ++i, ++k) {
        double g = got.at(k), w = want[i];
        double e = (std::isnan(g) || std::isnan(w))
                       ? (std::isnan(g) && std::isnan(w) ? 0 : INFINITY)
                       : std::fabs(g - w) / (atol + rtol * std::fabs(w));
        if (e > worst) {
          worst = e;
          if (e > 1) {
            std::string at = t + "[";
            for (size_t d = 0; d < list[i].size(); ++d)
              at += (d ? ", " : "") + std::to_string(list[i][d]);
            char vals[96];
            std::snprintf(vals, sizeof vals, "] = %g, reference %g", g, w);
            *where = at + vals;
          }
        }
      }
    }
    return worst;
  };
  std::string where;
  double worst = compare(interpret_points(ref_program, inputs, pts), &where);
  // With f16/bf16 tensors, the program's own storage semantics rounds every stored element, and a
  // faithful kernel follows it; the rounding of a temporary can grow past the dtype's tolerance
  // through what follows (an f16 logit before exp). The kernel passes against the exact result
  // or against the storage-rounded one (a fused kernel that skips a temporary's rounding lies near
  // the first, an op-by-op one near the second).
  if (worst > 1 && std::max(storage_tolerance(p), storage_tolerance(ref_program)) > 0) {
    std::string where_storage;
    double storage =
        compare(interpret_points(ref_program, inputs, pts, EvalMode::Storage), &where_storage);
    if (storage < worst) {
      worst = storage;
      where = where_storage + " (storage-rounded reference)";
    }
  }
  if (detail && worst > 1)
    *detail = where;
  return worst;
}
double check_plan(const Backend& b, const IndexProgram& p, const Plan& plan, const Artifact& full,
                  uint64_t seed, int points, double rtol, double timeout_s, std::string* detail,
                  const IndexProgram* reference) {
  std::vector<std::map<std::string, int64_t>> shapes = b.check_dims(p, plan);
  if (shapes.empty())
    return check_artifact(full, p, seed, points, rtol, timeout_s, detail, nullptr, reference);
  double worst = 0;
  for (auto& dims : shapes) {
    IndexProgram small = p.with_dims(dims);
    IndexProgram small_ref = (reference ? *reference : p).with_dims(dims);
    std::unique_ptr<Artifact> a = b.compile(small, plan);
    std::string d;
    double err = check_artifact(*a, small, seed, points, rtol, timeout_s, &d, nullptr, &small_ref);
    worst = std::max(worst, err);
    if (!(err <= 1)) {
      if (detail) {
        std::string sizes;
        for (auto& [k, v] : dims)
          sizes += (sizes.empty() ? "" : ", ") + k + " = " + std::to_string(v);
        *detail = "at {" + sizes + "}: " + d;
      }
      return err;
    }
  }
  return worst;
}

} // namespace axon
