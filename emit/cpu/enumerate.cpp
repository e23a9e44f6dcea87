// Schedule enumeration for one statement (see enumerate.h).
#include "emit/cpu/enumerate.h"

#include <algorithm>
#include <set>

namespace axon {

namespace {

// Whether some access of the statement varies with `var` in an index other than its last one
// (its elements along `var` are not contiguous).
bool strided_along(const IndexStmt& st, const std::string& var) {
  bool strided = false;
  visit(st.value, [&](const ExprNode& n) {
    if (n.kind() != ExprKind::Access)
      return;
    for (size_t i = 0; i + 1 < n.args().size(); ++i)
      for (auto& v : free_index_vars(n.args()[i]))
        strided = strided || v == var;
  });
  return strided;
}

} // namespace

std::vector<StmtSchedule> enumerate_stmt_schedules(const IndexProgram& p, size_t si,
                                                   const EnumerateOptions& o) {
  const IndexStmt& st = p.stmts().at(si);
  std::vector<std::string> loops = st.vars;
  std::map<std::string, int64_t> extent;
  auto shape = p.concrete_shape(st.out);
  for (size_t i = 0; i < st.vars.size(); ++i)
    extent[st.vars[i]] = shape[i];
  const ExprNode* red = top_reduction(st);
  if (red)
    extent[red->name()] = p.eval_size(red->extent());

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
    for (auto& l : s.order)
      key += l + ",";
    for (auto& [v, t] : s.split)
      key += v + ":" + std::to_string(t) + ",";
    key += "|" + s.vectorize;
    for (auto& u : s.unroll)
      key += "|u" + u;
    for (auto& t : s.pack)
      key += "|p" + t;
    if (!storage_rounding_error(p, si, s).empty())
      return;
    if (seen.insert(key).second)
      out.push_back(std::move(s));
  };
  for (auto& ord : orders) {
    StmtSchedule plain;
    plain.order = ord;
    push(plain);
    if (ord.empty())
      continue;
    const std::string inner = ord.back();
    StmtSchedule vec = plain;
    vec.vectorize = inner;
    push(vec);
    // Innermost split into a multiple of the vector width (so the vector loop has a fixed trip).
    for (int mult : {1, 2, 4}) {
      int64_t t = static_cast<int64_t>(o.vector_lanes) * mult;
      if (extent.at(inner) <= t)
        continue;
      StmtSchedule s = plain;
      s.split[inner] = t;
      s.order.back() = inner + ".o";
      s.order.push_back(inner + ".i");
      s.vectorize = inner + ".i";
      push(s);
    }
    // Cache blocking: split the two outermost loops, blocks outside, points inside. A nest of
    // two loops only when an operand's layout disagrees with the order (a transpose): without
    // blocks, each of its rows (strided along the inner loop) touches a new cache line and page
    // per element, and the lines are evicted before the next outer iteration would reuse them.
    // Not a reduction's two loops: the contiguous order is its fast one (docs/PERFORMANCE.md,
    // "Design measurements: blocked row reductions").
    if (ord.size() >= 3 || (ord.size() == 2 && !red && strided_along(st, ord.back()))) {
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
        if (s.split.empty())
          continue;
        s.order = outer_blocks;
        s.order.insert(s.order.end(), rest.begin(), rest.end());
        s.vectorize = s.order.back();
        push(s);
      }
    }
  }
  // Register tiles for a lifted reduction: the last output variable vectorized in tiles of
  // `nt` (a multiple of the vector width, dividing its extent), another output variable unrolled
  // in tiles of `mt` (the last tile may be ragged), the reduction loop (optionally blocked)
  // outside them, the m tiles outside or inside the n tiles. The backend keeps the mt x nt
  // output tile in registers across the reduction loop.
  if (red && st.vars.size() >= 2) {
    const std::string r = red->name();
    const std::string n = st.vars.back();
    int64_t lanes = o.vector_lanes;
    for (size_t mi_idx = 0; mi_idx + 1 < st.vars.size(); ++mi_idx) {
      const std::string m = st.vars[mi_idx];
      for (int64_t nt : {lanes, 2 * lanes, 3 * lanes, 4 * lanes}) {
        if (nt <= 0 || extent.at(n) % nt != 0 || extent.at(n) == nt / 2)
          continue;
        for (int64_t mt : {1, 2, 3, 4, 6, 8}) {
          // The m tiles may be ragged (the last one partly past the extent: 6 rows of 2048).
          if (extent.at(m) < mt || (mt * nt / lanes) > o.vector_registers - 4)
            continue; // accumulators fit
          for (int64_t kb : {int64_t(0), int64_t(128), int64_t(256), int64_t(512)}) {
            if (kb && extent.at(r) <= kb)
              continue;
            for (bool n_outer : {false, true}) {
              StmtSchedule ts;
              ts.split[m] = mt;
              ts.split[n] = nt;
              if (kb) {
                ts.split[r] = kb;
                ts.order.push_back(r + ".o");
              }
              for (auto& v : st.vars)
                if (v != m && v != n)
                  ts.order.push_back(v);
              // m tiles inside n tiles: one operand panel (kb x nt) is reused by every m tile
              // from the first cache levels, the other streams (GotoBLAS's order); or n inside m.
              ts.order.push_back(n_outer ? n + ".o" : m + ".o");
              ts.order.push_back(n_outer ? m + ".o" : n + ".o");
              ts.order.push_back(kb ? r + ".i" : r);
              ts.order.push_back(m + ".i");
              ts.order.push_back(n + ".i");
              ts.unroll = {m + ".i"};
              ts.vectorize = n + ".i";
              ts.vector_width = static_cast<int>(lanes);
              // Packed variant first: operands the reduction reads along n in tiles become
              // contiguous panels (an epilogue's operands are read once per element: not packed).
              StmtSchedule packed = ts;
              visit(red->body(), [&](const ExprNode& x) {
                if (x.kind() == ExprKind::Access && x.name() != st.out &&
                    std::find(packed.pack.begin(), packed.pack.end(), x.name()) ==
                        packed.pack.end() &&
                    !pack_var(p, si, ts, x.name()).empty())
                  packed.pack.push_back(x.name());
              });
              if (!packed.pack.empty())
                push(packed);
              push(ts);
            }
          }
        }
      }
    }
  }
  // Explicit vector width for every vectorized candidate (the backend falls back to LLVM's
  // vectorizer where explicit vector code does not apply).
  for (auto& c : out)
    if (!c.vectorize.empty() && c.vector_width == 0)
      c.vector_width = o.vector_lanes;
  return out;
}

} // namespace axon
