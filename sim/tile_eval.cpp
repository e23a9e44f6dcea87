// Whole-tile evaluation. A value is a scalar (the same for every output element: constants,
// reduction variables, reads whose indices do not depend on the output position) or a vector
// over the output's elements in row-major order; each operation is one loop over its operands.
// Index offsets of a read that do not depend on a reduction variable are computed once per
// statement. Rounding follows the reference interpreter's F32 mode exactly (ir/interp.cpp).
#include "sim/tile_eval.h"

#include <cmath>
#include <map>
#include <type_traits>
#include <unordered_map>

#include "ir/error.h"

namespace axon {

namespace {

struct NotTileable {}; // the statement goes to the reference interpreter

// Storage of dead vector values, reused by the next ones: a reduction's body allocates the same
// sizes every iteration, and fresh large blocks would each cost page faults.
template <class T> std::vector<std::vector<T>>& pool() {
  thread_local std::vector<std::vector<T>> p;
  return p;
}
template <class T> std::vector<T> fresh(size_t n) {
  auto& p = pool<T>();
  if (p.empty())
    return std::vector<T>(n);
  std::vector<T> v = std::move(p.back());
  p.pop_back();
  v.resize(n);
  return v;
}

template <class T> struct Val {
  bool scalar = true;
  T s{};
  std::vector<T> v;
  T at(size_t i) const { return scalar ? s : v[i]; }

  Val() = default;
  Val(const Val&) = default;
  Val(Val&&) = default;
  Val& operator=(const Val&) = default;
  Val& operator=(Val&& o) {
    recycle();
    scalar = o.scalar;
    s = o.s;
    v = std::move(o.v);
    return *this;
  }
  ~Val() { recycle(); }

private:
  void recycle() {
    if (v.capacity() > 0 && pool<T>().size() < 32)
      pool<T>().push_back(std::move(v));
    v = {};
  }
};
using RV = Val<double>;
using IV = Val<int64_t>;
using BV = Val<uint8_t>;

inline double rnd(double x) { return static_cast<double>(static_cast<float>(x)); }

// Elementwise f over one or two operands; a scalar result when every operand is scalar. The
// operands are taken by value so that a temporary's storage holds the result (no allocation,
// hence no page faults, per operation of a reduction's body).
template <class R, class A, class F> Val<R> map1(Val<A> a, size_t n, F f) {
  Val<R> r;
  if (a.scalar) {
    r.s = f(a.s);
    return r;
  }
  r.scalar = false;
  if constexpr (std::is_same_v<R, A>)
    r.v = std::move(a.v);
  else
    r.v = fresh<R>(n);
  const A* pa = a.v.empty() ? reinterpret_cast<const A*>(r.v.data()) : a.v.data();
  R* pr = r.v.data();
  for (size_t i = 0; i < n; ++i)
    pr[i] = f(pa[i]);
  return r;
}
template <class R, class A, class B, class F> Val<R> map2(Val<A> a, Val<B> b, size_t n, F f) {
  Val<R> r;
  if (a.scalar && b.scalar) {
    r.s = f(a.s, b.s);
    return r;
  }
  r.scalar = false;
  // The output takes the storage of a vector operand of its type (read before written, element
  // by element, so in place is exact).
  const A* pa = nullptr;
  const B* pb = nullptr;
  if constexpr (std::is_same_v<R, A>) {
    if (!a.scalar) {
      r.v = std::move(a.v);
      pa = r.v.data();
    }
  }
  if constexpr (std::is_same_v<R, B>) {
    if (r.v.empty() && !b.scalar) {
      r.v = std::move(b.v);
      pb = r.v.data();
    }
  }
  if (r.v.empty())
    r.v = fresh<R>(n);
  if (!a.scalar && !pa)
    pa = a.v.data();
  if (!b.scalar && !pb)
    pb = b.v.data();
  R* pr = r.v.data();
  if (a.scalar) {
    for (size_t i = 0; i < n; ++i)
      pr[i] = f(a.s, pb[i]);
  } else if (b.scalar) {
    for (size_t i = 0; i < n; ++i)
      pr[i] = f(pa[i], b.s);
  } else {
    for (size_t i = 0; i < n; ++i)
      pr[i] = f(pa[i], pb[i]);
  }
  return r;
}

struct TensorData {
  std::vector<int64_t> shape, strides;
  const std::vector<double>* data = nullptr;
};

// Whether a tensor read sits where the interpreter might not evaluate it (a select branch, the
// right operand of && or ||): evaluating it everywhere could read out of range.
bool guarded_read(const Expr& e, bool guarded) {
  if (e->kind() == ExprKind::Access && guarded)
    return true;
  const auto& a = e->args();
  switch (e->kind()) {
  case ExprKind::Select:
    return guarded_read(a[0], guarded) || guarded_read(a[1], true) || guarded_read(a[2], true);
  case ExprKind::And:
  case ExprKind::Or:
    return guarded_read(a[0], guarded) || guarded_read(a[1], true);
  case ExprKind::Sum:
  case ExprKind::RMax:
  case ExprKind::RMin:
    return guarded_read(e->extent(), guarded) || guarded_read(e->body(), guarded);
  default:
    for (const auto& x : a)
      if (guarded_read(x, guarded))
        return true;
    return false;
  }
}

class TileEval {
public:
  TileEval(const IndexProgram& p, const TensorMap& inputs) : p_(p), inputs_(inputs) {}

