// The search of instruction synthesis (isel_search.h). For a goal `out[v...] = value`
// (canonical, see isel_goal.h) and budget B:
//   1. for every instruction of the ISA, every choice of its enums and flags, every out operand
//      whose value is not accumulated: inline its semantics into one expression;
//   2. map the operand's axes onto the goal's free variables (an instruction axis left over is a
//      size-1 axis; a goal variable left over is an outer loop);
//   3. bind each operand and parameter the expression reads to a piece of the goal: a subterm
//      (read in place when it is a tensor access, else computed first into a temp), a constant
//      or its negation or reciprocal (parameters only), choosing the goal variable of each axis
//      the output map leaves open among the subterm's bound variables;
//   4. keep candidates that agree with the goal on float64 trials (isel_eval.h); take them in
//      order of their own cost (branch and bound: a lower bound of their total), solve the temps
//      they need as sub-goals with the remaining budget, and prove with smt/ each one that would
//      beat the best proven cover so far.
// Sub-goals are memoized per (goal key, budget, ISA hash), within the process.
#include "synth/isel_search.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <optional>
#include <set>

#include "ir/error.h"
#include "ir/inline.h"
#include "ir/interp.h"

namespace axon::isel {

namespace {

// --- Instruction instances -------------------------------------------------------------------

struct Instance {
  size_t instr = 0;
  ParamChoice choice;
  std::string operand;           // out operand carrying the value
  Expr expr;                     // its value, bound variables renamed apart
  std::vector<std::string> vars; // its index variables (one per operand axis)
  Sort sort = Sort::Real;
  std::vector<std::string> dims_used; // dims the expression names
};

std::vector<Instance> instances_of(const Isa& isa) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<std::vector<Instance>>> cache;
  std::string key = isa_hash(isa);
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(key);
    if (it != cache.end())
      return *it->second;
  }
  auto out = std::make_shared<std::vector<Instance>>();
  for (size_t ii = 0; ii < isa.instructions.size(); ++ii) {
    const Instruction& instr = isa.instructions[ii];
    for (const ParamChoice& choice : all_param_choices(instr)) {
      // The loader checked each value of each parameter on its own; a combination that does not
      // instantiate is not an instance (and never a cover).
      std::optional<IndexProgram> parsed;
      try {
        parsed = instruction_semantics(instr, choice);
      } catch (const UserError&) {
        continue;
      }
      const IndexProgram& prog = *parsed;
      for (const auto& st : prog.stmts()) {
        const TensorDecl& t = prog.tensor(st.out);
        if (t.role != TensorRole::Output)
          continue;
        Instance in;
        in.instr = ii;
        in.choice = choice;
        in.operand = st.out;
        in.expr = rename_bound_apart(inline_tensor(prog, st.out));
        // An accumulating output reads its old value: accumulation is the search's business.
        bool reads_outputs = false;
        for (auto& r : tensors_read(in.expr))
          if (const OperandSpec* op = instr.find_operand(r); op && op->role == OperandRole::Out)
            reads_outputs = true;
        if (reads_outputs || st.out.find('@') != std::string::npos)
          continue;
        in.vars = st.vars;
        std::set<std::string> dims;
        visit(in.expr, [&](const ExprNode& n) {
          if (n.kind() == ExprKind::DimVar)
            dims.insert(n.name());
        });
        in.dims_used.assign(dims.begin(), dims.end());
        in.sort = t.dtype == DType::Bool ? Sort::Bool : Sort::Real;
        out->push_back(std::move(in));
      }
    }
  }
  std::lock_guard<std::mutex> lock(mu);
  cache[key] = out;
  return *out;
}

std::mutex g_memo_mu;
std::map<std::string, CoverPtr> g_memo; // key -> cover (nullptr: none)
std::map<std::string, std::vector<CoverPtr>> g_alternatives_memo;

// Distinct subterms of `e` (pre-order), each with its free index variables.
void collect_subterms(const Expr& e, std::vector<Expr>& out, std::set<std::string>& seen) {
  if (e->sort() != Sort::Int) {
    std::string k = to_string(e) + (e->sort() == Sort::Bool ? ":b" : ":r");
    if (seen.insert(k).second)
      out.push_back(e);
  }
  if (e->kind() == ExprKind::Access)
    return;
  for (auto& a : e->args())
    collect_subterms(a, out, seen);
}

bool has_access(const Expr& e) {
  bool any = false;
  visit(e, [&](const ExprNode& n) { any = any || n.kind() == ExprKind::Access; });
  return any;
}

