// Ranking discovered variants by estimated arithmetic.
#include "synth/pick_variants.h"

#include <algorithm>

namespace axon::synth {

namespace {

constexpr double kMaxWorkRatio = 1.25;

double ops(const Expr& e, const IndexProgram& p) {
  if (e->sort() != Sort::Real)
    return 0;
  if (is_reduce(e->kind()))
    return static_cast<double>(p.eval_size(e->extent())) * (1 + ops(e->body(), p));
  // A select chooses an operand (a load), it computes only the branch taken.
  if (e->kind() == ExprKind::Select)
    return std::max(ops(e->arg(1), p), ops(e->arg(2), p));
  double n = e->args().empty() || e->kind() == ExprKind::Access ? 0 : 1;
  for (auto& a : e->args())
    n += ops(a, p);
  return n;
}

double work(const IndexProgram& p) {
  double w = 0;
  for (auto& s : p.stmts()) {
    w += static_cast<double>(p.numel(s.out)) * std::max(1.0, ops(s.value, p));
  }
  return w;
}

} // namespace

std::vector<const Variant*> pick_variants(const DiscoveryReport& r, size_t n) {
  if (r.variants.empty())
    return {};
  std::vector<std::pair<double, const Variant*>> ranked;
  try {
    double base = work(r.variants[0].state.program);
    for (size_t i = 1; i < r.variants.size(); ++i) {
      const Variant& v = r.variants[i];
      if (!v.numerics.stable)
        continue;
      double w = work(v.state.program);
      if (w <= kMaxWorkRatio * base)
        ranked.push_back({w, &v});
    }
  } catch (const std::exception&) {
    return {}; // a symbolic dim: no estimate, nothing to rank
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) {
    return a.first != b.first ? a.first < b.first : a.second->depth < b.second->depth;
  });
  std::vector<const Variant*> out;
  for (auto& [w, v] : ranked)
    if (out.size() < n)
      out.push_back(v);
  return out;
}

} // namespace axon::synth
