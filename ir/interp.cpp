// The reference interpreter. Each statement's expression is compiled once into a tree with
// resolved index slots and tensor strides, then evaluated for every output element.
#include "ir/interp.h"

#include <cmath>
#include <deque>
#include <sstream>
#include <unordered_map>

#include <unistd.h>

#include "ir/error.h"
#include "ir/ranges.h"
#include "ir/shape.h"
#include "ir/splitmix.h"

namespace axon {

double& TensorValue::at(const std::vector<int64_t>& idx) {
  size_t off = 0;
  for (size_t i = 0; i < idx.size(); ++i)
    off = off * static_cast<size_t>(shape[i]) + static_cast<size_t>(idx[i]);
  return data.at(off);
}
double TensorValue::at(const std::vector<int64_t>& idx) const {
  return const_cast<TensorValue*>(this)->at(idx);
}

namespace {

thread_local std::chrono::steady_clock::time_point t_deadline =
    std::chrono::steady_clock::time_point::max();

[[noreturn]] void cannot_allocate(const std::string& tensor, size_t n) {
  user_error("error: cannot allocate " + std::to_string(n) + " elements (" +
             std::to_string(n * sizeof(double) >> 20) + " MiB) for tensor '" + tensor +
             "' in the interpreter; use smaller sizes (--dim)");
}

// Elements of a concrete shape; the checker bounds them (ir/ranges.h), and this refuses what it
// could not see (a shape bound later by --dim or with_dims).
size_t checked_numel(const std::vector<int64_t>& shape, const std::string& tensor) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (d < 1 || __builtin_mul_overflow(n, d, &n) || n > kMaxTensorElements)
      user_error("error: tensor '" + tensor +
                 "' has a size out of range (dims from 1 to 2^40, at most 2^40 elements)");
  return static_cast<size_t>(n);
}

// The interpreter holds every tensor as doubles: refuse, with a message, a program whose tensors
// cannot fit in this machine's memory instead of failing halfway (or being killed) allocating.
void check_memory(const IndexProgram& p, bool include_inputs) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0)
    return;
  double avail = static_cast<double>(pages) * static_cast<double>(page);
  double need = 0;
  for (auto& t : p.tensors()) {
    if (t.role == TensorRole::Input && !include_inputs)
      continue;
    need += static_cast<double>(checked_numel(p.concrete_shape(t.name), t.name)) * sizeof(double);
  }
  if (need > avail)
    user_error("error: the interpreter needs " +
               std::to_string(static_cast<long long>(need / (1 << 20))) +
               " MiB for the program's tensors, more than this machine's " +
               std::to_string(static_cast<long long>(avail / (1 << 20))) +
               " MiB; use smaller sizes (--dim)");
}

struct Buffer {
  const std::string* name = nullptr;
  std::vector<int64_t> shape;
  std::vector<double>* data = nullptr;
};

struct CNode {
  ExprKind kind;
  Sort sort = Sort::Real; // the IR node's sort
  int slot = -1;          // IndexVar / reduction variable
  int64_t ival = 0;
  double rval = 0;
  const Buffer* buf = nullptr;
  std::vector<CNode> kids;
};

class Evaluator {
public:
  Evaluator(const IndexProgram& p, EvalMode mode) : p_(p), mode_(mode) {}

  TensorMap run(const TensorMap& inputs) {
    bind_buffers(inputs, /*allocate_results=*/true);
    for (auto& s : p_.stmts())
      exec(s);
    TensorMap out;
    for (auto& t : p_.tensors())
      if (t.role != TensorRole::Input)
        out[t.name] = std::move(values_[t.name]);
    return out;
  }

private:
  // Binds every tensor to a buffer: inputs copied in (checked against their shapes), results
  // allocated and poisoned with NaN, or left unallocated for demand-driven evaluation.
  void bind_buffers(const TensorMap& inputs, bool allocate_results) {
    if (allocate_results)
      check_memory(p_, /*include_inputs=*/false);
    for (auto& t : p_.tensors()) {
      Buffer b;
      b.name = &t.name;
      for (auto& d : t.shape)
        b.shape.push_back(p_.eval_size(d));
      size_t n = checked_numel(b.shape, t.name);
      if (t.role == TensorRole::Input) {
        auto it = inputs.find(t.name);
        if (it == inputs.end())
          user_error("interpreter: missing input '" + t.name + "'");
        if (it->second.shape != b.shape)
          user_error("interpreter: input '" + t.name + "' has shape " + fmt(it->second.shape) +
                     ", expected " + fmt(b.shape));
        values_[t.name] = it->second;
        if (mode_ == EvalMode::Storage)
          for (auto& x : values_[t.name].data)
            x = round_to_dtype(x, t.dtype);
        b.data = &values_[t.name].data;
      } else if (allocate_results) {
        try {
          values_[t.name] = TensorValue{b.shape, std::vector<double>(n, std::nan(""))};
        } catch (const std::bad_alloc&) {
          cannot_allocate(t.name, n);
        }
        b.data = &values_[t.name].data;
      }
      buffers_[t.name] = b;
    }
  }