bool all_register(const Isa& isa, const std::vector<std::string>& memories) {
  if (memories.empty())
    return false;
  for (auto& m : memories) {
    const MemoryLevel* ml = isa.find_memory(m);
    if (!ml || ml->kind != MemoryKind::Register)
      return false;
  }
  return true;
}

int partitioned(const Isa& isa, const std::vector<std::string>& memories) {
  for (auto& m : memories)
    if (const MemoryLevel* ml = isa.find_memory(m); ml && ml->partitions > 1)
      return 1;
  return 0;
}

// A slot the instruction's expression reads: an in operand, a vector parameter or a real
// immediate.
struct Slot {
  std::string name;
  std::vector<std::string> dims; // one per axis
  Sort sort = Sort::Real;
  bool immediate_ok = false; // a constant may be passed
  bool scalar_param = false; // vector param or immediate: also negations and reciprocals
  bool register_only = false;
  bool contiguous = false;
  bool partitioned = false;
  bool immediate_only = false; // real immediate: constants only
};

std::vector<Slot> slots_of(const Isa& isa, const Instruction& instr, const Expr& e) {
  std::vector<Slot> out;
  for (const auto& r : tensors_read(e)) {
    Slot s;
    s.name = r;
    if (const OperandSpec* op = instr.find_operand(r)) {
      for (auto& d : op->shape)
        s.dims.push_back(d.name);
      s.sort = op->dtypes.front() == DType::Bool ? Sort::Bool : Sort::Real;
      s.register_only = all_register(isa, op->memories);
      s.contiguous = op->contiguous;
      s.partitioned = partitioned(isa, op->memories);
    } else if (const ParamSpec* p = instr.find_param(r)) {
      s.scalar_param = true;
      if (p->kind == ParamKind::Vector) {
        s.dims.push_back(p->dim);
        s.immediate_ok = p->allows_immediate;
        s.register_only = all_register(isa, p->memories);
      } else {
        s.immediate_ok = true;
        s.immediate_only = true;
      }
    } else {
      internal_error("isel: '" + r + "' read by the semantics of '" + instr.name +
                     "' is no operand or parameter");
    }
    out.push_back(std::move(s));
  }
  return out;
}

struct Option {
  SlotTerm term;
  std::string kind;                                          // tensor | temp | constant
  std::vector<std::pair<std::string, std::string>> new_dims; // instr dim -> goal bound var
};

struct Search {
  Ctx& ctx;
  const Goal& g;
  std::vector<Expr> subterms;
  std::set<std::string> outer;                // goal vars no output axis maps to
  std::map<std::string, std::string> dim_var; // instr dim -> goal var ("" = size 1)

  bool is_goal_var(const std::string& v) const {
    return std::find(g.vars.begin(), g.vars.end(), v) != g.vars.end();
  }

