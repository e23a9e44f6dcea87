// Float64 trials (isel_eval.h): a small tree-walking evaluator over the Expr IR with the IR's
// semantics (total division, floor int division, empty max = -inf), variables on a stack, tensor
// contents from a hash, and instruction operands resolved through their bindings.
#include "synth/isel_eval.h"

#include <cmath>
#include <limits>
#include <random>

#include "ir/error.h"

namespace axon::isel {

namespace {

uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint64_t name_hash(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : s)
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

struct Evaluator {
  explicit Evaluator(const Trial& trial, const CandidateView* c = nullptr) : t(trial), cand(c) {}
  const Trial& t;
  const CandidateView* cand = nullptr;
  std::vector<std::pair<const std::string*, int64_t>> env;
  std::map<std::string, int64_t> instr_dims;
  // Reduction terms evaluated so far: a trial is a quick filter, so one whose value needs more
  // than kMaxTerms (deeply nested reductions at the trial sizes grow as size^depth) is dropped
  // (make_trials) or rejects the candidate (agrees), instead of running for minutes.
  static constexpr int64_t kMaxTerms = int64_t(1) << 20;
  int64_t terms = 0;

  int64_t var(const std::string& n) const {
    for (auto it = env.rbegin(); it != env.rend(); ++it)
      if (*it->first == n)
        return it->second;
    throw std::runtime_error("unbound variable " + n);
  }
  int64_t dim(const std::string& n) const {
    auto it = instr_dims.find(n);
    if (it != instr_dims.end())
      return it->second;
    auto jt = t.dims.find(n);
    if (jt != t.dims.end())
      return jt->second;
    throw std::runtime_error("unbound dim " + n);
  }

  double tensor(const std::string& name, const std::vector<int64_t>& idx, bool is_bool) const {
    uint64_t h = mix(name_hash(name) ^ t.seed);
    for (int64_t i : idx)
      h = mix(h ^ static_cast<uint64_t>(i + 0x9e3779b9));
    if (is_bool)
      return static_cast<double>(h & 1);
    double u = static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
    return t.lo + (t.hi - t.lo) * u;
  }

  int64_t ival(const Expr& e) {
    const auto& a = e->args();
    switch (e->kind()) {
    case ExprKind::IntConst:
      return e->int_value();
    case ExprKind::IndexVar:
      return var(e->name());
    case ExprKind::DimVar:
      return dim(e->name());
    case ExprKind::Neg:
      return -ival(a[0]);
    case ExprKind::Add:
      return ival(a[0]) + ival(a[1]);
    case ExprKind::Sub:
      return ival(a[0]) - ival(a[1]);
    case ExprKind::Mul:
      return ival(a[0]) * ival(a[1]);
    case ExprKind::Div:
      return floor_div(ival(a[0]), ival(a[1]));
    case ExprKind::Mod:
      return floor_mod(ival(a[0]), ival(a[1]));
    case ExprKind::Min:
      return std::min(ival(a[0]), ival(a[1]));
    case ExprKind::Max:
      return std::max(ival(a[0]), ival(a[1]));
    case ExprKind::Select:
      return bval(a[0]) ? ival(a[1]) : ival(a[2]);
    default:
      throw std::runtime_error("not an int expression");
    }
  }

  bool bval(const Expr& e) {
    const auto& a = e->args();
    auto cmp = [&](auto f) {
      if (a[0]->sort() == Sort::Int)
        return f(static_cast<double>(ival(a[0])), static_cast<double>(ival(a[1])));
      return f(val(a[0]), val(a[1]));
    };
    switch (e->kind()) {
    case ExprKind::Not:
      return !bval(a[0]);
    case ExprKind::And:
      return bval(a[0]) && bval(a[1]);
    case ExprKind::Or:
      return bval(a[0]) || bval(a[1]);
    case ExprKind::Lt:
      return cmp([](double x, double y) { return x < y; });
    case ExprKind::Le:
      return cmp([](double x, double y) { return x <= y; });
    case ExprKind::Gt:
      return cmp([](double x, double y) { return x > y; });
    case ExprKind::Ge:
      return cmp([](double x, double y) { return x >= y; });
    case ExprKind::Eq:
      if (a[0]->sort() == Sort::Bool)
        return bval(a[0]) == bval(a[1]);
      return cmp([](double x, double y) { return x == y; });
    case ExprKind::Ne:
      if (a[0]->sort() == Sort::Bool)
        return bval(a[0]) != bval(a[1]);
      return cmp([](double x, double y) { return x != y; });
    case ExprKind::Select:
      return bval(a[0]) ? bval(a[1]) : bval(a[2]);
    case ExprKind::Access:
      return access(e) != 0;
    default:
      throw std::runtime_error("not a bool expression");
    }
  }