  static std::string fmt(const std::vector<int64_t>& s) {
    std::string o = "[";
    for (size_t i = 0; i < s.size(); ++i)
      o += (i ? ", " : "") + std::to_string(s[i]);
    return o + "]";
  }

  CNode compile(const Expr& e, std::map<std::string, int>& slots) {
    CNode c;
    c.kind = e->kind();
    c.sort = e->sort();
    c.ival = e->int_value();
    c.rval = e->real_value();
    switch (e->kind()) {
    case ExprKind::IndexVar:
      c.slot = slots.at(e->name());
      return c;
    case ExprKind::DimVar:
      c.kind = ExprKind::IntConst;
      c.ival = p_.eval_size(e);
      return c;
    case ExprKind::Access:
      c.buf = &buffers_.at(e->name());
      break;
    case ExprKind::Sum:
    case ExprKind::RMax:
    case ExprKind::RMin: {
      c.kids.push_back(compile(e->extent(), slots));
      auto prev = slots.find(e->name());
      int saved = prev == slots.end() ? -1 : prev->second;
      int slot = static_cast<int>(slots.size()) + depth_++;
      slots[e->name()] = slot;
      c.slot = slot;
      c.kids.push_back(compile(e->body(), slots));
      --depth_;
      if (saved >= 0)
        slots[e->name()] = saved;
      else
        slots.erase(e->name());
      nslots_ = std::max(nslots_, slot + 1);
      return c;
    }
    default:
      break;
    }
    for (auto& a : e->args())
      c.kids.push_back(compile(a, slots));
    return c;
  }

  // Every 4096 elements or reduction terms, the thread's deadline (ScopedInterpreterDeadline).
  void tick() {
    if ((++ticks_ & 4095) == 0 && t_deadline != std::chrono::steady_clock::time_point::max() &&
        std::chrono::steady_clock::now() > t_deadline)
      throw InterpreterStopped("interpreter: stopped at the deadline of the stage that runs it");
  }
  uint32_t ticks_ = 0;

  double rnd(double v) const {
    return mode_ == EvalMode::F64 ? v : static_cast<double>(static_cast<float>(v));
  }

  int64_t evi(const CNode& c) {
    switch (c.kind) {
    case ExprKind::IntConst:
      return c.ival;
    case ExprKind::IndexVar:
      return (*env_)[static_cast<size_t>(c.slot)];
    // Never a wrap-around: the checker bounds index arithmetic from the extents
    // (ir/ranges.h); a program that escaped it (dims rebound later) stops here.
    case ExprKind::Neg:
      return arith(ExprKind::Sub, 0, evi(c.kids[0]));
    case ExprKind::Add:
      return arith(ExprKind::Add, evi(c.kids[0]), evi(c.kids[1]));
    case ExprKind::Sub:
      return arith(ExprKind::Sub, evi(c.kids[0]), evi(c.kids[1]));
    case ExprKind::Mul:
      return arith(ExprKind::Mul, evi(c.kids[0]), evi(c.kids[1]));
    case ExprKind::Min:
      return std::min(evi(c.kids[0]), evi(c.kids[1]));
    case ExprKind::Max:
      return std::max(evi(c.kids[0]), evi(c.kids[1]));
    case ExprKind::Div:
      return floor_div(evi(c.kids[0]), evi(c.kids[1]));
    case ExprKind::Mod:
      return floor_mod(evi(c.kids[0]), evi(c.kids[1]));
    case ExprKind::Select:
      return evb(c.kids[0]) ? evi(c.kids[1]) : evi(c.kids[2]);
    default:
      internal_error(std::string("interpreter: not an int node: ") + kind_name(c.kind));
    }
  }

  int64_t arith(ExprKind k, int64_t a, int64_t b) {
    int64_t r = 0;
    bool over = k == ExprKind::Add   ? __builtin_add_overflow(a, b, &r)
                : k == ExprKind::Sub ? __builtin_sub_overflow(a, b, &r)
                                     : __builtin_mul_overflow(a, b, &r);
    if (over)
      user_error("interpreter: statement for '" + *cur_out_ + "' (" + cur_origin_ +
                 "): index arithmetic overflows 64 bits");
    return r;
  }

