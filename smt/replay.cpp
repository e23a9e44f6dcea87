// Float64 replay of candidate counterexamples, small size enumeration and random inputs.
#include "smt/replay.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <set>
#include <sstream>

#include "ir/error.h"

namespace axon::smt {

namespace {

IndexProgram at_dims(const IndexProgram& p, const std::map<std::string, int64_t>& dims) {
  std::map<std::string, int64_t> mine;
  for (auto& [k, v] : p.dims())
    if (dims.count(k))
      mine[k] = dims.at(k);
  return p.with_dims(mine);
}

bool differ(double x, double y) {
  if (std::isnan(x) || std::isnan(y))
    return std::isnan(x) != std::isnan(y);
  if (std::isinf(x) || std::isinf(y))
    return x != y;
  return std::fabs(x - y) > 1e-9 + 1e-7 * std::fabs(x);
}

std::optional<double> eval_num(const Expr& e, const std::map<std::string, int64_t>& dims,
                               const TensorMap& in, bool* ok);

} // namespace

std::optional<Counterexample> replay(const IndexProgram& a, const IndexProgram& b,
                                     const std::map<std::string, int64_t>& dims,
                                     const TensorMap& inputs) {
  TensorMap ra, rb;
  std::string ea, eb;
  IndexProgram pa = at_dims(a, dims), pb = at_dims(b, dims);
  // Bool inputs (masks) hold 0 or 1: any other value reads as true.
  TensorMap in01 = inputs;
  for (auto* p : {&pa, &pb})
    for (auto* t : p->inputs())
      if (t->dtype == DType::Bool && in01.count(t->name))
        for (auto& x : in01[t->name].data)
          x = x > 0 ? 1.0 : 0.0;
  auto only = [&](const IndexProgram& p) {
    TensorMap m;
    for (auto* t : p.inputs()) {
      auto it = in01.find(t->name);
      if (it != in01.end())
        m[t->name] = it->second;
    }
    return m;
  };
  try {
    ra = interpret(pa, only(pa), EvalMode::F64);
  } catch (const UserError& e) {
    ea = e.what();
  }
  try {
    rb = interpret(pb, only(pb), EvalMode::F64);
  } catch (const UserError& e) {
    eb = e.what();
  }
  Counterexample c;
  c.dims = dims;
  c.inputs = in01;
  if (!ea.empty() || !eb.empty()) {
    if (!ea.empty() && !eb.empty())
      return std::nullopt;
    c.note = (ea.empty() ? "the second program fails: " + eb : "the first program fails: " + ea);
    return c;
  }
  for (auto* t : pa.outputs()) {
    const TensorValue& x = ra.at(t->name);
    auto it = rb.find(t->name);
    if (it == rb.end())
      continue;
    const TensorValue& y = it->second;
    if (x.shape != y.shape) {
      c.output = t->name;
      c.note = "output shapes differ";
      return c;
    }
    for (size_t i = 0; i < x.data.size(); ++i) {
      if (!differ(x.data[i], y.data[i]))
        continue;
      c.output = t->name;
      size_t rem = i;
      c.index.assign(x.shape.size(), 0);
      for (size_t d = x.shape.size(); d-- > 0;) {
        c.index[d] = static_cast<int64_t>(rem % static_cast<size_t>(x.shape[d]));
        rem /= static_cast<size_t>(x.shape[d]);
      }
      c.a_value = x.data[i];
      c.b_value = y.data[i];
      return c;
    }
  }
  return std::nullopt;
}

std::vector<std::map<std::string, int64_t>>
small_dim_assignments(const IndexProgram& a, const IndexProgram& b,
                      const std::vector<Expr>& assumptions, size_t max_count) {
  std::vector<std::string> names;
  for (auto* p : {&a, &b})
    for (auto& [k, v] : p->dims())
      if (std::find(names.begin(), names.end(), k) == names.end())
        names.push_back(k);
  size_t n = names.size();
  // Values 1..kMax with kMax shrinking as dims grow, so that at most ~50k tuples are looked at.
  int64_t kmax = 6;
  while (kmax > 2 && std::pow(static_cast<double>(kmax), static_cast<double>(n)) > 50000)
    --kmax;
  std::vector<std::vector<int64_t>> valid;
  std::vector<int64_t> cur(n, 1);
  std::function<void(size_t)> rec = [&](size_t i) {
    if (i == n) {
      std::map<std::string, int64_t> d;
      for (size_t j = 0; j < n; ++j)
        d[names[j]] = cur[j];
      for (auto& as : assumptions) {
        auto v = eval_assumption(as, d, {});
        if (v && !*v)
          return;
      }
      valid.push_back(cur);
      return;
    }
    for (int64_t x = 1; x <= kmax; ++x) {
      cur[i] = x;
      rec(i + 1);
    }
  };
  rec(0);
  // Smallest first (a counterexample at size 1 reads best), then spread over the rest so that
  // distinct and larger sizes (T != B, a partial last tile) are tried too.
  auto cost = [](const std::vector<int64_t>& v) {
    int64_t s = 0, m = 0;
    for (auto x : v) {
      s += x;
      m = std::max(m, x);
    }
    return std::make_pair(s, m);
  };
  std::stable_sort(valid.begin(), valid.end(),
                   [&](const std::vector<int64_t>& x, const std::vector<int64_t>& y) {
                     return cost(x) < cost(y);
                   });
  std::vector<size_t> pick;
  size_t head = std::min(valid.size(), std::max<size_t>(1, max_count / 2));
  for (size_t i = 0; i < head; ++i)
    pick.push_back(i);
  size_t rest = max_count > head ? max_count - head : 0;
  for (size_t k = 1; k <= rest && valid.size() > head; ++k) {
    size_t i = head + (valid.size() - head - 1) * k / rest;
    if (std::find(pick.begin(), pick.end(), i) == pick.end())
      pick.push_back(i);
  }
  std::vector<std::map<std::string, int64_t>> out;
  for (size_t i : pick) {
    std::map<std::string, int64_t> d;
    for (size_t j = 0; j < n; ++j)
      d[names[j]] = valid[i][j];
    out.push_back(d);
  }
  if (n == 0)
    out.push_back({});
  return out;
}

std::map<std::string, std::vector<int64_t>>
input_shapes(const IndexProgram& a, const IndexProgram& b,
             const std::map<std::string, int64_t>& dims) {
  std::map<std::string, std::vector<int64_t>> out;
  for (auto* p : {&a, &b}) {
    IndexProgram q = at_dims(*p, dims);
    for (auto* t : q.inputs())
      out[t->name] = q.concrete_shape(t->name);
  }
  return out;
}

TensorMap random_tensor_inputs(const std::map<std::string, std::vector<int64_t>>& shapes,
                               uint64_t seed) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + 1);
  std::uniform_real_distribution<double> u(-2.0, 2.0);
  TensorMap m;
  for (auto& [name, shape] : shapes) {
    TensorValue v;
    v.shape = shape;
    size_t n = 1;
    for (auto s : shape)
      n *= static_cast<size_t>(std::max<int64_t>(s, 0));
    v.data.resize(n);
    for (auto& x : v.data)
      x = u(rng);
    m[name] = v;
  }
  return m;
}