  double access(const Expr& e) {
    std::vector<int64_t> idx;
    idx.reserve(e->args().size());
    for (auto& i : e->args())
      idx.push_back(ival(i));
    const SlotTerm* bound = nullptr;
    if (cand)
      for (auto& [n, st] : cand->slots)
        if (*n == e->name())
          bound = st;
    {
      if (bound) {
        const SlotTerm& s = *bound;
        size_t mark = env.size();
        for (size_t k = 0; k < s.axis_vars.size() && k < idx.size(); ++k)
          if (!s.axis_vars[k].empty())
            env.push_back({&s.axis_vars[k], idx[k]});
        double v = s.term->sort() == Sort::Bool ? (bval(s.term) ? 1.0 : 0.0) : val(s.term);
        env.resize(mark);
        return v;
      }
    }
    return tensor(e->name(), idx, e->sort() == Sort::Bool);
  }

  double reduce(const Expr& e) {
    int64_t n = ival(e->extent());
    double acc = e->kind() == ExprKind::Sum    ? 0.0
                 : e->kind() == ExprKind::RMax ? -std::numeric_limits<double>::infinity()
                                               : std::numeric_limits<double>::infinity();
    env.push_back({&e->name(), 0});
    for (int64_t i = 0; i < n; ++i) {
      if (++terms > kMaxTerms)
        throw std::runtime_error("the trial needs more than 2^20 reduction terms");
      env.back().second = i;
      double v = val(e->body());
      if (e->kind() == ExprKind::Sum)
        acc += v;
      else if (e->kind() == ExprKind::RMax)
        acc = v > acc ? v : acc;
      else
        acc = v < acc ? v : acc;
    }
    env.pop_back();
    return acc;
  }

  double val(const Expr& e) {
    const auto& a = e->args();
    switch (e->kind()) {
    case ExprKind::RealConst:
      return e->real_value();
    case ExprKind::ToReal:
      return static_cast<double>(ival(a[0]));
    case ExprKind::Access:
      return access(e);
    case ExprKind::Neg:
      return -val(a[0]);
    case ExprKind::Exp:
      return std::exp(val(a[0]));
    case ExprKind::Log:
      return std::log(val(a[0]));
    case ExprKind::Sqrt:
      return std::sqrt(val(a[0]));
    case ExprKind::Rsqrt:
      return 1.0 / std::sqrt(val(a[0]));
    case ExprKind::Tanh:
      return std::tanh(val(a[0]));
    case ExprKind::Erf:
      return std::erf(val(a[0]));
    case ExprKind::Sigmoid:
      return 1.0 / (1.0 + std::exp(-val(a[0])));
    case ExprKind::Abs:
      return std::fabs(val(a[0]));
    case ExprKind::Sin:
      return std::sin(val(a[0]));
    case ExprKind::Cos:
      return std::cos(val(a[0]));
    case ExprKind::Recip: {
      double x = val(a[0]);
      return x == 0 ? 0.0 : 1.0 / x;
    }
    case ExprKind::Add:
      return val(a[0]) + val(a[1]);
    case ExprKind::Sub:
      return val(a[0]) - val(a[1]);
    case ExprKind::Mul:
      return val(a[0]) * val(a[1]);
    case ExprKind::Div: {
      double x = val(a[0]), y = val(a[1]);
      return y == 0 ? 0.0 : x / y;
    }
    case ExprKind::Pow:
      return std::pow(val(a[0]), val(a[1]));
    case ExprKind::Min: {
      double x = val(a[0]), y = val(a[1]);
      return y < x ? y : x;
    }
    case ExprKind::Max: {
      double x = val(a[0]), y = val(a[1]);
      return y > x ? y : x;
    }
    case ExprKind::Select:
      return bval(a[0]) ? val(a[1]) : val(a[2]);
    case ExprKind::Sum:
    case ExprKind::RMax:
    case ExprKind::RMin:
      return reduce(e);
    default:
      if (e->sort() == Sort::Bool)
        return bval(e) ? 1.0 : 0.0;
      throw std::runtime_error("cannot evaluate " + std::string(kind_name(e->kind())));
    }
  }