  // The options for slot `s` given the current dim map.
  std::vector<Option> options(const Slot& s) {
    std::vector<Option> out;
    std::set<std::string> seen;
    auto add = [&](Option o) {
      // A constant goal is one instruction from immediates (memset, broadcast), never a chain.
      if (o.kind == "temp" && g.tensors.empty())
        return;
      std::string k = o.kind + "|" + to_string(o.term.term);
      for (auto& v : o.term.axis_vars)
        k += "," + v;
      if (seen.insert(k).second)
        out.push_back(std::move(o));
    };
    std::vector<Expr> terms = subterms;
    if (s.scalar_param) {
      // Negations and reciprocals of constants (x - 2 as x + -2, x / N as x * (1/N)) are free
      // immediates; of a tensor they are a temp (exp(x - m) as exp(x + t) with t = -m, computed
      // on a [P, 1] tile). Of larger subterms they are not offered: that would multiply the
      // candidates for little gain (a subtract or divide does the same).
      for (auto& t : subterms)
        if (t->sort() == Sort::Real &&
            (t->kind() == ExprKind::Access || (!has_access(t) && free_index_vars(t).empty()))) {
          terms.push_back(ExprNode::unary(ExprKind::Neg, t));
          terms.push_back(ExprNode::unary(ExprKind::Recip, t));
        }
      terms.push_back(ExprNode::real_const(0.0));
      terms.push_back(ExprNode::real_const(1.0));
      terms.push_back(ExprNode::real_const(-1.0));
    }
    for (const Expr& t : terms) {
      if (t->sort() != s.sort)
        continue;
      std::vector<std::string> fv = free_index_vars(t);
      bool access = has_access(t);
      if (!access && fv.empty()) { // constants, dims
        if (s.immediate_ok || (s.dims.empty() && !s.register_only && !s.scalar_param)) {
          // An immediate, or a scalar operand read from memory (a constant pool).
          add({{t, std::vector<std::string>(s.dims.size())}, "constant", {}});
        } else if (!s.dims.empty()) {
          // A tile, vector or register full of the constant: computed first (memset, broadcast).
          std::vector<std::string> axes;
          bool sized = true;
          for (auto& d : s.dims) {
            auto it = dim_var.find(d);
            sized = sized && it != dim_var.end();
            axes.push_back(sized ? it->second : "");
          }
          if (sized)
            add({{t, axes}, "temp", {}});
        }
        continue;
      }
      if (s.immediate_only) {
        if (t->kind() == ExprKind::Access && fv.empty())
          add({{t, {}}, "constant", {}});
        continue;
      }
      // Axis variables: fixed by the dim map, or chosen among t's bound variables.
      std::vector<std::vector<std::string>> choices{{}};
      std::vector<std::vector<std::pair<std::string, std::string>>> news{{}};
      bool ok = true;
      for (const auto& d : s.dims) {
        std::vector<std::vector<std::string>> nc;
        std::vector<std::vector<std::pair<std::string, std::string>>> nn;
        for (size_t c = 0; c < choices.size(); ++c) {
          auto fixed = dim_var.find(d);
          std::string pending;
          for (auto& [pd, pv] : news[c])
            if (pd == d)
              pending = pv;
          if (fixed != dim_var.end() || !pending.empty()) {
            auto ch = choices[c];
            ch.push_back(fixed != dim_var.end() ? fixed->second : pending);
            nc.push_back(ch);
            nn.push_back(news[c]);
            continue;
          }
          for (auto& v : fv) {
            if (is_goal_var(v) || !g.bound_extent.count(v))
              continue;
            if (std::find(choices[c].begin(), choices[c].end(), v) != choices[c].end())
              continue;
            bool used = false;
            for (auto& [dd, vv] : dim_var)
              used = used || vv == v;
            if (used)
              continue;
            auto ch = choices[c];
            ch.push_back(v);
            auto nw = news[c];
            nw.push_back({d, v});
            nc.push_back(ch);
            nn.push_back(nw);
          }
        }
        choices = std::move(nc);
        news = std::move(nn);
        if (choices.empty())
          ok = false;
      }
      if (!ok)
        continue;
      for (size_t c = 0; c < choices.size(); ++c) {
        const auto& axes = choices[c];
        bool covered = true;
        for (auto& v : fv)
          covered =
              covered && (outer.count(v) || std::find(axes.begin(), axes.end(), v) != axes.end());
        if (!covered)
          continue;
        bool direct = t->kind() == ExprKind::Access && !s.register_only;
        if (direct) {
          std::vector<std::string> in_t = free_index_vars(t);
          for (auto& v : axes)
            direct = direct && (v.empty() || std::find(in_t.begin(), in_t.end(), v) != in_t.end());
          if (direct && s.contiguous) {
            std::string last;
            for (auto& v : axes)
              if (!v.empty())
                last = v;
            const Expr& li = t->args().empty() ? nullptr : t->args().back();
            direct = last.empty() || (li && li->kind() == ExprKind::IndexVar && li->name() == last);
          }
        }
        if (!direct && structurally_equal(t, g.value))
          continue; // computing the goal itself first is no progress
        add({{t, axes}, direct ? "tensor" : "temp", news[c]});
      }
    }
    return out;
  }
};

void out_maps(size_t q, const Goal& g, std::vector<std::vector<int>>& out) {
  // Injective partial maps from q instruction axes to the goal's free axes (-1: a size-1
  // axis). A temp (ordered) is written in the layout its reader expects: instruction axis i
  // carries the reader's axis i (so axis 0 stays the partition or lane axis), extra trailing
  // instruction axes have size 1. Otherwise min(q, free axes) of them are mapped.
  size_t first = g.outer, r = g.vars.size();
  if (g.ordered) {
    if (q < g.layout.size())
      return;
    std::vector<int> m(q, -1);
    for (size_t i = 0; i < g.layout.size(); ++i)
      m[i] = g.layout[i];
    out.push_back(m);
    return;
  }
  size_t k = std::min(q, r - first);
  std::vector<int> cur(q, -1);
  std::function<void(size_t, size_t)> rec = [&](size_t i, size_t mapped) {
    if (i == q) {
      if (mapped == k)
        out.push_back(cur);
      return;
    }
    if (q - i > k - mapped) {
      cur[i] = -1;
      rec(i + 1, mapped);
    }
    if (mapped < k)
      for (size_t a = first; a < r; ++a) {
        if (std::find(cur.begin(), cur.begin() + static_cast<long>(i), static_cast<int>(a)) !=
            cur.begin() + static_cast<long>(i))
          continue;

        cur[i] = static_cast<int>(a);
        rec(i + 1, mapped + 1);
        cur[i] = -1;
      }
  };
  rec(0, 0);
}

