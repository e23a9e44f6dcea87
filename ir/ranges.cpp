// Interval bounds on integer expressions and size checks (see ranges.h). Intervals are computed
// in 128 bits from 64-bit operands, so each step is exact before it is compared with the 64-bit
// range.
#include "ir/ranges.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "ir/error.h"
#include "ir/shape.h"

namespace axon {

namespace {

using i128 = __int128;
constexpr i128 kMin64 = INT64_MIN, kMax64 = INT64_MAX;

std::string i128_text(i128 v) {
  if (v == 0)
    return "0";
  bool neg = v < 0;
  unsigned __int128 u =
      neg ? static_cast<unsigned __int128>(-(v + 1)) + 1 : static_cast<unsigned __int128>(v);
  std::string s;
  while (u) {
    s += static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  }
  if (neg)
    s += '-';
  std::reverse(s.begin(), s.end());
  return s;
}

struct Range {
  i128 lo = 0, hi = 0;
};

// Ranges of every integer node under one binding of index variables; unknown (nullopt) where a
// dim has no size.
class RangeChecker {
public:
  RangeChecker(const DimValues& dims, std::function<void(const std::string&)> fail)
      : dims_(dims), fail_(std::move(fail)) {}

  std::map<std::string, Range> vars; // index variable -> its values

  std::optional<Range> of(const Expr& e) {
    auto it = memo_.find(e.get());
    if (it != memo_.end())
      return it->second;
    std::optional<Range> r = compute(e);
    if (r && (r->lo < kMin64 || r->hi > kMax64))
      fail_("the integer expression `" + to_string(e) + "` can reach " +
            i128_text(r->lo < kMin64 ? r->lo : r->hi) + ", beyond the 64-bit range");
    memo_[e.get()] = r;
    return r;
  }

  // Nodes evaluated for one element of `e`: a reduction counts its body once per term, at the
  // largest extent it can have (infinity when unknown).
  double cost(const Expr& e) {
    if (e->sort() == Sort::Int && !is_reduce(e->kind())) {
      of(e);
      return 1;
    }
    if (is_reduce(e->kind())) {
      std::optional<Range> ext = of(e->extent());
      double n = ext ? static_cast<double>(std::max<i128>(0, ext->hi)) : INFINITY;
      auto saved_vars = vars;
      vars[e->name()] = Range{0, ext ? std::max<i128>(0, ext->hi - 1) : kMax64};
      if (!ext)
        unknown_vars_.push_back(e->name());
      auto saved_memo = std::move(memo_);
      memo_.clear();
      double c = 1 + n * cost(e->body());
      memo_ = std::move(saved_memo);
      if (!ext)
        unknown_vars_.pop_back();
      vars = std::move(saved_vars);
      return c;
    }
    double c = 1;
    for (auto& a : e->args())
      c += cost(a);
    return c;
  }