  TensorMap run() {
    for (const auto& t : p_.tensors()) {
      if (t.role != TensorRole::Input)
        continue;
      auto it = inputs_.find(t.name);
      if (it == inputs_.end() || it->second.shape != p_.concrete_shape(t.name))
        throw NotTileable{}; // the interpreter words the error
      bind(t.name, it->second);
    }
    for (const auto& s : p_.stmts()) {
      if (guarded_read(s.value, false))
        throw NotTileable{};
      exec(s);
    }
    TensorMap out;
    for (const auto& t : p_.tensors())
      if (t.role != TensorRole::Input)
        out[t.name] = std::move(results_[t.name]);
    return out;
  }

private:
  void bind(const std::string& name, const TensorValue& v) {
    TensorData d;
    d.shape = v.shape;
    d.strides.assign(v.shape.size(), 1);
    for (size_t i = v.shape.size(); i-- > 1;)
      d.strides[i - 1] = d.strides[i] * v.shape[i];
    d.data = &v.data;
    tensors_[name] = d;
  }

  void exec(const IndexStmt& s) {
    shape_ = p_.concrete_shape(s.out);
    n_ = 1;
    for (int64_t d : shape_)
      n_ *= static_cast<size_t>(d);
    vars_ = s.vars;
    axes_.assign(vars_.size(), {});
    static_offsets_.clear();
    reductions_.clear();
    TensorValue& out = results_[s.out];
    out.shape = shape_;
    out.data.assign(n_, 0.0);
    if (s.value->sort() == Sort::Bool) {
      BV b = evb(s.value);
      for (size_t i = 0; i < n_; ++i)
        out.data[i] = b.at(i) ? 1.0 : 0.0;
    } else {
      RV r = evr(s.value);
      for (size_t i = 0; i < n_; ++i)
        out.data[i] = rnd(r.at(i));
    }
    bind(s.out, out);
  }

  // The position along output axis `a` of every output element.
  const std::vector<int64_t>& axis(size_t a) {
    std::vector<int64_t>& v = axes_[a];
    if (v.empty() && n_ > 0) {
      int64_t inner = 1;
      for (size_t i = a + 1; i < shape_.size(); ++i)
        inner *= shape_[i];
      v.resize(n_);
      for (size_t i = 0; i < n_; ++i)
        v[i] = (static_cast<int64_t>(i) / inner) % shape_[a];
    }
    return v;
  }