// The sub-goal a temp binding asks for: the term over the goal's outer variables it reads and
// the slot's axis variables.
Goal sub_goal(const Goal& g, const Option& o, const std::set<std::string>& outer,
              std::vector<std::string>& vars, std::map<std::string, std::string>& names) {
  std::vector<std::string> fv = free_index_vars(o.term.term);
  for (auto& v : g.vars)
    if (outer.count(v) && std::find(fv.begin(), fv.end(), v) != fv.end())
      vars.push_back(v);
  size_t n_outer = vars.size();
  std::vector<int> layout;
  for (auto& v : o.term.axis_vars) {
    if (v.empty()) {
      layout.push_back(-1);
      continue;
    }
    auto it = std::find(vars.begin(), vars.end(), v);
    layout.push_back(static_cast<int>(it - vars.begin()));
    if (it == vars.end())
      vars.push_back(v);
  }
  std::vector<Expr> ext;
  for (auto& v : vars) {
    auto b = g.bound_extent.find(v);
    if (b != g.bound_extent.end()) {
      ext.push_back(b->second);
      continue;
    }
    for (size_t i = 0; i < g.vars.size(); ++i)
      if (g.vars[i] == v)
        ext.push_back(g.extents[i]);
  }
  std::map<std::string, TensorDecl> decls;
  for (auto& t : g.tensors)
    decls[t.name] = t;
  return isel::make_goal(vars, ext, o.term.term, decls, names, n_outer, true, layout);
}

Expr bind_expr(const Instance& in, const std::map<std::string, const SlotTerm*>& slots,
               const std::map<std::string, std::string>& out_var,
               const std::map<std::string, Expr>& dim_extent) {
  std::function<Expr(const Expr&)> go = [&](const Expr& e) -> Expr {
    if (e->kind() == ExprKind::Access) {
      auto it = slots.find(e->name());
      if (it != slots.end()) {
        Expr t = it->second->term;
        std::map<std::string, Expr> at;
        for (size_t k = 0; k < it->second->axis_vars.size() && k < e->args().size(); ++k)
          if (!it->second->axis_vars[k].empty())
            at[it->second->axis_vars[k]] = go(e->args()[k]);
        return substitute(t, [&](const ExprNode& n) -> Expr {
          if (n.kind() != ExprKind::IndexVar)
            return nullptr;
          auto j = at.find(n.name());
          return j == at.end() ? nullptr : j->second;
        });
      }
    }
    if (e->kind() == ExprKind::IndexVar) {
      auto it = out_var.find(e->name());
      if (it != out_var.end())
        return it->second.empty() ? ExprNode::int_const(0) : ExprNode::index_var(it->second);
      return e;
    }
    if (e->kind() == ExprKind::DimVar) {
      auto it = dim_extent.find(e->name());
      return it == dim_extent.end() ? e : it->second;
    }
    if (e->args().empty())
      return e;
    return map_args(e, [&](const Expr& a) { return go(a); });
  };
  return go(in.expr);
}

// The size an instruction's dim is costed at: its maximum (else the free tile), or 1 for a dim
// the cover does not tie to a goal variable (`untied`), raised to the dim's minimum.
int64_t costing_size(const Instruction& instr, const std::string& d, int64_t free_tile,
                     bool untied = false) {
  DimSpec b = instr.dim_bounds(d);
  int64_t n = untied ? 1 : b.max ? *b.max : free_tile;
  return b.min && n < *b.min ? *b.min : n;
}

double own_cost(const Isa& isa, const Instruction& instr, const ParamChoice& choice,
                const std::map<std::string, std::string>& dim_var, int64_t free_tile,
                std::string& engine) {
  InstrUse use;
  use.params = choice;
  for (auto& d : instr.dims()) {
    auto it = dim_var.find(d);
    use.dims[d] = costing_size(instr, d, free_tile, it != dim_var.end() && it->second.empty());
  }
  double best = -1;
  for (auto& e : instr.engines) {
    use.engine = e;
    try {
      double c = instruction_cost_ns(isa, instr, use);
      if (best < 0 || c < best) {
        best = c;
        engine = e;
      }
    } catch (const UserError&) {
    }
  }
  return best;
}