  bool evb(const CNode& c) {
    switch (c.kind) {
    case ExprKind::Access:
      return load(c) != 0;
    case ExprKind::Not:
      return !evb(c.kids[0]);
    case ExprKind::And:
      return evb(c.kids[0]) && evb(c.kids[1]);
    case ExprKind::Or:
      return evb(c.kids[0]) || evb(c.kids[1]);
    case ExprKind::Select:
      return evb(c.kids[0]) ? evb(c.kids[1]) : evb(c.kids[2]);
    case ExprKind::Lt:
    case ExprKind::Le:
    case ExprKind::Gt:
    case ExprKind::Ge:
    case ExprKind::Eq:
    case ExprKind::Ne: {
      double a, b;
      if (c.kids[0].sort == Sort::Int) {
        a = static_cast<double>(evi(c.kids[0]));
        b = static_cast<double>(evi(c.kids[1]));
      } else if (c.kids[0].sort == Sort::Bool) {
        a = evb(c.kids[0]);
        b = evb(c.kids[1]);
      } else {
        a = evr(c.kids[0]);
        b = evr(c.kids[1]);
      }
      return compare_values(c.kind, a, b);
    }
    default:
      internal_error(std::string("interpreter: not a bool node: ") + kind_name(c.kind));
    }
  }

  double load(const CNode& c) {
    const Buffer& b = *c.buf;
    if (!b.data)
      return load_lazy(c);
    size_t off = 0;
    for (size_t i = 0; i < c.kids.size(); ++i) {
      int64_t x = evi(c.kids[i]);
      if (x < 0 || x >= b.shape[i]) {
        std::ostringstream os;
        os << "interpreter: statement for '" << *cur_out_ << "' (" << cur_origin_ << ") reads "
           << *b.name << "[";
        for (size_t k = 0; k < c.kids.size(); ++k)
          os << (k ? ", " : "") << (k == i ? x : evi(c.kids[k]));
        os << "] outside its shape " << fmt(b.shape);
        user_error(os.str());
      }
      off = off * static_cast<size_t>(b.shape[i]) + static_cast<size_t>(x);
    }
    return (*b.data)[off];
  }

  double evr(const CNode& c) {
    switch (c.kind) {
    case ExprKind::RealConst:
      return c.rval;
    case ExprKind::Access:
      return load(c);
    case ExprKind::ToReal:
      return static_cast<double>(evi(c.kids[0]));
    case ExprKind::Neg:
      return -evr(c.kids[0]);
    case ExprKind::Exp:
      return rnd(std::exp(evr(c.kids[0])));
    case ExprKind::Log:
      return rnd(std::log(evr(c.kids[0])));
    case ExprKind::Sqrt:
      return rnd(std::sqrt(evr(c.kids[0])));
    case ExprKind::Rsqrt:
      return rnd(1.0 / std::sqrt(evr(c.kids[0])));
    case ExprKind::Tanh:
      return rnd(std::tanh(evr(c.kids[0])));
    case ExprKind::Erf:
      return rnd(std::erf(evr(c.kids[0])));
    case ExprKind::Sigmoid:
      return rnd(1.0 / (1.0 + std::exp(-evr(c.kids[0]))));
    case ExprKind::Abs:
      return std::fabs(evr(c.kids[0]));
    case ExprKind::Sin:
      return rnd(std::sin(evr(c.kids[0])));
    case ExprKind::Cos:
      return rnd(std::cos(evr(c.kids[0])));
    case ExprKind::Recip: {
      double x = evr(c.kids[0]);
      return x == 0 ? 0.0 : rnd(1.0 / x);
    }
    case ExprKind::Add:
      return rnd(evr(c.kids[0]) + evr(c.kids[1]));
    case ExprKind::Sub:
      return rnd(evr(c.kids[0]) - evr(c.kids[1]));
    case ExprKind::Mul:
      return rnd(evr(c.kids[0]) * evr(c.kids[1]));
    case ExprKind::Div: {
      double a = evr(c.kids[0]), b = evr(c.kids[1]);
      return b == 0 ? 0.0 : rnd(a / b);
    }
    case ExprKind::Pow:
      return rnd(std::pow(evr(c.kids[0]), evr(c.kids[1])));
    case ExprKind::Min: {
      double a = evr(c.kids[0]), b = evr(c.kids[1]);
      return b < a ? b : a;
    }
    case ExprKind::Max: {
      double a = evr(c.kids[0]), b = evr(c.kids[1]);
      return b > a ? b : a;
    }
    case ExprKind::Select:
      return evb(c.kids[0]) ? evr(c.kids[1]) : evr(c.kids[2]);
    case ExprKind::Sum:
    case ExprKind::RMax:
    case ExprKind::RMin: {
      int64_t n = evi(c.kids[0]);
      double acc =
          c.kind == ExprKind::Sum ? 0.0 : (c.kind == ExprKind::RMax ? -INFINITY : INFINITY);
      int64_t& k = (*env_)[static_cast<size_t>(c.slot)];
      for (k = 0; k < n; ++k) {
        tick();
        double v = evr(c.kids[1]);
        if (c.kind == ExprKind::Sum)
          acc = rnd(acc + v);
        else if (c.kind == ExprKind::RMax)
          acc = v > acc ? v : acc;
        else
          acc = v < acc ? v : acc;
      }
      return acc;
    }
    default:
      internal_error(std::string("interpreter: not a real node: ") + kind_name(c.kind));
    }
  }