  const int64_t* reduction(const std::string& name) const {
    for (size_t i = reductions_.size(); i-- > 0;)
      if (reductions_[i].first == name)
        return &reductions_[i].second;
    return nullptr;
  }

  // Whether `e` mentions a reduction variable bound now.
  bool uses_reduction(const Expr& e) const {
    if (e->kind() == ExprKind::IndexVar)
      return reduction(e->name()) != nullptr;
    for (const auto& a : e->args())
      if (uses_reduction(a))
        return true;
    if (is_reduce(e->kind()))
      return uses_reduction(e->extent()) || uses_reduction(e->body());
    return false;
  }

  IV evi(const Expr& e) {
    switch (e->kind()) {
    case ExprKind::IntConst: {
      IV r;
      r.s = e->int_value();
      return r;
    }
    case ExprKind::DimVar: {
      IV r;
      r.s = p_.eval_size(e);
      return r;
    }
    case ExprKind::IndexVar: {
      IV r;
      if (const int64_t* k = reduction(e->name())) {
        r.s = *k;
        return r;
      }
      for (size_t a = 0; a < vars_.size(); ++a)
        if (vars_[a] == e->name()) {
          r.scalar = false;
          r.v = axis(a);
          return r;
        }
      internal_error("tile evaluation: unbound index variable '" + e->name() + "'");
    }
    case ExprKind::Neg:
      return map1<int64_t>(evi(e->arg(0)), n_, [](int64_t a) { return -a; });
    case ExprKind::Add:
      return map2<int64_t>(evi(e->arg(0)), evi(e->arg(1)), n_,
                           [](int64_t a, int64_t b) { return a + b; });
    case ExprKind::Sub:
      return map2<int64_t>(evi(e->arg(0)), evi(e->arg(1)), n_,
                           [](int64_t a, int64_t b) { return a - b; });
    case ExprKind::Mul:
      return map2<int64_t>(evi(e->arg(0)), evi(e->arg(1)), n_,
                           [](int64_t a, int64_t b) { return a * b; });
    case ExprKind::Min:
      return map2<int64_t>(evi(e->arg(0)), evi(e->arg(1)), n_,
                           [](int64_t a, int64_t b) { return std::min(a, b); });
    case ExprKind::Max:
      return map2<int64_t>(evi(e->arg(0)), evi(e->arg(1)), n_,
                           [](int64_t a, int64_t b) { return std::max(a, b); });
    case ExprKind::Div:
      return map2<int64_t>(evi(e->arg(0)), evi(e->arg(1)), n_, floor_div);
    case ExprKind::Mod:
      return map2<int64_t>(evi(e->arg(0)), evi(e->arg(1)), n_, floor_mod);
    case ExprKind::Select: {
      BV c = evb(e->arg(0));
      IV a = evi(e->arg(1)), b = evi(e->arg(2));
      if (c.scalar)
        return c.s ? a : b;
      IV r;
      r.scalar = false;
      r.v.resize(n_);
      for (size_t i = 0; i < n_; ++i)
        r.v[i] = c.v[i] ? a.at(i) : b.at(i);
      return r;
    }
    default:
      internal_error(std::string("tile evaluation: not an int node: ") + kind_name(e->kind()));
    }
  }

  [[noreturn]] void out_of_range(const std::string& tensor, const TensorData& d) {
    std::string s;
    for (size_t i = 0; i < d.shape.size(); ++i)
      s += (i ? ", " : "") + std::to_string(d.shape[i]);
    user_error("interpreter: a statement reads " + tensor + " outside its shape [" + s + "]");
  }