std::string layout_of(const Slot& s, const SlotTerm& t) {
  if (t.term->kind() != ExprKind::Access || s.dims.size() < 1)
    return "";
  std::vector<int> pos;
  for (auto& v : t.axis_vars) {
    int p = -1;
    for (size_t a = 0; a < t.term->args().size(); ++a) {
      auto fv = free_index_vars(t.term->args()[a]);
      if (!v.empty() && std::find(fv.begin(), fv.end(), v) != fv.end())
        p = static_cast<int>(a);
    }
    pos.push_back(p);
  }
  std::string out;
  std::vector<int> mapped;
  for (int p : pos)
    if (p >= 0)
      mapped.push_back(p);
  if (!std::is_sorted(mapped.begin(), mapped.end()))
    out = "transposed";
  if (s.partitioned && !pos.empty() && pos[0] >= 0 && t.term->args().size() > 1)
    out += std::string(out.empty() ? "" : ", ") + "partition axis = tensor axis " +
           std::to_string(pos[0]);
  return out;
}

// The layout of a cover (isel_search.h, solve_alternatives): `names` maps c's canonical names to
// the goal's; appends one entry per tensor read in place, "tensor@var" (the Var on its partition
// axis, "-" when its operand is not in a partitioned memory), sub-covers included.
void tensor_layouts(const Isa& isa, const Cover& c, const std::map<std::string, std::string>& names,
                    std::vector<std::string>& out) {
  const Instruction& instr = isa.instructions[c.instr];
  for (const SlotUse& u : c.slots) {
    if (u.kind == "temp" && u.sub) {
      std::map<std::string, std::string> sub;
      for (auto& [k, v] : u.sub_names)
        sub[k] = rename_tokens(v, names);
      tensor_layouts(isa, *u.sub, sub, out);
    } else if (u.kind == "tensor" && u.term.term->kind() == ExprKind::Access) {
      // An operand, or a vector parameter (one value per partition: its axis is the partition
      // axis when its memory is partitioned).
      const OperandSpec* op = instr.find_operand(u.name);
      const ParamSpec* pa = op ? nullptr : instr.find_param(u.name);
      bool part = ((op && partitioned(isa, op->memories)) ||
                   (pa && pa->kind == ParamKind::Vector && partitioned(isa, pa->memories))) &&
                  !u.term.axis_vars.empty() && !u.term.axis_vars[0].empty();
      out.push_back(rename_tokens(u.term.term->name(), names) + "@" +
                    (part ? rename_tokens(u.term.axis_vars[0], names) : std::string("-")));
    }
  }
}