namespace {

std::optional<double> eval_num(const Expr& e, const std::map<std::string, int64_t>& dims,
                               const TensorMap& in, bool* ok) {
  auto rec = [&](const Expr& x) { return eval_num(x, dims, in, ok); };
  auto fail = [&]() -> std::optional<double> {
    *ok = false;
    return std::nullopt;
  };
  switch (e->kind()) {
  case ExprKind::IntConst:
    return static_cast<double>(e->int_value());
  case ExprKind::RealConst:
    return e->real_value();
  case ExprKind::DimVar: {
    auto it = dims.find(e->name());
    if (it == dims.end())
      return fail();
    return static_cast<double>(it->second);
  }
  case ExprKind::Access: {
    auto it = in.find(e->name());
    if (it == in.end())
      return fail();
    std::vector<int64_t> idx;
    for (auto& a : e->args()) {
      auto v = rec(a);
      if (!v)
        return fail();
      idx.push_back(static_cast<int64_t>(*v));
    }
    if (idx.size() != it->second.shape.size())
      return fail();
    for (size_t i = 0; i < idx.size(); ++i)
      if (idx[i] < 0 || idx[i] >= it->second.shape[i])
        return fail();
    return it->second.at(idx);
  }
  default:
    break;
  }
  std::vector<double> v;
  for (auto& a : e->args()) {
    auto x = rec(a);
    if (!x)
      return fail();
    v.push_back(*x);
  }
  bool is_int = e->args().empty() ? false : e->arg(0)->sort() == Sort::Int;
  switch (e->kind()) {
  case ExprKind::Neg:
    return -v[0];
  case ExprKind::Not:
    return v[0] == 0 ? 1.0 : 0.0;
  case ExprKind::ToReal:
    return v[0];
  case ExprKind::Exp:
    return std::exp(v[0]);
  case ExprKind::Log:
    return std::log(v[0]);
  case ExprKind::Sqrt:
    return std::sqrt(v[0]);
  case ExprKind::Abs:
    return std::fabs(v[0]);
  case ExprKind::Add:
    return v[0] + v[1];
  case ExprKind::Sub:
    return v[0] - v[1];
  case ExprKind::Mul:
    return v[0] * v[1];
  case ExprKind::Div:
    if (v[1] == 0)
      return 0.0;
    return is_int ? std::floor(v[0] / v[1]) : v[0] / v[1];
  case ExprKind::Mod:
    if (v[1] == 0)
      return 0.0;
    return v[0] - v[1] * std::floor(v[0] / v[1]);
  case ExprKind::Min:
    return std::min(v[0], v[1]);
  case ExprKind::Max:
    return std::max(v[0], v[1]);
  case ExprKind::Pow:
    return std::pow(v[0], v[1]);
  case ExprKind::Lt:
    return v[0] < v[1];
  case ExprKind::Le:
    return v[0] <= v[1];
  case ExprKind::Gt:
    return v[0] > v[1];
  case ExprKind::Ge:
    return v[0] >= v[1];
  case ExprKind::Eq:
    return v[0] == v[1];
  case ExprKind::Ne:
    return v[0] != v[1];
  case ExprKind::And:
    return (v[0] != 0 && v[1] != 0) ? 1.0 : 0.0;
  case ExprKind::Or:
    return (v[0] != 0 || v[1] != 0) ? 1.0 : 0.0;
  case ExprKind::Select:
    return v[0] != 0 ? v[1] : v[2];
  default:
    return fail();
  }
}

} // namespace

