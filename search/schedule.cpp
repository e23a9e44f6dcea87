// Default schedules, validation and printing (see schedule.h).
#include "search/schedule.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace axon {

const ExprNode* top_reduction(const IndexStmt& s) {
  return is_reduce(s.value->kind()) ? s.value.get() : nullptr;
}

Schedule default_schedule(const IndexProgram& p) {
  Schedule s;
  for (auto& st : p.stmts()) s.stmts.push_back(StmtSchedule{st.vars, {}, "", 0, false});
  return s;
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
    if (const ExprNode* r = top_reduction(st)) allowed.insert(r->name());
    std::set<std::string> seen_vars;
    std::map<std::string, int> seen_parts;
    std::map<std::string, size_t> pos;
    for (size_t k = 0; k < ss.order.size(); ++k) {
      const std::string& l = ss.order[k];
      pos[l] = k;
      std::string var = l, part;
      auto dot = l.rfind('.');
      if (dot != std::string::npos && (l.substr(dot) == ".o" || l.substr(dot) == ".i")) {
        var = l.substr(0, dot);
        part = l.substr(dot);
      }
      if (!allowed.count(var)) return at + "'" + l + "' is not a loop of this statement";
      bool split = ss.split.count(var) != 0;
      if (split != !part.empty())
        return at + "'" + var + "' is " + (split ? "split: use " + var + ".o and " + var + ".i" : "not split: no .o/.i");
      if (!part.empty()) {
        if (++seen_parts[l] > 1) return at + "'" + l + "' appears twice";
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
      if (t < 1) return at + "tile of '" + v + "' must be >= 1";
      if (!allowed.count(v)) return at + "split of unknown loop '" + v + "'";
      if (!(pos.count(v + ".o") && pos.count(v + ".i"))) return at + "split loop '" + v + "' needs .o and .i";
      if (pos[v + ".o"] > pos[v + ".i"]) return at + "'" + v + ".o' must be outside '" + v + ".i'";
    }
    if (!ss.vectorize.empty() && !pos.count(ss.vectorize))
      return at + "vectorized loop '" + ss.vectorize + "' is not in the order";
    if (ss.vector_width < 0) return at + "negative vector width";
  }
  return "";
}

std::string to_string(const Schedule& s, const IndexProgram& p) {
  std::ostringstream os;
  for (size_t i = 0; i < s.stmts.size() && i < p.stmts().size(); ++i) {
    const StmtSchedule& ss = s.stmts[i];
    os << p.stmts()[i].out << ":";
    for (size_t k = 0; k < ss.order.size(); ++k) os << (k ? ", " : " ") << ss.order[k];
    for (auto& [v, t] : ss.split) os << " split " << v << ":" << t;
    if (!ss.vectorize.empty()) os << " vec " << ss.vectorize << (ss.vector_width ? "x" + std::to_string(ss.vector_width) : "");
    if (ss.parallel) os << " parallel";
    os << "\n";
  }
  return os.str();
}

}  // namespace axon
