// Ranking discovered variants by estimated arithmetic.
#include "synth/pick_variants.h"

#include "synth/rewrite_step.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>

namespace axon::synth {

namespace {

constexpr double kMaxWorkRatio = 1.25;

// What the kernel executes, counted per distinct evaluation: a subterm runs once per
// combination of the loop variables it reads (loop-invariant code is hoisted), so its operations
// count times the product of those variables' extents. A chain of products is counted in the
// cheapest order of its factors (a loop-invariant g[k] * w[k, n] is formed once per (k, n), then
// scales x[m, k] per (m, n, k)); a reduction counts one accumulation per element of its range
// for each combination of its free variables, and, being a loop that no invariant code motion
// lifts, its whole cost again for every iteration of the loops around it that it does not read
// (a row statistic inlined into a matmul's body is recomputed per (m, n, k)); a select computes
// only its larger branch; integer index arithmetic is not counted.
struct Cost {
  double ops = 0;
  std::set<std::string> vars; // loop variables (statement and bound) the subterm reads
};

class WorkCounter {
public:
  explicit WorkCounter(const IndexProgram& p) : p_(p) {}

  double statement(const IndexStmt& s) {
    auto shape = p_.concrete_shape(s.out);
    extent_.clear();
    for (size_t i = 0; i < s.vars.size() && i < shape.size(); ++i)
      extent_[s.vars[i]] = {static_cast<double>(shape[i])};
    double ops = count(s.value).ops;
    return std::max(static_cast<double>(p_.numel(s.out)), ops);
  }

private:
  double size_of(const std::set<std::string>& vars) const {
    double n = 1;
    for (auto& v : vars) {
      auto it = extent_.find(v);
      if (it != extent_.end() && !it->second.empty())
        n *= it->second.back();
    }
    return n;
  }

  void flatten_product(const Expr& e, std::vector<Expr>* out) {
    if (e->kind() == ExprKind::Mul && e->sort() == Sort::Real) {
      flatten_product(e->arg(0), out);
      flatten_product(e->arg(1), out);
    } else {
      out->push_back(e);
    }
  }

  Cost count(const Expr& e) {
    Cost c;
    if (e->kind() == ExprKind::IndexVar) {
      c.vars.insert(e->name());
      return c;
    }
    if (is_reduce(e->kind())) {
      // The loops around this reduction: it is a loop itself, which no invariant code motion
      // lifts out of them, so it runs once per iteration of each, read or not.
      std::set<std::string> around;
      for (auto& [v, st] : extent_)
        if (!st.empty())
          around.insert(v);
      auto& ext = extent_[e->name()];
      ext.push_back(static_cast<double>(p_.eval_size(e->extent())));
      Cost body = count(e->body());
      std::set<std::string> with = body.vars;
      with.insert(e->name());
      c.ops = body.ops + size_of(with);
      ext.pop_back();
      c.vars = body.vars;
      c.vars.erase(e->name());
      std::set<std::string> unread;
      for (auto& v : around)
        if (!c.vars.count(v) && v != e->name())
          unread.insert(v);
      c.ops *= size_of(unread);
      Cost x = count(e->extent());
      c.vars.insert(x.vars.begin(), x.vars.end());
      return c;
    }
    if (e->kind() == ExprKind::Mul && e->sort() == Sort::Real) {
      std::vector<Expr> fs;
      flatten_product(e, &fs);
      std::vector<Cost> parts;
      for (auto& f : fs) {
        parts.push_back(count(f));
        c.ops += parts.back().ops;
      }
      // Multiply the pair whose combined loop variables are fewest first (greedy order).
      while (parts.size() > 1) {
        size_t bi = 0, bj = 1;
        double best = INFINITY;
        for (size_t i = 0; i < parts.size(); ++i)
          for (size_t j = i + 1; j < parts.size(); ++j) {
            std::set<std::string> u = parts[i].vars;
            u.insert(parts[j].vars.begin(), parts[j].vars.end());
            double n = size_of(u);
            if (n < best) {
              best = n;
              bi = i;
              bj = j;
            }
          }
        c.ops += best;
        parts[bi].vars.insert(parts[bj].vars.begin(), parts[bj].vars.end());
        parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(bj));
      }
      c.vars = parts[0].vars;
      return c;
    }
    if (e->kind() == ExprKind::Select) {
      Cost k = count(e->arg(0)), x = count(e->arg(1)), y = count(e->arg(2));
      c.ops = std::max(x.ops, y.ops);
      for (auto* part : {&k, &x, &y})
        c.vars.insert(part->vars.begin(), part->vars.end());
      return c;
    }
    for (auto& a : e->args()) {
      Cost x = count(a);
      c.ops += x.ops;
      c.vars.insert(x.vars.begin(), x.vars.end());
    }
    bool computes = e->sort() == Sort::Real && !e->args().empty() && e->kind() != ExprKind::Access;
    if (computes)
      c.ops += size_of(c.vars);
    return c;
  }