// Proven covers of `g` within `budget`, best first: the best alone when keep == 1; else the best
// cover of each distinct layout (layout_of) within kAlternativeCostFactor of the best, at most
// `keep` of them.
std::vector<CoverPtr> search(Ctx& ctx, const Goal& g, size_t budget, size_t keep) {
  ++ctx.stats.goals;
  std::vector<isel::Trial> trials = isel::make_trials(g, 12);
  Search s{ctx, g, {}, {}, {}};
  std::set<std::string> seen;
  collect_subterms(g.value, s.subterms, seen);
  if (s.subterms.size() > 48)
    s.subterms.resize(48);

  struct Cand {
    const Instance* in;
    std::vector<Slot> slots;
    std::vector<Option> chosen;
    std::map<std::string, std::string> out_var, dim_var;
    std::set<std::string> outer;
    double own = 0;
    std::string engine;
  };
  std::vector<Cand> passing;
  const std::vector<Instance> insts = instances_of(ctx.isa);
  Sort goal_sort = g.value->sort();
  for (const Instance& in : insts) {
    if (in.sort != goal_sort)
      continue;
    const Instruction& instr = ctx.isa.instructions[in.instr];
    const OperandSpec* op = instr.find_operand(in.operand);
    std::vector<Slot> slots = slots_of(ctx.isa, instr, in.expr);
    std::vector<std::vector<int>> maps;
    out_maps(in.vars.size(), g, maps);
    for (const auto& m : maps) {
      if (ctx.expired())
        return {};
      s.dim_var.clear();
      s.outer = std::set<std::string>(g.vars.begin(), g.vars.end());
      std::map<std::string, std::string> out_var;
      bool ok = true;
      for (size_t a = 0; a < m.size() && ok; ++a) {
        std::string gv = m[a] < 0 ? "" : g.vars[static_cast<size_t>(m[a])];
        const std::string& d = op->shape[a].name;
        auto it = s.dim_var.find(d);
        if (it != s.dim_var.end() && it->second != gv)
          ok = false;
        s.dim_var[d] = gv;
        out_var[in.vars[a]] = gv;
        s.outer.erase(gv);
      }
      if (!ok)
        continue;
      // Bind slots one by one (the dim map grows as free dims are bound).
      std::vector<Option> chosen;
      isel::CandidateView view;
      view.expr = &in.expr;
      for (auto& [iv, gv] : out_var)
        view.out_vars.push_back({iv, gv});
      view.slots.resize(slots.size());
      for (size_t k = 0; k < slots.size(); ++k)
        view.slots[k].first = &slots[k].name;
      std::map<std::string, std::vector<Option>> option_cache;
      std::function<void(size_t)> rec = [&](size_t i) {
        if (ctx.expired())
          return;
        if (i == slots.size()) {
          for (auto& d : in.dims_used)
            if (!s.dim_var.count(d))
              return; // a dim no binding sized: not a candidate
          ++ctx.stats.candidates;
          for (size_t k = 0; k < slots.size(); ++k)
            view.slots[k].second = &chosen[k].term;
          view.dim_vars = s.dim_var;
          if (!isel::agrees(g, trials, view)) {
            ++ctx.stats.numeric_rejected;
            return;
          }
          Cand c{&in, slots, chosen, out_var, s.dim_var, s.outer, 0, ""};
          c.own = own_cost(ctx.isa, instr, in.choice, s.dim_var, ctx.opts.free_tile, c.engine);
          if (c.own >= 0)
            passing.push_back(std::move(c));
          return;
        }
        std::string key = std::to_string(i);
        for (auto& d : slots[i].dims) {
          auto it = s.dim_var.find(d);
          key += "|" + (it == s.dim_var.end() ? std::string("?") : it->second);
        }
        auto it = option_cache.find(key);
        if (it == option_cache.end())
          it = option_cache.emplace(key, s.options(slots[i])).first;
        for (const Option& o : it->second) {
          for (auto& [d, v] : o.new_dims)
            s.dim_var[d] = v;
          chosen.push_back(o);
          rec(i + 1);
          chosen.pop_back();
          for (auto& [d, v] : o.new_dims)
            s.dim_var.erase(d);
        }
      };
      rec(0);
    }
  }

  // Branch and bound over the survivors in order of their own cost (a lower bound of their
  // total): solve the temps a candidate needs (sub-goals, budget - 1), and prove it when it
  // would beat the best proven cover so far.
  std::stable_sort(passing.begin(), passing.end(),
                   [](const Cand& a, const Cand& b) { return a.own < b.own; });
  auto better = [&](const Cover& a, const Cover* b) {
    if (!b)
      return true;
    if (a.total_ns != b->total_ns)
      return a.total_ns < b->total_ns;
    if (a.length != b->length)
      return a.length < b->length;
    // Ties go to the instruction more engines can run (more freedom for the scheduler), then to
    // the instance that reads fewer operands and parameters (x * s over (x + 0) * s).
    size_t ea = ctx.isa.instructions[a.instr].engines.size();
    size_t eb = ctx.isa.instructions[b->instr].engines.size();
    if (ea != eb)
      return ea > eb;
    if (a.slots.size() != b->slots.size())
      return a.slots.size() < b->slots.size();
    // Then the one with more immediates (log(s) as log(s * 1 + 0), not log(s * 0 + s)).
    auto constants = [](const Cover& c) {
      size_t n = 0;
      for (auto& u : c.slots)
        n += u.kind == "constant";
      return n;
    };
    return constants(a) > constants(*b);
  };
  std::shared_ptr<Cover> best;
  // keep > 1: the best cover per layout, and the cost bound of alternatives.
  std::map<std::string, std::shared_ptr<Cover>> by_layout;
  auto limit = [&] { return keep > 1 ? best->total_ns * kAlternativeCostFactor : best->total_ns; };
  std::vector<std::pair<std::string, Expr>> index_vars;
  for (size_t i = 0; i < g.vars.size(); ++i)
    index_vars.push_back({g.vars[i], g.extents[i]});
  for (Cand& c : passing) {
    if (ctx.expired())
      return {};
    if (best && c.own > limit())
      break;
    auto cov = std::make_shared<Cover>();
    const Instruction& instr = ctx.isa.instructions[c.in->instr];
    cov->instr = c.in->instr;
    cov->choice = c.in->choice;
    cov->operand = c.in->operand;
    cov->engine = c.engine;
    cov->own_ns = c.own;
    cov->total_ns = c.own;
    cov->length = 1;
    for (size_t k = 0; k < c.slots.size(); ++k) {
      SlotUse u;
      u.name = c.slots[k].name;
      u.kind = c.chosen[k].kind;
      u.term = c.chosen[k].term;
      if (u.kind == "tensor")
        u.layout = layout_of(c.slots[k], u.term);
      cov->slots.push_back(std::move(u));
    }
    // Temps after the cheap checks: a candidate that cannot win is not worth its sub-goals.
    if (keep == 1 ? !better(*cov, best.get()) : (best && cov->total_ns > limit()))
      continue;
    bool ok = true;
    for (size_t k = 0; k < c.slots.size() && ok; ++k) {
      SlotUse& u = cov->slots[k];
      if (u.kind != "temp")
        continue;
      std::map<std::string, std::string> names;
      Goal sg = sub_goal(g, c.chosen[k], c.outer, u.sub_vars, names);
      // A constant read by a computation on tensors is hoisted out of the tile loops: it costs
      // nothing per tile and does not count against the sequence length (it is one instruction
      // from immediates, see Search::options).
      bool hoist = sg.tensors.empty() && !g.tensors.empty();
      if (!hoist && (cov->length >= budget || (best && cov->total_ns > limit()))) {
        ok = false;
        break;
      }
      u.sub = solve(ctx, sg, hoist ? 1 : budget - cov->length);
      if (!u.sub) {
        ok = false;
        break;
      }
      u.sub_names = names;
      if (!hoist) {
        cov->total_ns += u.sub->total_ns;
        cov->length += u.sub->length;
      }
    }
    if (!ok || cov->length > budget)
      continue;
    std::string layout;
    if (keep == 1) {
      if (!better(*cov, best.get()))
        continue;
    } else {
      if (best && cov->total_ns > limit())
        continue;
      // The layout needs the out axes, set below for the proven cover; the result's partition
      // Var is its first out axis when the result operand is partitioned.
      const OperandSpec* out_op = instr.find_operand(c.in->operand);
      std::string part = "-";
      if (out_op && partitioned(ctx.isa, out_op->memories) && !c.in->vars.empty()) {
        auto v = c.out_var.find(c.in->vars[0]);
        if (v != c.out_var.end() && !v->second.empty())
          part = v->second;
      }
      std::vector<std::string> reads;
      tensor_layouts(ctx.isa, *cov, {}, reads);
      layout = "out@" + part;
      for (auto& r : std::set<std::string>(reads.begin(), reads.end()))
        layout += " " + r;
      auto it = by_layout.find(layout);
      if (it != by_layout.end() && !better(*cov, it->second.get()))
        continue;
    }
    for (auto& [d, v] : c.dim_var) {
      DimSpec b = instr.dim_bounds(d);
      if (v.empty())
        cov->notes.push_back(d + " = 1");
      else if (b.max)
        cov->notes.push_back(d + " <= " + std::to_string(*b.max) + " (axis " + v + ")");
    }
    std::map<std::string, const SlotTerm*> slot_terms;
    for (size_t k = 0; k < c.slots.size(); ++k)
      slot_terms[c.slots[k].name] = &c.chosen[k].term;
    std::map<std::string, Expr> dim_extent;
    for (auto& [d, v] : c.dim_var) {
      if (v.empty()) {
        dim_extent[d] = ExprNode::int_const(1);
        continue;
      }
      auto b = g.bound_extent.find(v);
      if (b != g.bound_extent.end())
        dim_extent[d] = b->second;
      for (size_t i = 0; i < g.vars.size(); ++i)
        if (g.vars[i] == v)
          dim_extent[d] = g.extents[i];
    }
    Expr cand = bind_expr(*c.in, slot_terms, c.out_var, dim_extent);
    Expr lhs = g.value;
    if (lhs->sort() == Sort::Bool) {
      lhs = ExprNode::select(lhs, ExprNode::real_const(1.0), ExprNode::real_const(0.0));
      cand = ExprNode::select(cand, ExprNode::real_const(1.0), ExprNode::real_const(0.0));
    }
    ++ctx.stats.proofs;
    smt::ProveResult pr;
    try {
      // A proof runs no longer than the deadline leaves (an unknown is no cover, as a refutation).
      smt::ProveOptions po = ctx.opts.prove;
      if (ctx.opts.deadline != std::chrono::steady_clock::time_point::max()) {
        double left =
            std::chrono::duration<double>(ctx.opts.deadline - std::chrono::steady_clock::now())
                .count();
        po.limits.hard_timeout_s = std::max(0.2, std::min(po.limits.hard_timeout_s, left));
      }
      pr = smt::prove_expressions(lhs, cand, g.tensors, index_vars, {}, po);
    } catch (const UserError&) {
      ++ctx.stats.unknown;
      continue;
    } catch (const InterpreterStopped&) {
      continue; // the deadline passed during the proof's trials: expired() ends the search
    }
    if (pr.verdict == smt::Verdict::Proven) {
      ++ctx.stats.proven;
      // The goal's elements one call writes: the out operand's axes tied to goal variables, each
      // at its costing size (own_cost's).
      const OperandSpec* out_op = instr.find_operand(c.in->operand);
      for (size_t a = 0; a < out_op->shape.size() && a < c.in->vars.size(); ++a) {
        auto v = c.out_var.find(c.in->vars[a]);
        if (v == c.out_var.end() || v->second.empty())
          continue;
        cov->tile_elements *= costing_size(instr, out_op->shape[a].name, ctx.opts.free_tile);
      }
      cov->goal_vars = g.vars;
      cov->value_text = to_string(g.value);
      for (size_t a = 0; a < out_op->shape.size(); ++a) {
        auto v = a < c.in->vars.size() ? c.out_var.find(c.in->vars[a]) : c.out_var.end();
        cov->out_axes.push_back(v == c.out_var.end() ? "" : v->second);
      }
      cov->dim_vars = c.dim_var;
      for (auto& v : g.vars)
        if (c.outer.count(v))
          cov->outer.push_back(v);
      cov->hoisted = g.tensors.empty();
      if (keep > 1)
        by_layout[layout] = cov;
      if (better(*cov, best.get()))
        best = cov;
    } else if (pr.verdict == smt::Verdict::Refuted) {
      ++ctx.stats.refuted;
      // AXON_DEBUG=2: each candidate the trials let through but the prover refuted.
      if (const char* d = std::getenv("AXON_DEBUG"); d && std::atoi(d) >= 2)
        std::fprintf(stderr, "refuted: %s  vs  %s: %s\n", to_string(lhs).c_str(),
                     to_string(cand).c_str(),
                     pr.obligations.empty() ? "" : pr.obligations[0].reason.c_str());
    } else {
      ++ctx.stats.unknown;
    }
  }
  if (!best)
    return {};
  std::vector<CoverPtr> out{best};
  if (keep > 1) {
    std::vector<std::shared_ptr<Cover>> rest;
    for (auto& [k, c] : by_layout)
      if (c != best && c->total_ns <= limit())
        rest.push_back(c);
    std::stable_sort(rest.begin(), rest.end(),
                     [&](const std::shared_ptr<Cover>& a, const std::shared_ptr<Cover>& b) {
                       return better(*a, b.get()) && !better(*b, a.get());
                     });
    for (auto& c : rest)
      if (out.size() < keep)
        out.push_back(c);
  }
  return out;
}

} // namespace