  // Flat offsets of a read, in two parts: the indices free of bound reduction variables, computed
  // once per statement (keyed by the read and which of its indices they are), and the rest
  // (typically one reduction variable, a scalar) each time.
  std::pair<const IV*, IV> offsets(const Expr& e, const TensorData& d) {
    const auto& idx = e->args();
    if (idx.size() > 64)
      throw NotTileable{};
    uint64_t dynamic = 0;
    for (size_t k = 0; k < idx.size(); ++k)
      if (uses_reduction(idx[k]))
        dynamic |= uint64_t(1) << k;
    auto check = [&](const IV& x, size_t k) {
      for (size_t i = 0; i < (x.scalar ? 1 : n_); ++i) {
        int64_t v = x.scalar ? x.s : x.v[i];
        if (v < 0 || v >= d.shape[k])
          out_of_range(e->name(), d);
      }
    };
    auto key = std::make_pair(e.get(), dynamic);
    auto cached = static_offsets_.find(key);
    if (cached == static_offsets_.end()) {
      IV stat;
      for (size_t k = 0; k < idx.size(); ++k) {
        if (dynamic >> k & 1)
          continue;
        IV x = evi(idx[k]);
        check(x, k);
        int64_t st = d.strides[k];
        stat = map2<int64_t>(std::move(stat), std::move(x), n_,
                             [st](int64_t a, int64_t b) { return a + b * st; });
      }
      cached = static_offsets_.emplace(key, std::move(stat)).first;
    }
    IV dyn;
    for (size_t k = 0; k < idx.size() && dynamic; ++k) {
      if (!(dynamic >> k & 1))
        continue;
      IV x = evi(idx[k]);
      check(x, k);
      int64_t st = d.strides[k];
      dyn = map2<int64_t>(std::move(dyn), std::move(x), n_,
                          [st](int64_t a, int64_t b) { return a + b * st; });
    }
    return {&cached->second, std::move(dyn)};
  }

  RV load(const Expr& e) {
    auto t = tensors_.find(e->name());
    if (t == tensors_.end())
      internal_error("tile evaluation: '" + e->name() + "' is read before it is computed");
    const TensorData& d = t->second;
    auto [sp, dyn] = offsets(e, d);
    const IV& stat = *sp;
    const double* src = d.data->data();
    RV r;
    if (stat.scalar && dyn.scalar) {
      r.s = src[stat.s + dyn.s];
      return r;
    }
    r.scalar = false;
    r.v = fresh<double>(n_);
    double* pr = r.v.data();
    if (dyn.scalar) {
      const double* base = src + dyn.s;
      const int64_t* po = stat.v.data();
      for (size_t i = 0; i < n_; ++i)
        pr[i] = base[po[i]];
    } else {
      for (size_t i = 0; i < n_; ++i)
        pr[i] = src[stat.at(i) + dyn.v[i]];
    }
    return r;
  }

  // A real operand read element by element without a copy: a tensor read whose reduction part
  // is a scalar offset, or an evaluated value held in `keep`.
  struct View {
    bool scalar = true;
    double s = 0;
    const double* base = nullptr;
    const int64_t* off = nullptr;
    const double* vals = nullptr;
    RV keep;
    double at(size_t i) const { return scalar ? s : off ? base[off[i]] : vals[i]; }
  };

  View view(const Expr& e) {
    View w;
    if (e->kind() == ExprKind::Access) {
      auto t = tensors_.find(e->name());
      if (t != tensors_.end()) {
        auto [sp, dyn] = offsets(e, t->second);
        if (dyn.scalar) {
          const double* src = t->second.data->data() + dyn.s;
          if (sp->scalar) {
            w.s = src[sp->s];
          } else {
            w.scalar = false;
            w.base = src;
            w.off = sp->v.data();
          }
          return w;
        }
      }
    }
    w.keep = evr(e);
    if (w.keep.scalar) {
      w.s = w.keep.s;
    } else {
      w.scalar = false;
      w.vals = w.keep.v.data();
    }
    return w;
  }

