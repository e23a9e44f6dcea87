// Default schedules, validation and printing (see schedule.h).
#include "search/schedule.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace axon {

std::string loop_var(const std::string& l) {
  if (l.size() > 2 &&
      (l.compare(l.size() - 2, 2, ".o") == 0 || l.compare(l.size() - 2, 2, ".i") == 0))
    return l.substr(0, l.size() - 2);
  return l;
}

Schedule default_schedule(const IndexProgram& p) {
  Schedule s;
  for (auto& st : p.stmts())
    s.stmts.push_back(StmtSchedule{st.vars, {}, "", 0, 1, false, {}, {}});
  return s;
}

bool is_register_tile(const IndexProgram& p, size_t stmt, const StmtSchedule& ss) {
  const IndexStmt& st = p.stmts().at(stmt);
  const ExprNode* red = top_reduction(st);
  if (!red)
    return false;
  size_t r = ss.order.size();
  for (size_t i = 0; i < ss.order.size(); ++i)
    if (loop_var(ss.order[i]) == red->name())
      r = i;
  if (r + 1 >= ss.order.size())
    return false;
  auto shape = p.concrete_shape(st.out);
  std::map<std::string, int64_t> extent;
  for (size_t i = 0; i < st.vars.size(); ++i)
    extent[st.vars[i]] = shape[i];
  for (size_t i = r + 1; i < ss.order.size(); ++i) {
    const std::string& l = ss.order[i];
    std::string v = loop_var(l);
    if (l == v || l.back() != 'i' || !extent.count(v) || !ss.split.count(v))
      return false;
    int64_t tile = ss.split.at(v);
    bool last = i + 1 == ss.order.size();
    // The unrolled loop may be ragged (the backend clamps the rows of its last tile); the
    // vectorized one must divide its extent.
    if (last ? extent.at(v) % tile != 0 : extent.at(v) < tile)
      return false;
    bool vec = last && l == ss.vectorize && ss.vector_width > 1 && tile % ss.vector_width == 0 &&
               tile / ss.vector_width <= 8;
    bool unrolled = std::find(ss.unroll.begin(), ss.unroll.end(), l) != ss.unroll.end();
    if (last ? !vec : !unrolled)
      return false;
  }
  return true;
}

std::string pack_var(const IndexProgram& p, size_t stmt, const StmtSchedule& ss,
                     const std::string& tensor, size_t* position) {
  const IndexStmt& st = p.stmts().at(stmt);
  std::string v = ss.vectorize;
  if (v.size() < 3 || v.compare(v.size() - 2, 2, ".i") != 0)
    return "";
  v = v.substr(0, v.size() - 2);
  if (!ss.split.count(v))
    return "";
  std::map<std::string, int64_t> extent;
  auto shape = p.concrete_shape(st.out);
  for (size_t i = 0; i < st.vars.size(); ++i)
    extent[st.vars[i]] = shape[i];
  if (!extent.count(v) || extent.at(v) % ss.split.at(v) != 0)
    return "";
  bool read = false, ok = true;
  int pos = -1; // the index position v appears at, the same in every read
  visit(st.value, [&](const ExprNode& n) {
    if (n.kind() != ExprKind::Access || n.name() != tensor)
      return;
    read = true;
    int at = -1;
    for (size_t i = 0; i < n.args().size(); ++i) {
      const Expr& x = n.args()[i];
      if (x->kind() == ExprKind::IndexVar && x->name() == v && at < 0) {
        at = static_cast<int>(i);
        continue;
      }
      for (auto& fv : free_index_vars(x))
        if (fv == v)
          ok = false;
    }
    if (at < 0 || (pos >= 0 && at != pos))
      ok = false;
    pos = at;
  });
  const TensorDecl* t = p.find_tensor(tensor);
  if (!read || !ok || !t || t->dtype == DType::Bool)
    return "";
  if (position)
    *position = static_cast<size_t>(pos);
  return v;
}

std::vector<std::pair<size_t, size_t>> fusion_groups(const Schedule& s) {
  std::vector<std::pair<size_t, size_t>> g;
  for (size_t i = 0; i < s.stmts.size(); ++i) {
    if (s.stmts[i].fuse_prev && !g.empty())
      g.back().second = i;
    else
      g.push_back({i, i});
  }
  return g;
}

