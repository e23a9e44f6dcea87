// Schedule enumeration for one statement (see enumerate.h).
#include "search/enumerate.h"

#include <algorithm>
#include <set>

namespace axon {

std::vector<StmtSchedule> enumerate_stmt_schedules(const IndexProgram& p, size_t si, const EnumerateOptions& o) {
  const IndexStmt& st = p.stmts().at(si);
  std::vector<std::string> loops = st.vars;
  std::map<std::string, int64_t> extent;
  auto shape = p.concrete_shape(st.out);
  for (size_t i = 0; i < st.vars.size(); ++i) extent[st.vars[i]] = shape[i];
  const ExprNode* red = top_reduction(st);
  if (red) extent[red->name()] = p.eval_size(red->extent());

  std::vector<std::vector<std::string>> orders;
  auto add_orders = [&](std::vector<std::string> ls) {
    std::sort(ls.begin(), ls.end());
    size_t n = 0;
    do {
      orders.push_back(ls);
    } while (++n < o.max_orders && std::next_permutation(ls.begin(), ls.end()));
  };
  add_orders(loops);
  if (red) {
    std::vector<std::string> with = loops;
    with.push_back(red->name());
    add_orders(with);
  }

  std::vector<StmtSchedule> out;
  std::set<std::string> seen;
  auto push = [&](StmtSchedule s) {
    std::string key;
    for (auto& l : s.order) key += l + ",";
    for (auto& [v, t] : s.split) key += v + ":" + std::to_string(t) + ",";
    key += "|" + s.vectorize;
    if (seen.insert(key).second) out.push_back(std::move(s));
  };
  for (auto& ord : orders) {
    StmtSchedule plain;
    plain.order = ord;
    push(plain);
    if (ord.empty()) continue;
    const std::string inner = ord.back();
    StmtSchedule vec = plain;
    vec.vectorize = inner;
    push(vec);
    // Innermost split into a multiple of the vector width (so the vector loop has a fixed trip).
    for (int mult : {1, 2, 4}) {
      int64_t t = static_cast<int64_t>(o.vector_lanes) * mult;
      if (extent.at(inner) <= t) continue;
      StmtSchedule s = plain;
      s.split[inner] = t;
      s.order.back() = inner + ".o";
      s.order.push_back(inner + ".i");
      s.vectorize = inner + ".i";
      push(s);
    }
    // Cache blocking: split the two outermost loops, blocks outside, points inside.
    if (ord.size() >= 3) {
      for (int64_t b : o.block_tiles) {
        StmtSchedule s;
        std::vector<std::string> outer_blocks, rest;
        for (size_t i = 0; i < ord.size(); ++i) {
          const std::string& v = ord[i];
          if (i < 2 && extent.at(v) > b) {
            s.split[v] = b;
            outer_blocks.push_back(v + ".o");
            rest.push_back(v + ".i");
          } else {
            rest.push_back(v);
          }
        }
        if (s.split.empty()) continue;
        s.order = outer_blocks;
        s.order.insert(s.order.end(), rest.begin(), rest.end());
        s.vectorize = s.order.back();
        push(s);
      }
    }
  }
  return out;
}

}  // namespace axon