  void exec(const IndexStmt& s) {
    std::map<std::string, int> slots;
    for (size_t i = 0; i < s.vars.size(); ++i)
      slots[s.vars[i]] = static_cast<int>(i);
    depth_ = 0;
    nslots_ = static_cast<int>(s.vars.size());
    CNode root = compile(s.value, slots);
    frames_.emplace_back(static_cast<size_t>(nslots_) + 1, 0);
    env_ = &frames_.back();
    const Buffer& out = buffers_.at(s.out);
    const TensorDecl& decl = p_.tensor(s.out);
    cur_out_ = &s.out;
    cur_origin_ = s.origin.empty() ? "generated" : s.origin;
    if (s.loc.line)
      cur_origin_ += ", line " + std::to_string(s.loc.line);
    size_t n = out.data->size();
    bool is_b = s.value->sort() == Sort::Bool;
    std::vector<int64_t> idx(s.vars.size(), 0);
    for (size_t flat = 0; flat < n; ++flat) {
      tick();
      for (size_t i = 0; i < idx.size(); ++i)
        (*env_)[i] = idx[i];
      double v = is_b ? (evb(root) ? 1.0 : 0.0) : evr(root);
      if (mode_ == EvalMode::F32)
        v = static_cast<float>(v);
      if (mode_ == EvalMode::Storage)
        v = round_to_dtype(v, decl.dtype);
      (*out.data)[flat] = v;
      for (size_t i = idx.size(); i-- > 0;) {
        if (++idx[i] < out.shape[i])
          break;
        idx[i] = 0;
      }
    }
    frames_.pop_back();
  }

public:
  // Demand-driven mode: only the requested output elements are computed; an element of a
  // temporary is computed when first read and memoized.
  std::map<std::string, std::vector<double>>
  run_points(const TensorMap& inputs,
             const std::map<std::string, std::vector<std::vector<int64_t>>>& points) {
    bind_buffers(inputs, /*allocate_results=*/false);
    for (size_t i = 0; i < p_.stmts().size(); ++i) {
      const IndexStmt& s = p_.stmts()[i];
      std::map<std::string, int> slots;
      for (size_t k = 0; k < s.vars.size(); ++k)
        slots[s.vars[k]] = static_cast<int>(k);
      depth_ = 0;
      nslots_ = static_cast<int>(s.vars.size());
      Compiled c;
      c.root = compile(s.value, slots);
      c.nslots = nslots_;
      c.stmt = &s;
      compiled_[s.out] = std::move(c);
    }
    std::map<std::string, std::vector<double>> out;
    for (auto& [t, pts] : points) {
      const Buffer& b = buffers_.at(t);
      for (auto& idx : pts) {
        AXON_CHECK(idx.size() == b.shape.size(), "point of the wrong rank for " + t);
        out[t].push_back(element(t, idx));
      }
    }
    return out;
  }

private:
  struct Compiled {
    CNode root;
    int nslots = 0;
    const IndexStmt* stmt = nullptr;
  };