  const IndexProgram& p_;
  std::map<std::string, std::vector<double>> extent_;
};

// Deepest nesting of reductions in any statement.
int reduction_nesting(const Expr& e) {
  int d = 0;
  for (auto& a : e->args())
    d = std::max(d, reduction_nesting(a));
  return d + (is_reduce(e->kind()) ? 1 : 0);
}
int reduction_nesting(const IndexProgram& p) {
  int d = 0;
  for (auto& s : p.stmts())
    d = std::max(d, reduction_nesting(s.value));
  return d;
}

// A variant made only by inlining temporaries without nesting a reduction in another is one of
// the fusions the main job searches anyway (it inlines elementwise temporaries of the input
// program itself): passing it on would only take the place of a real rewrite.
bool only_fuses(const Variant& v, const IndexProgram& original) {
  for (auto& st : v.derivation)
    if (st.kind != StepKind::InlineTemporary)
      return false;
  return reduction_nesting(v.state.program) <= reduction_nesting(original);
}

// The program's text with the operands of every product and sum put in order and bound
// variables named by depth: two variants that differ only in the order of commutative operands
// (a factor hoisted out of a sum and sunk back in) have one key.
std::string commutative_key(const Expr& e, std::map<std::string, std::string>& bound, int depth) {
  auto chain = [&](ExprKind k, const Expr& root, std::vector<Expr>* out) {
    std::function<void(const Expr&)> rec = [&](const Expr& x) {
      if (x->kind() == k && x->sort() == root->sort()) {
        rec(x->arg(0));
        rec(x->arg(1));
      } else {
        out->push_back(x);
      }
    };
    rec(root);
  };
  if (e->kind() == ExprKind::Mul || e->kind() == ExprKind::Add) {
    std::vector<Expr> ops;
    chain(e->kind(), e, &ops);
    std::vector<std::string> keys;
    for (auto& o : ops)
      keys.push_back(commutative_key(o, bound, depth));
    std::sort(keys.begin(), keys.end());
    std::string k = e->kind() == ExprKind::Mul ? "(*" : "(+";
    for (auto& x : keys)
      k += " " + x;
    return k + ")";
  }
  if (e->kind() == ExprKind::IndexVar) {
    auto it = bound.find(e->name());
    return it != bound.end() ? it->second : e->name();
  }
  std::string k = std::string("(") + kind_name(e->kind());
  if (e->kind() == ExprKind::Access || e->kind() == ExprKind::DimVar)
    k += " " + e->name();
  if (e->kind() == ExprKind::IntConst)
    k += " " + std::to_string(e->int_value());
  if (e->kind() == ExprKind::RealConst)
    k += " " + format_number(e->real_value());
  if (is_reduce(e->kind())) {
    k += " " + commutative_key(e->extent(), bound, depth);
    std::string name = "b" + std::to_string(depth);
    auto saved = bound.find(e->name()) != bound.end() ? std::optional<std::string>(bound[e->name()])
                                                      : std::nullopt;
    bound[e->name()] = name;
    k += " " + commutative_key(e->body(), bound, depth + 1);
    if (saved)
      bound[e->name()] = *saved;
    else
      bound.erase(e->name());
    return k + ")";
  }
  for (auto& a : e->args())
    k += " " + commutative_key(a, bound, depth);
  return k + ")";
}

std::string commutative_key(const IndexProgram& p) {
  std::string k;
  for (auto& s : p.stmts()) {
    std::map<std::string, std::string> bound;
    k += s.out + "[";
    for (auto& v : s.vars)
      k += v + ",";
    k += "]=" + commutative_key(s.value, bound, 0) + ";";
  }
  return k;
}

} // namespace

double estimated_work(const IndexProgram& p) {
  WorkCounter wc(p);
  double w = 0;
  for (auto& s : p.stmts())
    w += wc.statement(s);
  return w;
}

std::vector<const Variant*> pick_variants(const DiscoveryReport& r, size_t n) {
  if (r.variants.empty())
    return {};
  std::vector<std::pair<double, const Variant*>> ranked;
  try {
    const IndexProgram& input = r.variants[0].state.program;
    double base = estimated_work(input);
    // Fusions of the input program (searched by the main job anyway), up to the order of
    // commutative operands; and every variant passed on once.
    std::set<std::string> seen = {commutative_key(input)};
    for (size_t i = 1; i < r.variants.size(); ++i)
      if (only_fuses(r.variants[i], input))
        seen.insert(commutative_key(r.variants[i].state.program));
    for (size_t i = 1; i < r.variants.size(); ++i) {
      const Variant& v = r.variants[i];
      if (!v.numerics.stable || only_fuses(v, input))
        continue;
      if (!seen.insert(commutative_key(v.state.program)).second)
        continue;
      double w = estimated_work(v.state.program);
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