  BV evb(const Expr& e) {
    switch (e->kind()) {
    case ExprKind::Access:
      return map1<uint8_t>(load(e), n_, [](double x) -> uint8_t { return x != 0; });
    case ExprKind::Not:
      return map1<uint8_t>(evb(e->arg(0)), n_, [](uint8_t a) -> uint8_t { return !a; });
    case ExprKind::And:
      return map2<uint8_t>(evb(e->arg(0)), evb(e->arg(1)), n_,
                           [](uint8_t a, uint8_t b) -> uint8_t { return a && b; });
    case ExprKind::Or:
      return map2<uint8_t>(evb(e->arg(0)), evb(e->arg(1)), n_,
                           [](uint8_t a, uint8_t b) -> uint8_t { return a || b; });
    case ExprKind::Select: {
      BV c = evb(e->arg(0)), a = evb(e->arg(1)), b = evb(e->arg(2));
      if (c.scalar)
        return c.s ? a : b;
      BV r;
      r.scalar = false;
      r.v.resize(n_);
      for (size_t i = 0; i < n_; ++i)
        r.v[i] = c.v[i] ? a.at(i) : b.at(i);
      return r;
    }
    case ExprKind::Lt:
    case ExprKind::Le:
    case ExprKind::Gt:
    case ExprKind::Ge:
    case ExprKind::Eq:
    case ExprKind::Ne: {
      RV a, b;
      Sort s = e->arg(0)->sort();
      if (s == Sort::Int) {
        auto d = [](int64_t x) { return static_cast<double>(x); };
        a = map1<double>(evi(e->arg(0)), n_, d);
        b = map1<double>(evi(e->arg(1)), n_, d);
      } else if (s == Sort::Bool) {
        auto d = [](uint8_t x) { return x ? 1.0 : 0.0; };
        a = map1<double>(evb(e->arg(0)), n_, d);
        b = map1<double>(evb(e->arg(1)), n_, d);
      } else {
        a = evr(e->arg(0));
        b = evr(e->arg(1));
      }
      ExprKind k = e->kind();
      return map2<uint8_t>(a, b, n_,
                           [k](double x, double y) -> uint8_t { return compare_values(k, x, y); });
    }
    default:
      internal_error(std::string("tile evaluation: not a bool node: ") + kind_name(e->kind()));
    }
  }