  double element(const std::string& t, const std::vector<int64_t>& idx) {
    const Buffer& b = buffers_.at(t);
    size_t off = 0;
    for (size_t i = 0; i < idx.size(); ++i)
      off = off * static_cast<size_t>(b.shape[i]) + static_cast<size_t>(idx[i]);
    auto& memo = memo_[t];
    auto it = memo.find(off);
    if (it != memo.end())
      return it->second;
    const Compiled& c = compiled_.at(t);
    frames_.emplace_back(static_cast<size_t>(c.nslots) + 1, 0);
    std::vector<int64_t>* saved = env_;
    env_ = &frames_.back();
    for (size_t i = 0; i < idx.size(); ++i)
      (*env_)[i] = idx[i];
    const std::string* saved_out = cur_out_;
    std::string saved_origin = cur_origin_;
    cur_out_ = &c.stmt->out;
    cur_origin_ = c.stmt->origin;
    double v = c.stmt->value->sort() == Sort::Bool ? (evb(c.root) ? 1.0 : 0.0) : evr(c.root);
    if (mode_ == EvalMode::F32)
      v = static_cast<float>(v);
    if (mode_ == EvalMode::Storage)
      v = round_to_dtype(v, p_.tensor(t).dtype);
    cur_out_ = saved_out;
    cur_origin_ = saved_origin;
    env_ = saved;
    frames_.pop_back();
    memo[off] = v;
    return v;
  }

  double load_lazy(const CNode& c) {
    const Buffer& b = *c.buf;
    std::vector<int64_t> idx(c.kids.size());
    for (size_t i = 0; i < c.kids.size(); ++i) {
      idx[i] = evi(c.kids[i]);
      if (idx[i] < 0 || idx[i] >= b.shape[i])
        user_error("interpreter: statement for '" + *cur_out_ + "' (" + cur_origin_ + ") reads " +
                   *b.name + " outside its shape " + fmt(b.shape));
    }
    return element(*b.name, idx);
  }

  std::map<std::string, Compiled> compiled_;
  std::map<std::string, std::unordered_map<size_t, double>> memo_;
  std::deque<std::vector<int64_t>> frames_;

private:
  const IndexProgram& p_;
  EvalMode mode_;
  std::map<std::string, TensorValue> values_;
  std::map<std::string, Buffer> buffers_;
  std::vector<int64_t>* env_ = nullptr;
  int depth_ = 0, nslots_ = 0;
  const std::string* cur_out_ = nullptr;
  std::string cur_origin_;
};

} // namespace

ScopedInterpreterDeadline::ScopedInterpreterDeadline(std::chrono::steady_clock::time_point deadline)
    : saved_(t_deadline) {
  t_deadline = std::min(deadline, saved_);
}
ScopedInterpreterDeadline::~ScopedInterpreterDeadline() { t_deadline = saved_; }

TensorMap interpret(const IndexProgram& p, const TensorMap& inputs, EvalMode mode) {
  return Evaluator(p, mode).run(inputs);
}

std::map<std::string, std::vector<double>>
interpret_points(const IndexProgram& p, const TensorMap& inputs,
                 const std::map<std::string, std::vector<std::vector<int64_t>>>& points,
                 EvalMode mode) {
  return Evaluator(p, mode).run_points(inputs, points);
}

void random_inputs_into(const IndexProgram& p, uint64_t seed, TensorMap& m, double scale) {
  SplitMix64 rng{seed};
  check_memory(p, /*include_inputs=*/true);
  TensorMap out;
  for (auto* t : p.inputs()) {
    auto it = m.find(t->name);
    TensorValue v = it != m.end() ? std::move(it->second) : TensorValue{};
    v.shape = p.concrete_shape(t->name);
    size_t n = checked_numel(v.shape, t->name);
    try {
      v.data.resize(n);
    } catch (const std::bad_alloc&) {
      cannot_allocate(t->name, n);
    }
    for (auto& x : v.data)
      x = t->dtype == DType::Bool ? static_cast<double>(rng.next() & 1) : rng.symmetric() * scale;
    out[t->name] = std::move(v);
  }
  m = std::move(out);
}

TensorMap random_inputs(const IndexProgram& p, uint64_t seed, double scale) {
  TensorMap m;
  random_inputs_into(p, seed, m, scale);
  return m;
}

double max_scaled_error(const TensorValue& a, const TensorValue& b, double atol, double rtol) {
  AXON_CHECK(a.shape == b.shape, "comparing tensors of different shapes");
  double worst = 0;
  for (size_t i = 0; i < a.data.size(); ++i) {
    double x = a.data[i], y = b.data[i];
    if (std::isnan(x) != std::isnan(y))
      return INFINITY;
    if (std::isnan(x))
      continue;
    if (std::isinf(x) || std::isinf(y)) {
      if (x != y)
        return INFINITY;
      continue;
    }
    worst = std::max(worst, std::fabs(x - y) / (atol + rtol * std::fabs(y)));
  }
  return worst;
}

} // namespace axon