namespace {

std::optional<OuterLoop> loop_at(const IndexProgram& p, size_t stmt, const StmtSchedule& ss,
                                 size_t k) {
  const IndexStmt& st = p.stmts().at(stmt);
  if (k >= ss.order.size())
    return std::nullopt;
  const std::string& l = ss.order[k];
  std::string v = loop_var(l);
  auto it = std::find(st.vars.begin(), st.vars.end(), v);
  if (it == st.vars.end())
    return std::nullopt; // the top-level reduction's variable
  if (is_split_part(l) && l.back() != 'o')
    return std::nullopt;
  if (l == ss.vectorize || std::find(ss.unroll.begin(), ss.unroll.end(), l) != ss.unroll.end())
    return std::nullopt;
  OuterLoop o;
  o.extent = p.concrete_shape(st.out).at(static_cast<size_t>(it - st.vars.begin()));
  o.tile = is_split_part(l) ? ss.split.at(v) : 0;
  return o;
}

} // namespace

std::optional<OuterLoop> outer_loop(const IndexProgram& p, size_t stmt, const StmtSchedule& ss) {
  return loop_at(p, stmt, ss, 0);
}

std::optional<std::pair<size_t, OuterLoop>> thread_loop(const IndexProgram& p, size_t stmt,
                                                        const StmtSchedule& ss) {
  const ExprNode* red = top_reduction(p.stmts().at(stmt));
  for (size_t k = 0; k < ss.order.size(); ++k) {
    if (auto o = loop_at(p, stmt, ss, k))
      return std::make_pair(k, *o);
    if (!red || loop_var(ss.order[k]) != red->name())
      return std::nullopt;
  }
  return std::nullopt;
}

std::string fusion_error(const IndexProgram& p, const Schedule& s, size_t first, size_t last) {
  auto o0 = outer_loop(p, first, s.stmts.at(first));
  if (!o0)
    return "statement " + std::to_string(first) + " has no outer loop that can be shared";
  if (first == last)
    return "";
  if (!p.updates().empty())
    return "programs that update a tensor in place are not fused";
  for (size_t c = first + 1; c <= last; ++c) {
    const IndexStmt& cs = p.stmts()[c];
    auto oc = outer_loop(p, c, s.stmts[c]);
    if (!oc || !(*oc == *o0))
      return "statement " + std::to_string(c) + " (" + cs.out +
             ") does not share the outer loop of statement " + std::to_string(first);
    if (!s.stmts[c].pack.empty() || !s.stmts[first].pack.empty())
      return "statements with packed operands are not fused";
    std::string cvar = loop_var(s.stmts[c].order[0]);
    for (size_t q = first; q < c; ++q) {
      const IndexStmt& ps = p.stmts()[q];
      std::string pvar = loop_var(s.stmts[q].order[0]);
      size_t d =
          static_cast<size_t>(std::find(ps.vars.begin(), ps.vars.end(), pvar) - ps.vars.begin());
      std::string bad;
      visit(cs.value, [&](const ExprNode& n) {
        if (n.kind() != ExprKind::Access || n.name() != ps.out || !bad.empty())
          return;
        const Expr& ix = n.args().at(d);
        if (ix->kind() != ExprKind::IndexVar || ix->name() != cvar)
          bad = "statement " + std::to_string(c) + " (" + cs.out + ") reads " + ps.out +
                " outside the outer iteration that produces it";
      });
      if (!bad.empty())
        return bad;
    }
  }
  return "";
}

std::vector<std::pair<std::string, size_t>>
group_local_temps(const IndexProgram& p, const Schedule& s, size_t first, size_t last) {
  std::vector<std::pair<std::string, size_t>> out;
  if (first == last)
    return out;
  for (size_t i = first; i <= last; ++i) {
    const IndexStmt& st = p.stmts()[i];
    if (p.tensor(st.out).role != TensorRole::Temp)
      continue;
    bool outside = false;
    for (size_t j = 0; j < p.stmts().size(); ++j)
      if (j < first || j > last)
        visit(p.stmts()[j].value, [&](const ExprNode& n) {
          if (n.kind() == ExprKind::Access && n.name() == st.out)
            outside = true;
        });
    if (outside)
      continue;
    std::string v = loop_var(s.stmts[i].order[0]);
    out.push_back({st.out, static_cast<size_t>(std::find(st.vars.begin(), st.vars.end(), v) -
                                               st.vars.begin())});
  }
  return out;
}

bool is_whole_reduction_tile(const IndexProgram& p, size_t stmt, const StmtSchedule& ss) {
  return is_register_tile(p, stmt, ss) &&
         !ss.split.count(top_reduction(p.stmts().at(stmt))->name());
}