CoverPtr solve(Ctx& ctx, const Goal& g, size_t budget) {
  if (budget == 0 || ctx.expired())
    return nullptr;
  std::string memo_key = ctx.isa_key + "#" + std::to_string(budget) + "#" + g.key;
  {
    std::lock_guard<std::mutex> lock(g_memo_mu);
    auto it = g_memo.find(memo_key);
    if (it != g_memo.end())
      return it->second;
  }
  std::vector<CoverPtr> found = search(ctx, g, budget, 1);
  std::lock_guard<std::mutex> lock(g_memo_mu);
  if (ctx.expired())
    return nullptr; // a search cut short proves nothing about the goal: not memoized
  CoverPtr best = found.empty() ? nullptr : found[0];
  g_memo[memo_key] = best;
  return best;
}

std::vector<CoverPtr> solve_alternatives(Ctx& ctx, const Goal& g, size_t budget) {
  if (budget == 0 || ctx.expired())
    return {};
  std::string memo_key = ctx.isa_key + "#alternatives#" + std::to_string(budget) + "#" + g.key;
  {
    std::lock_guard<std::mutex> lock(g_memo_mu);
    auto it = g_alternatives_memo.find(memo_key);
    if (it != g_alternatives_memo.end())
      return it->second;
  }
  std::vector<CoverPtr> found = search(ctx, g, budget, kMaxAlternatives);
  std::lock_guard<std::mutex> lock(g_memo_mu);
  if (ctx.expired())
    return {};
  g_alternatives_memo[memo_key] = found;
  return found;
}

bool writes_sort(const Isa& isa, Sort sort) {
  for (const auto& in : instances_of(isa))
    if (in.sort == sort)
      return true;
  return false;
}

} // namespace axon::isel