std::optional<bool> eval_assumption(const Expr& e, const std::map<std::string, int64_t>& dims,
                                    const TensorMap& inputs) {
  bool ok = true;
  auto v = eval_num(e, dims, inputs, &ok);
  if (!ok || !v)
    return std::nullopt;
  return *v != 0;
}

std::string format_counterexample(const Counterexample& c) {
  std::ostringstream os;
  os.precision(17);
  os << "counterexample (" << c.found_by << ", replayed in float64 and confirmed):\n";
  os << "  sizes:";
  for (auto& [k, v] : c.dims)
    os << " " << k << "=" << v;
  os << "\n";
  if (!c.note.empty())
    os << "  " << c.note << "\n";
  if (!c.output.empty() && c.note.empty()) {
    os << "  " << c.output << "[";
    for (size_t i = 0; i < c.index.size(); ++i)
      os << (i ? ", " : "") << c.index[i];
    os << "]: first program " << c.a_value << ", second program " << c.b_value << "\n";
  }
  for (auto& [name, t] : c.inputs) {
    os << "  input " << name << " [";
    for (size_t i = 0; i < t.shape.size(); ++i)
      os << (i ? ", " : "") << t.shape[i];
    os << "] =";
    size_t shown = 0;
    for (double x : t.data) {
      if (++shown > 16) {
        os << " ...";
        break;
      }
      os << " " << x;
    }
    os << "\n";
  }
  return os.str();
}

namespace {

// Body evaluations of one expression per evaluation of its context, a reduction counting its
// body once per element of its range; an extent that depends on an index counts as `cap`.
double expr_work(const Expr& e, const IndexProgram& p, double cap) {
  if (is_reduce(e->kind())) {
    double n = cap;
    try {
      n = static_cast<double>(std::max<int64_t>(p.eval_size(e->extent()), 0));
    } catch (const std::exception&) {
    }
    return n * (1 + expr_work(e->body(), p, cap));
  }
  double w = 1;
  for (auto& a : e->args())
    w += expr_work(a, p, cap);
  return w;
}

} // namespace

double interpretation_work(const IndexProgram& a, const IndexProgram& b,
                           const std::map<std::string, int64_t>& dims) {
  double cap = 1;
  for (auto& [k, v] : dims)
    cap = std::max(cap, static_cast<double>(v));
  double w = 0;
  try {
    for (auto* p : {&a, &b}) {
      IndexProgram q = at_dims(*p, dims);
      for (auto& s : q.stmts())
        w += static_cast<double>(q.numel(s.out)) * expr_work(s.value, q, cap);
    }
  } catch (const std::exception&) {
    return INFINITY;
  }
  return w;
}