std::string stream_error(const IndexProgram& p, size_t stmt, const StmtSchedule& ss) {
  const IndexStmt& st = p.stmts().at(stmt);
  if (p.tensor(st.out).role != TensorRole::Output || p.updates().count(st.out))
    return "only a program output that is not updated in place can be streamed";
  for (auto& other : p.stmts()) {
    bool reads = false;
    visit(other.value, [&](const ExprNode& n) {
      reads = reads || (n.kind() == ExprKind::Access && n.name() == st.out);
    });
    if (reads)
      return "a streamed output must not be read by the kernel";
  }
  if (const ExprNode* red = top_reduction(st))
    for (auto& l : ss.order)
      if (loop_var(l) == red->name())
        return "a lifted reduction accumulates in its output: it cannot be streamed";
  if (st.value->sort() != Sort::Real || ss.vectorize.empty() || st.vars.empty() ||
      loop_var(ss.vectorize) != st.vars.back())
    return "a streamed output is stored in whole vectors: vectorize its last variable";
  return "";
}

std::string prefetch_error(const IndexProgram& p, const Schedule& s, size_t stmt,
                           const std::string& t) {
  const IndexStmt& st = p.stmts().at(stmt);
  const StmtSchedule& ss = s.stmts.at(stmt);
  size_t first = stmt, last = stmt;
  for (auto& [a, b] : fusion_groups(s))
    if (a <= stmt && stmt <= b)
      first = a, last = b;
  if (first == last)
    return "prefetching '" + t +
           "' needs a fusion group: it fetches the group's next outer iteration";
  if (ss.vectorize.empty() || is_register_tile(p, stmt, ss))
    return "prefetching '" + t + "' needs a vectorized statement that is not a register tile";
  // A program input, or a temporary an earlier loop nest wrote in full (one the group writes is
  // its own, and may be a slice per outer iteration).
  if (!p.find_tensor(t) || p.tensor(t).role == TensorRole::Output)
    return "'" + t + "' is not a program input or temporary";
  if (p.tensor(t).role == TensorRole::Temp)
    for (size_t i = first; i < p.stmts().size(); ++i)
      if (p.stmts()[i].out == t)
        return "'" + t + "' is written by statement " + std::to_string(i) +
               ", not before the group";
  if (std::find(ss.pack.begin(), ss.pack.end(), t) != ss.pack.end())
    return "'" + t + "' is packed: it cannot be prefetched";
  // The statement's own name for the shared outer loop (statements may name their variables apart).
  std::string own = loop_var(ss.order.at(0));
  bool reads = false;
  std::string why;
  std::string vec = loop_var(ss.vectorize);
  visit(st.value, [&](const ExprNode& n) {
    if (n.kind() != ExprKind::Access || n.name() != t)
      return;
    reads = true;
    bool mentions = false, along = false;
    for (auto& a : n.args())
      for (auto& fv : free_index_vars(a))
        mentions = mentions || fv == own, along = along || fv == vec;
    if (!mentions)
      why = "a read of '" + t + "' does not depend on the group's outer loop '" + own + "'";
    else if (!along && why.empty())
      why = "a read of '" + t +
            "' does not vary along the vectorized loop: no vector load to prefetch with";
  });
  if (!reads)
    return "statement " + std::to_string(stmt) + " does not read '" + t + "'";
  return why;
}

std::string storage_rounding_error(const IndexProgram& p, size_t stmt, const StmtSchedule& ss) {
  const IndexStmt& st = p.stmts().at(stmt);
  DType d = p.tensor(st.out).dtype;
  if (d != DType::BF16 && d != DType::F16)
    return "";
  const ExprNode* red = top_reduction(st);
  if (!red)
    return "";
  bool lifted = false;
  for (auto& l : ss.order)
    lifted = lifted || loop_var(l) == red->name();
  if (!lifted)
    return "";
  if (is_register_tile(p, stmt, ss) && !ss.split.count(red->name()) && !reduction_epilogue(st))
    return "";
  return "the reduction accumulates in its " + std::string(dtype_name(d)) +
         " output: lift it only as a register tile over the whole reduction without an epilogue";
}