  // Walks a value (Real or Bool) for its integer subexpressions and reductions.
  void walk(const Expr& e) {
    if (e->sort() == Sort::Int) {
      of(e);
      return;
    }
    if (!visited_.insert({e.get(), 0}).second)
      return;
    if (is_reduce(e->kind())) {
      std::optional<Range> ext = of(e->extent());
      if (ext && ext->hi > limits::kMaxExtent)
        fail_("the reduction over '" + e->name() + "' has " + i128_text(ext->hi) +
              " terms, more than the limit " + std::to_string(limits::kMaxExtent) + " (2^40)");
      // The body under a new binding: results computed under the old one do not carry over.
      auto saved_vars = vars;
      vars[e->name()] = Range{0, ext ? std::max<i128>(0, ext->hi - 1) : kMax64};
      bool known = static_cast<bool>(ext);
      if (!known)
        unknown_vars_.push_back(e->name());
      auto saved_memo = std::move(memo_);
      auto saved_visited = std::move(visited_);
      memo_.clear();
      visited_.clear();
      walk(e->body());
      memo_ = std::move(saved_memo);
      visited_ = std::move(saved_visited);
      if (!known)
        unknown_vars_.pop_back();
      vars = std::move(saved_vars);
      return;
    }
    for (auto& a : e->args())
      walk(a);
  }

private:
  std::optional<Range> compute(const Expr& e) {
    switch (e->kind()) {
    case ExprKind::IntConst:
      return Range{e->int_value(), e->int_value()};
    case ExprKind::DimVar: {
      auto it = dims_.find(e->name());
      if (it == dims_.end() || !it->second)
        return std::nullopt;
      return Range{*it->second, *it->second};
    }
    case ExprKind::IndexVar: {
      if (std::find(unknown_vars_.begin(), unknown_vars_.end(), e->name()) != unknown_vars_.end())
        return std::nullopt;
      auto it = vars.find(e->name());
      if (it == vars.end())
        return std::nullopt;
      return it->second;
    }
    case ExprKind::Neg: {
      auto a = of(e->arg(0));
      if (!a)
        return std::nullopt;
      return Range{-a->hi, -a->lo};
    }
    case ExprKind::Select: {
      walk(e->arg(0));
      auto a = of(e->arg(1)), b = of(e->arg(2));
      if (!a || !b)
        return std::nullopt;
      return Range{std::min(a->lo, b->lo), std::max(a->hi, b->hi)};
    }
    case ExprKind::Add:
    case ExprKind::Sub:
    case ExprKind::Mul:
    case ExprKind::Div:
    case ExprKind::Mod:
    case ExprKind::Min:
    case ExprKind::Max: {
      auto a = of(e->arg(0)), b = of(e->arg(1));
      if (!a || !b)
        return std::nullopt;
      switch (e->kind()) {
      case ExprKind::Add:
        return Range{a->lo + b->lo, a->hi + b->hi};
      case ExprKind::Sub:
        return Range{a->lo - b->hi, a->hi - b->lo};
      case ExprKind::Mul: {
        i128 c[4] = {a->lo * b->lo, a->lo * b->hi, a->hi * b->lo, a->hi * b->hi};
        return Range{*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
      }
      case ExprKind::Min:
        return Range{std::min(a->lo, b->lo), std::min(a->hi, b->hi)};
      case ExprKind::Max:
        return Range{std::max(a->lo, b->lo), std::max(a->hi, b->hi)};
      case ExprKind::Div: {
        // |a / b| <= |a| for any b (and x / 0 = 0).
        i128 m = std::max(a->lo < 0 ? -a->lo : a->lo, a->hi < 0 ? -a->hi : a->hi);
        return Range{-m, m};
      }
      default: {
        // The remainder has the divisor's sign and is smaller than it (x % 0 = 0).
        i128 m = std::max(b->lo < 0 ? -b->lo : b->lo, b->hi < 0 ? -b->hi : b->hi);
        return Range{m > 0 ? -(m - 1) : 0, m > 0 ? m - 1 : 0};
      }
      }
    }
    default:
      // An integer node of another kind (none today): walk its operands, its range unknown.
      for (auto& a : e->args())
        walk(a);
      return std::nullopt;
    }
  }

  const DimValues& dims_;
  std::function<void(const std::string&)> fail_;
  std::unordered_map<const ExprNode*, std::optional<Range>> memo_;
  std::unordered_map<const ExprNode*, int> visited_;
  std::vector<std::string> unknown_vars_;
};

} // namespace

std::optional<int64_t> eval_size_checked(const Expr& e, const DimValues& dims,
                                         const std::function<void(const std::string&)>& fail) {
  switch (e->kind()) {
  case ExprKind::IntConst:
    return e->int_value();
  case ExprKind::DimVar: {
    auto it = dims.find(e->name());
    if (it == dims.end() || !it->second)
      return std::nullopt;
    return *it->second;
  }
  case ExprKind::Neg: {
    auto a = eval_size_checked(e->arg(0), dims, fail);
    if (!a)
      return std::nullopt;
    if (*a == INT64_MIN)
      fail("`" + to_string(e) + "` overflows 64 bits");
    return -*a;
  }
  case ExprKind::Add:
  case ExprKind::Sub:
  case ExprKind::Mul:
  case ExprKind::Div:
  case ExprKind::Mod:
  case ExprKind::Min:
  case ExprKind::Max: {
    auto a = eval_size_checked(e->arg(0), dims, fail);
    auto b = eval_size_checked(e->arg(1), dims, fail);
    if (!a || !b)
      return std::nullopt;
    int64_t r = 0;
    bool over = false;
    switch (e->kind()) {
    case ExprKind::Add:
      over = __builtin_add_overflow(*a, *b, &r);
      break;
    case ExprKind::Sub:
      over = __builtin_sub_overflow(*a, *b, &r);
      break;
    case ExprKind::Mul:
      over = __builtin_mul_overflow(*a, *b, &r);
      break;
    case ExprKind::Min:
      r = std::min(*a, *b);
      break;
    case ExprKind::Max:
      r = std::max(*a, *b);
      break;
    default:
      if (*b == 0)
        fail("`" + to_string(e) + "` divides by zero");
      if (*a == INT64_MIN && *b == -1)
        over = true;
      else
        r = e->kind() == ExprKind::Div ? floor_div(*a, *b) : floor_mod(*a, *b);
    }
    if (over)
      fail("`" + to_string(e) + "` overflows 64 bits");
    return r;
  }
  default:
    return std::nullopt;
  }
}

std::string extent_problem(int64_t v, const std::string& what) {
  if (v < 1)
    return what + " is " + std::to_string(v) + "; sizes and extents must be at least 1";
  if (v > limits::kMaxExtent)
    return what + " is " + std::to_string(v) + ", more than the limit " +
           std::to_string(limits::kMaxExtent) + " (2^40)";
  return "";
}

void check_ranges(const IndexProgram& p, const SourceFile* src) {
  Loc loc;
  std::string where;
  auto fail = [&](const std::string& msg) {
    std::string m = where.empty() ? msg : where + ": " + msg;
    if (src && loc.line > 0)
      user_error_at(*src, loc, m,
                    "sizes, extents and index arithmetic are bounded (docs/reliability.md)");
    user_error((src ? src->path + ": error: " : std::string("error: ")) + m);
  };
  // Where each tensor is written, to place a problem with its shape.
  std::map<std::string, const IndexStmt*> writer;
  for (auto& s : p.stmts())
    writer[s.out] = &s;
  std::map<std::string, std::vector<int64_t>> shapes;
  for (auto& t : p.tensors()) {
    auto w = writer.find(t.name);
    loc = w == writer.end() ? Loc{} : w->second->loc;
    where = "tensor '" + t.name + "'";
    std::vector<int64_t> shape;
    bool known = true;
    i128 numel = 1;
    for (size_t i = 0; i < t.shape.size(); ++i) {
      auto v = eval_size_checked(t.shape[i], p.dims(), fail);
      if (!v) {
        known = false;
        continue;
      }
      std::string bad = extent_problem(*v, "dimension " + std::to_string(i) + " (" +
                                               dim_to_string(t.shape[i]) + ")");
      if (!bad.empty())
        fail(bad);
      numel *= *v;
      if (numel > kMaxTensorElements)
        fail("it has more than " + std::to_string(kMaxTensorElements) +
             " (2^40) elements, the limit on one tensor");
      shape.push_back(*v);
    }
    if (known)
      shapes[t.name] = shape;
  }
  for (auto& s : p.stmts()) {
    loc = s.loc;
    where = "the statement for '" + s.out + "'" +
            (s.origin.empty() || s.origin == "index" ? "" : " (from " + s.origin + ")");
    RangeChecker rc(p.dims(), fail);
    auto sh = shapes.find(s.out);
    for (size_t i = 0; i < s.vars.size(); ++i) {
      if (sh != shapes.end() && i < sh->second.size())
        rc.vars[s.vars[i]] = Range{0, sh->second[i] - 1};
    }
    rc.walk(s.value);
  }
}

double interpretation_work(const IndexProgram& p) {
  auto fail = [](const std::string& msg) { user_error("error: " + msg); };
  double total = 0;
  for (auto& s : p.stmts()) {
    RangeChecker rc(p.dims(), fail);
    double elements = 1;
    const TensorDecl& out = p.tensor(s.out);
    for (size_t i = 0; i < out.shape.size(); ++i) {
      auto v = eval_size_checked(out.shape[i], p.dims(), fail);
      if (!v)
        return INFINITY;
      elements *= static_cast<double>(*v);
      if (i < s.vars.size())
        rc.vars[s.vars[i]] = Range{0, *v - 1};
    }
    total += elements * rc.cost(s.value);
  }
  return total;
}

} // namespace axon