std::vector<std::map<std::string, int64_t>>
large_dim_assignments(const IndexProgram& a, const IndexProgram& b,
                      const std::vector<Expr>& assumptions, size_t max_count, double max_work) {
  std::vector<std::string> names;
  for (auto* p : {&a, &b})
    for (auto& [k, v] : p->dims())
      if (std::find(names.begin(), names.end(), k) == names.end())
        names.push_back(k);
  // Dims an assumption `d == e` defines are computed from the others (K == T * B: K from T, B).
  std::vector<std::pair<std::string, Expr>> defined;
  auto mentions = [](const Expr& e, const std::string& d) {
    bool hit = false;
    visit(e,
          [&](const ExprNode& n) { hit = hit || (n.kind() == ExprKind::DimVar && n.name() == d); });
    return hit;
  };
  for (auto& as : assumptions) {
    if (as->kind() != ExprKind::Eq || as->arg(0)->sort() != Sort::Int)
      continue;
    for (int side = 0; side < 2; ++side) {
      const Expr& d = as->arg(side);
      const Expr& e = as->arg(1 - side);
      bool taken = std::any_of(defined.begin(), defined.end(), [&](auto& x) {
        return x.first == d->name() || mentions(x.second, d->name());
      });
      if (d->kind() == ExprKind::DimVar && !taken && !mentions(e, d->name()) &&
          std::none_of(defined.begin(), defined.end(),
                       [&](auto& x) { return mentions(e, x.first); })) {
        defined.emplace_back(d->name(), e);
        break;
      }
    }
  }
  std::vector<std::string> free;
  for (auto& n : names)
    if (std::none_of(defined.begin(), defined.end(), [&](auto& x) { return x.first == n; }))
      free.push_back(n);
  // Patterns over the free dims: every dim at one size (primes and sizes around 16), one dim
  // large with the others small, and distinct primes rotated over the dims.
  std::vector<std::vector<int64_t>> patterns;
  for (int64_t v : {7, 11, 13, 17, 8, 16, 12, 9})
    patterns.push_back(std::vector<int64_t>(free.size(), v));
  const int64_t primes[] = {7, 11, 13, 2, 3, 5, 17};
  for (size_t r = 0; r < 7; ++r) {
    std::vector<int64_t> p;
    for (size_t i = 0; i < free.size(); ++i)
      p.push_back(primes[(i + r) % 7]);
    patterns.push_back(p);
  }
  for (int64_t v : {13, 17, 7})
    for (size_t i = 0; i < free.size(); ++i) {
      std::vector<int64_t> p(free.size(), 2);
      p[i] = v;
      patterns.push_back(p);
    }
  std::vector<std::map<std::string, int64_t>> out;
  std::set<std::map<std::string, int64_t>> seen;
  for (auto& p : patterns) {
    if (out.size() >= max_count)
      break;
    std::map<std::string, int64_t> d;
    for (size_t i = 0; i < free.size(); ++i)
      d[free[i]] = p[i];
    bool ok = true;
    for (auto& [name, e] : defined) {
      bool good = true;
      auto v = eval_num(e, d, {}, &good);
      if (!good || !v || *v < 1 || *v > 4096 || *v != std::floor(*v)) {
        ok = false;
        break;
      }
      d[name] = static_cast<int64_t>(*v);
    }
    if (!ok || !seen.insert(d).second)
      continue;
    for (auto& as : assumptions) {
      auto v = eval_assumption(as, d, {});
      ok = ok && !(v && !*v);
    }
    if (!ok || (!std::isinf(max_work) && !(interpretation_work(a, b, d) <= max_work)))
      continue;
    out.push_back(d);
  }
  return out;
}

TensorMap special_tensor_inputs(const std::map<std::string, std::vector<int64_t>>& shapes,
                                uint64_t seed) {
  static const double kValues[] = {0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 0.0, 3.0, -3.0};
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + 7);
  TensorMap m = random_tensor_inputs(shapes, seed);
  for (auto& [name, t] : m)
    for (auto& x : t.data)
      x = kValues[rng() % 10];
  return m;
}

} // namespace axon::smt