std::string validate_schedule(const IndexProgram& p, const Schedule& s) {
  if (s.stmts.size() != p.stmts().size())
    return "the schedule has " + std::to_string(s.stmts.size()) + " statements, the program " +
           std::to_string(p.stmts().size());
  for (size_t i = 0; i < s.stmts.size(); ++i) {
    const IndexStmt& st = p.stmts()[i];
    const StmtSchedule& ss = s.stmts[i];
    std::string at = "statement " + std::to_string(i) + " (" + st.out + "): ";
    std::set<std::string> allowed(st.vars.begin(), st.vars.end());
    if (const ExprNode* r = top_reduction(st))
      allowed.insert(r->name());
    std::set<std::string> seen_vars;
    std::map<std::string, int> seen_parts;
    std::map<std::string, size_t> pos;
    for (size_t k = 0; k < ss.order.size(); ++k) {
      const std::string& l = ss.order[k];
      pos[l] = k;
      std::string var = loop_var(l);
      bool part = is_split_part(l);
      if (!allowed.count(var))
        return at + "'" + l + "' is not a loop of this statement";
      bool split = ss.split.count(var) != 0;
      if (split != part)
        return at + "'" + var + "' is " +
               (split ? "split: use " + var + ".o and " + var + ".i" : "not split: no .o/.i");
      if (part) {
        if (++seen_parts[l] > 1)
          return at + "'" + l + "' appears twice";
      } else if (!seen_vars.insert(var).second) {
        return at + "'" + var + "' appears twice";
      }
    }
    for (auto& v : st.vars) {
      bool split = ss.split.count(v) != 0;
      if (split ? !(pos.count(v + ".o") && pos.count(v + ".i")) : !pos.count(v))
        return at + "loop over '" + v + "' is missing";
    }
    for (auto& [v, t] : ss.split) {
      if (t < 1)
        return at + "tile of '" + v + "' must be >= 1";
      if (!allowed.count(v))
        return at + "split of unknown loop '" + v + "'";
      if (!(pos.count(v + ".o") && pos.count(v + ".i")))
        return at + "split loop '" + v + "' needs .o and .i";
      if (pos[v + ".o"] > pos[v + ".i"])
        return at + "'" + v + ".o' must be outside '" + v + ".i'";
    }
    for (auto& t : ss.pack)
      if (pack_var(p, i, ss, t).empty())
        return at + "operand '" + t + "' cannot be packed (it must be read as " + t +
               "[..., v] with v the vectorized split variable, whose tile divides its extent)";
    if (!ss.vectorize.empty() && !pos.count(ss.vectorize))
      return at + "vectorized loop '" + ss.vectorize + "' is not in the order";
    if (ss.vector_width < 0)
      return at + "negative vector width";
    if (ss.threads < 1 || ss.threads > 256)
      return at + "threads must be from 1 to 256";
    if (std::string why = storage_rounding_error(p, i, ss); !why.empty())
      return at + why;
    if (ss.stream)
      if (std::string why = stream_error(p, i, ss); !why.empty())
        return at + why;
    for (auto& t : ss.prefetch)
      if (std::string why = prefetch_error(p, s, i, t); !why.empty())
        return at + why;
    if (ss.threads > 1 && !thread_loop(p, i, ss))
      return at + "no loop can be split across threads (the first loop that is not the reduction's "
                  "must be an output "
                  "variable or its outer part, neither vectorized nor unrolled)";
    if (ss.threads > 1 && thread_loop(p, i, ss)->first > 0 && i + 1 < s.stmts.size() &&
        s.stmts[i + 1].fuse_prev)
      return at + "a fusion group's threads split its shared outermost loop";
    if (ss.fuse_prev && i == 0)
      return at + "the first statement cannot be fused with a previous one";
    if (ss.fuse_prev && ss.threads != 1)
      return at + "threads are set on the first statement of a fusion group";
    for (auto& u : ss.unroll) {
      if (!pos.count(u))
        return at + "unrolled loop '" + u + "' is not in the order";
      if (u == ss.vectorize)
        return at + "loop '" + u + "' cannot be both unrolled and vectorized";
      if (u.size() < 3 || u.compare(u.size() - 2, 2, ".i") != 0)
        return at + "only the inner part of a split loop (v.i) can be unrolled";
      if (ss.split.at(u.substr(0, u.size() - 2)) > 64)
        return at + "unrolling '" + u + "' more than 64 times";
    }
  }
  for (auto& [a, b] : fusion_groups(s))
    if (a != b) {
      std::string why = fusion_error(p, s, a, b);
      if (!why.empty())
        return "fusion group of statements " + std::to_string(a) + ".." + std::to_string(b) + ": " +
               why;
    }
  return "";
}

std::string to_string(const Schedule& s, const IndexProgram& p) {
  std::ostringstream os;
  for (size_t i = 0; i < s.stmts.size() && i < p.stmts().size(); ++i) {
    const StmtSchedule& ss = s.stmts[i];
    os << p.stmts()[i].out << ":";
    for (size_t k = 0; k < ss.order.size(); ++k)
      os << (k ? ", " : " ") << ss.order[k];
    for (auto& [v, t] : ss.split)
      os << " split " << v << ":" << t;
    if (!ss.vectorize.empty())
      os << " vec " << ss.vectorize
         << (ss.vector_width ? "x" + std::to_string(ss.vector_width) : "");
    for (auto& u : ss.unroll)
      os << " unroll " << u;
    for (auto& t : ss.pack)
      os << " pack " << t;
    if (ss.threads > 1)
      os << " threads " << ss.threads;
    if (ss.fuse_prev)
      os << " fused";
    if (ss.stream)
      os << " stream";
    for (auto& t : ss.prefetch)
      os << " prefetch " << t;
    os << "\n";
  }
  return os.str();
}

} // namespace axon