  RV evr(const Expr& e) {
    auto un = [&](auto f) { return map1<double>(evr(e->arg(0)), n_, f); };
    auto bin = [&](auto f) { return map2<double>(evr(e->arg(0)), evr(e->arg(1)), n_, f); };
    switch (e->kind()) {
    case ExprKind::RealConst: {
      RV r;
      r.s = e->real_value();
      return r;
    }
    case ExprKind::Access:
      return load(e);
    case ExprKind::ToReal:
      return map1<double>(evi(e->arg(0)), n_, [](int64_t x) { return static_cast<double>(x); });
    case ExprKind::Neg:
      return un([](double x) { return -x; });
    case ExprKind::Exp:
      return un([](double x) { return rnd(std::exp(x)); });
    case ExprKind::Log:
      return un([](double x) { return rnd(std::log(x)); });
    case ExprKind::Sqrt:
      return un([](double x) { return rnd(std::sqrt(x)); });
    case ExprKind::Rsqrt:
      return un([](double x) { return rnd(1.0 / std::sqrt(x)); });
    case ExprKind::Tanh:
      return un([](double x) { return rnd(std::tanh(x)); });
    case ExprKind::Erf:
      return un([](double x) { return rnd(std::erf(x)); });
    case ExprKind::Sigmoid:
      return un([](double x) { return rnd(1.0 / (1.0 + std::exp(-x))); });
    case ExprKind::Abs:
      return un([](double x) { return std::fabs(x); });
    case ExprKind::Sin:
      return un([](double x) { return rnd(std::sin(x)); });
    case ExprKind::Cos:
      return un([](double x) { return rnd(std::cos(x)); });
    case ExprKind::Recip:
      return un([](double x) { return x == 0 ? 0.0 : rnd(1.0 / x); });
    case ExprKind::Add:
      return bin([](double a, double b) { return rnd(a + b); });
    case ExprKind::Sub:
      return bin([](double a, double b) { return rnd(a - b); });
    case ExprKind::Mul:
      return bin([](double a, double b) { return rnd(a * b); });
    case ExprKind::Div:
      return bin([](double a, double b) { return b == 0 ? 0.0 : rnd(a / b); });
    case ExprKind::Pow:
      return bin([](double a, double b) { return rnd(std::pow(a, b)); });
    case ExprKind::Min:
      return bin([](double a, double b) { return b < a ? b : a; });
    case ExprKind::Max:
      return bin([](double a, double b) { return b > a ? b : a; });
    case ExprKind::Select: {
      BV c = evb(e->arg(0));
      RV a = evr(e->arg(1)), b = evr(e->arg(2));
      if (c.scalar)
        return c.s ? a : b;
      RV r;
      r.scalar = false;
      r.v.resize(n_);
      for (size_t i = 0; i < n_; ++i)
        r.v[i] = c.v[i] ? a.at(i) : b.at(i);
      return r;
    }
    case ExprKind::Sum:
    case ExprKind::RMax:
    case ExprKind::RMin: {
      IV ext = evi(e->extent());
      if (!ext.scalar)
        throw NotTileable{}; // an extent that varies over the output
      ExprKind k = e->kind();
      RV acc;
      acc.s = k == ExprKind::Sum ? 0.0 : (k == ExprKind::RMax ? -INFINITY : INFINITY);
      reductions_.push_back({e->name(), 0});
      for (int64_t i = 0; i < ext.s; ++i) {
        reductions_.back().second = i;
        if (k == ExprKind::Sum && e->body()->kind() == ExprKind::Mul) {
          // sum of products (a matmul): one pass reading both factors in place.
          View a = view(e->body()->arg(0)), b = view(e->body()->arg(1));
          if (!a.scalar || !b.scalar) {
            if (acc.scalar) {
              double init = acc.s;
              acc.scalar = false;
              acc.v = fresh<double>(n_);
              std::fill(acc.v.begin(), acc.v.end(), init);
            }
            double* pa = acc.v.data();
            for (size_t j = 0; j < n_; ++j)
              pa[j] = rnd(pa[j] + rnd(a.at(j) * b.at(j)));
          } else {
            acc = map2<double>(std::move(acc), RV{}, n_,
                               [&](double x, double) { return rnd(x + rnd(a.s * b.s)); });
          }
          continue;
        }
        RV v = evr(e->body());
        if (k == ExprKind::Sum)
          acc = map2<double>(std::move(acc), std::move(v), n_,
                             [](double a, double x) { return rnd(a + x); });
        else if (k == ExprKind::RMax)
          acc = map2<double>(std::move(acc), std::move(v), n_,
                             [](double a, double x) { return x > a ? x : a; });
        else
          acc = map2<double>(std::move(acc), std::move(v), n_,
                             [](double a, double x) { return x < a ? x : a; });
      }
      reductions_.pop_back();
      return acc;
    }
    default:
      internal_error(std::string("tile evaluation: not a real node: ") + kind_name(e->kind()));
    }
  }

  const IndexProgram& p_;
  const TensorMap& inputs_;
  std::map<std::string, TensorValue> results_;
  std::map<std::string, TensorData> tensors_;
  std::vector<int64_t> shape_;
  size_t n_ = 0;
  std::vector<std::string> vars_;
  std::vector<std::vector<int64_t>> axes_;
  std::map<std::pair<const ExprNode*, uint64_t>, IV> static_offsets_;
  std::vector<std::pair<std::string, int64_t>> reductions_;
};

} // namespace

TensorMap eval_tile_semantics(const IndexProgram& p, const TensorMap& inputs) {
  try {
    return TileEval(p, inputs).run();
  } catch (const NotTileable&) {
    return interpret(p, inputs, EvalMode::F32);
  }
}

} // namespace axon