  double any(const Expr& e) { return e->sort() == Sort::Bool ? (bval(e) ? 1.0 : 0.0) : val(e); }
};

bool close(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b))
    return a == b;
  return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
}

} // namespace

std::vector<Trial> make_trials(const Goal& g, size_t count) {
  std::vector<Trial> out;
  std::mt19937_64 rng(0x5eed1ce5ULL);
  const double ranges[3][2] = {{-1.0, 1.0}, {0.25, 2.0}, {-2.0, 2.0}};
  for (size_t attempt = 0; out.size() < count && attempt < 8 * count; ++attempt) {
    Trial t;
    t.seed = rng();
    t.lo = ranges[attempt % 3][0];
    t.hi = ranges[attempt % 3][1];
    // Distinct small sizes, so a transposed or swapped binding reads different elements.
    std::vector<int64_t> sizes = {2, 3, 4, 5, 6};
    std::shuffle(sizes.begin(), sizes.end(), rng);
    for (size_t i = 0; i < g.dims.size(); ++i)
      t.dims[g.dims[i]] = i < sizes.size() ? sizes[i] : 2 + static_cast<int64_t>(rng() % 5);
    Evaluator ev{t};
    try {
      bool empty = false;
      for (size_t i = 0; i < g.vars.size(); ++i) {
        int64_t n = ev.ival(g.extents[i]);
        if (n <= 0) {
          empty = true;
          break;
        }
        int64_t v = static_cast<int64_t>(rng() % static_cast<uint64_t>(n));
        t.vars.push_back({g.vars[i], v});
      }
      if (empty)
        continue;
      Evaluator ev2{t};
      for (auto& [n, v] : t.vars)
        ev2.env.push_back({&n, v});
      for (auto& [b, ext] : g.bound_extent) {
        try {
          t.bound_extent[b] = ev2.ival(ext);
        } catch (const std::exception&) {
          t.bound_extent[b] = 0; // an extent that depends on an enclosing bound variable
        }
      }
      t.target = ev2.any(g.value);
    } catch (const std::exception&) {
      continue;
    }
    if (!std::isfinite(t.target))
      continue;
    out.push_back(std::move(t));
  }
  return out;
}

int64_t evaluate_int(const Expr& e, const std::map<std::string, int64_t>& dims,
                     const std::vector<std::pair<std::string, int64_t>>& vars) {
  Trial t;
  t.dims = dims;
  Evaluator ev{t};
  for (auto& [n, v] : vars)
    ev.env.push_back({&n, v});
  return ev.ival(e);
}

double evaluate_real(const Expr& e, const std::map<std::string, int64_t>& dims,
                     const std::vector<std::pair<std::string, int64_t>>& vars) {
  Trial t;
  t.dims = dims;
  Evaluator ev{t};
  for (auto& [n, v] : vars)
    ev.env.push_back({&n, v});
  return ev.any(e);
}

bool agrees(const Goal& g, const std::vector<Trial>& trials, const CandidateView& c) {
  for (const Trial& t : trials) {
    Evaluator ev{t, &c};
    for (auto& [n, v] : t.vars)
      ev.env.push_back({&n, v});
    for (auto& [d, gv] : c.dim_vars) {
      if (gv.empty()) {
        ev.instr_dims[d] = 1;
        continue;
      }
      auto b = t.bound_extent.find(gv);
      if (b != t.bound_extent.end()) {
        ev.instr_dims[d] = b->second;
        continue;
      }
      int64_t n = -1;
      for (size_t i = 0; i < g.vars.size(); ++i)
        if (g.vars[i] == gv)
          n = ev.ival(g.extents[i]);
      if (n < 0)
        return false;
      ev.instr_dims[d] = n;
    }
    std::vector<int64_t> zero_holder;
    for (auto& [iv, gv] : c.out_vars)
      ev.env.push_back({&iv, gv.empty() ? 0 : ev.var(gv)});
    double v;
    try {
      v = ev.any(*c.expr);
    } catch (const std::exception&) {
      return false;
    }
    if (!close(v, t.target))
      return false;
  }
  return true;
}

} // namespace axon::isel
