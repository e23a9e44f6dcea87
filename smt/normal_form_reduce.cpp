// Reductions in the normal form: mk_reduce's linearity, factor pulling, constant sums, Fubini
// merging and splitting of nested sums, tile flattening, masks folded into extents, max/min
// factoring, and canonical bound-variable names (see normal_form.h).
#include "smt/normal_form.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <optional>

#include "ir/error.h"
#include "smt/normal_form_internal.h"

namespace axon::smt {

namespace {

bool mentions(const N& x, const std::set<std::string>& names) {
  for (auto& v : names)
    if (x->free.count(v))
      return true;
  return false;
}

N count_of(const N& ext) {
  return mk_to_real(known_nonneg(ext) ? ext : mk_int_op(NKind::IMax, ext, mk_const(0, Sort::Int)));
}

// One reduction node with canonical bound-variable names: k<height>_<i>, the order of a
// multi-variable sum chosen to minimise the (name-erased) key.
N build_reduce_atom(NKind kind, const std::vector<std::pair<std::string, N>>& vars, const N& body) {
  int h = body->height + 1;
  for (auto& [v, e] : vars)
    h = std::max(h, e->height + 1);
  std::vector<size_t> perm(vars.size());
  std::iota(perm.begin(), perm.end(), 0);
  N best_body;
  std::vector<std::pair<std::string, N>> best_vars;
  std::string best_e, best_k;
  do {
    std::map<std::string, N> ren;
    std::vector<std::pair<std::string, N>> bv;
    std::string ek, fk;
    for (size_t i = 0; i < perm.size(); ++i) {
      std::string cn = "k" + std::to_string(h) + "_" + std::to_string(i);
      ren[vars[perm[i]].first] = mk_var(cn, VarClass::Bound);
      bv.emplace_back(cn, vars[perm[i]].second);
      ek += vars[perm[i]].second->ekey + ";";
      fk += vars[perm[i]].second->key + ";";
    }
    N b = subst(body, ren);
    ek += b->ekey;
    fk += b->key;
    if (!best_body || ek < best_e || (ek == best_e && fk < best_k)) {
      best_body = b;
      best_vars = bv;
      best_e = ek;
      best_k = fk;
    }
  } while (vars.size() <= 4 && std::next_permutation(perm.begin(), perm.end()));
  NNode n{.kind = kind, .sort = Sort::Real, .args = {best_body}};
  n.bound = best_vars;
  return atom_poly(finish(std::move(n)));
}

N mk_sum(std::vector<std::pair<std::string, N>> vars, const N& body);

// A mask factor select(v < c, f, 0) (or v >= c) folded into the extent of v.
bool fold_mask(std::vector<std::pair<std::string, N>>& used, std::vector<Factor>& dep,
               N& out_body) {
  std::set<std::string> names;
  for (auto& [v, e] : used)
    names.insert(v);
  for (size_t i = 0; i < dep.size(); ++i) {
    const N& s = dep[i].atom;
    if (s->kind != NKind::Select || dep[i].exp != 1 || s->sort != Sort::Real)
      continue;
    N cond, val;
    if (is_zero(s->args[2])) {
      cond = s->args[0];
      val = s->args[1];
    } else if (is_zero(s->args[1])) {
      cond = mk_not(s->args[0]);
      val = s->args[2];
    } else {
      continue;
    }
    std::vector<N> conj = cond->kind == NKind::And ? cond->args : std::vector<N>{cond};
    for (size_t c = 0; c < conj.size(); ++c) {
      const N& cmp = conj[c];
      if (cmp->kind != NKind::Cmp || cmp->cmp != CmpOp::Le)
        continue;
      const N& p = cmp->args[0];
      for (size_t vi = 0; vi < used.size(); ++vi) {
        const std::string& v = used[vi].first;
        int sign = 0;
        std::vector<Mono> rest;
        bool ok = true;
        for (auto& m : p->monos) {
          if (m.factors.size() == 1 && m.factors[0].exp == 1 &&
              m.factors[0].atom->kind == NKind::Var && m.factors[0].atom->name == v &&
              (m.coef == Rational(1) || m.coef == Rational(-1)) && sign == 0) {
            sign = m.coef.sign();
            continue;
          }
          Mono mm = m;
          N mp = mk_poly({mm}, Sort::Int);
          if (mentions(mp, names))
            ok = false;
          rest.push_back(m);
        }
        if (!ok || sign == 0)
          continue;
        N r = mk_poly(rest, Sort::Int);
        std::vector<N> others;
        for (size_t j = 0; j < conj.size(); ++j)
          if (j != c)
            others.push_back(conj[j]);
        N newval = mk_select(mk_and(others), val, mk_const(0, Sort::Real));
        N others_poly = mk_const(1, Sort::Real);
        for (size_t j = 0; j < dep.size(); ++j)
          if (j != i)
            others_poly = mk_mul(others_poly, factor_poly(dep[j]));
        N zero = mk_const(0, Sort::Int);
        if (sign > 0) {
          // v + r <= 0  <=>  v < 1 - r
          N bound = mk_int_op(NKind::IMax, mk_sub(mk_const(1, Sort::Int), r), zero);
          used[vi].second = mk_int_op(NKind::IMin, used[vi].second, bound);
          out_body = mk_mul(others_poly, newval);
        } else {
          // -v + r <= 0  <=>  v >= r: shift v = u + max(r, 0)
          N lo = mk_int_op(NKind::IMax, r, zero);
          std::string u = fresh_name("%m");
          std::map<std::string, N> sh{{v, mk_add(mk_var(u, VarClass::Bound), lo)}};
          used[vi].second = mk_int_op(NKind::IMax, mk_sub(used[vi].second, lo), zero);
          used[vi].first = u;
          out_body = subst(mk_mul(others_poly, newval), sh);
        }
        return true;
      }
    }
  }
  return false;
}

N sum_mono(const std::vector<std::pair<std::string, N>>& vars, const Mono& mono) {
  std::set<std::string> names;
  for (auto& [v, e] : vars)
    names.insert(v);
  N indep = mk_const(mono.coef, Sort::Real);
  std::vector<Factor> dep;
  for (auto& f : mono.factors) {
    if (mentions(f.atom, names))
      dep.push_back(f);
    else
      indep = mk_mul(indep, factor_poly(f));
  }
  std::vector<std::pair<std::string, N>> used;
  for (auto& [v, e] : vars) {
    bool u = false;
    for (auto& f : dep)
      u = u || f.atom->free.count(v);
    if (u)
      used.emplace_back(v, e);
    else
      indep = mk_mul(indep, count_of(e));
  }
  if (used.empty())
    return indep;
  std::set<std::string> used_names;
  for (auto& [v, e] : used)
    used_names.insert(v);
  // Merge nested sums over independent ranges into this one (Fubini).
  for (bool again = true; again;) {
    again = false;
    for (size_t i = 0; i < dep.size(); ++i) {
      const N& s = dep[i].atom;
      if (s->kind != NKind::Sum || dep[i].exp != 1)
        continue;
      bool indep_ext = true;
      for (auto& [v, e] : s->bound)
        indep_ext = indep_ext && !mentions(e, used_names);
      if (!indep_ext)
        continue;
      std::map<std::string, N> ren;
      std::vector<std::pair<std::string, N>> nv;
      for (auto& [v, e] : s->bound) {
        std::string f = fresh_name("%s");
        ren[v] = mk_var(f, VarClass::Bound);
        nv.emplace_back(f, e);
      }
      N b = subst(s->args[0], ren);
      if (b->monos.size() != 1)
        continue;
      Rational bc = b->monos[0].coef;
      std::vector<Factor> fs = b->monos[0].factors;
      dep.erase(dep.begin() + static_cast<long>(i));
      dep = mul_factors(dep, fs);
      indep = mk_mul(indep, mk_const(bc, Sort::Real));
      for (auto& x : nv) {
        used.push_back(x);
        used_names.insert(x.first);
      }
      again = true;
      break;
    }
  }
  N masked;
  if (fold_mask(used, dep, masked))
    return mk_mul(indep, mk_sum(used, masked));
  // A select on a bound variable with two nonzero branches (a concatenation read at its
  // boundary) splits into two masked terms, each of which folds into its own range:
  // select(c, a, b) = select(c, a, 0) + select(c, 0, b). At most 3 such selects per product are
  // split (each split doubles the terms).
  size_t splittable = 0;
  for (auto& f : dep)
    splittable += f.atom->kind == NKind::Select && f.exp == 1 && f.atom->sort == Sort::Real &&
                  !is_zero(f.atom->args[1]) && !is_zero(f.atom->args[2]) &&
                  mentions(f.atom->args[0], used_names);
  for (size_t i = 0; i < dep.size() && splittable <= 3; ++i) {
    const N& sel = dep[i].atom;
    if (sel->kind != NKind::Select || dep[i].exp != 1 || sel->sort != Sort::Real ||
        is_zero(sel->args[1]) || is_zero(sel->args[2]) || !mentions(sel->args[0], used_names))
      continue;
    N others = mk_const(1, Sort::Real);
    for (size_t j = 0; j < dep.size(); ++j)
      if (j != i)
        others = mk_mul(others, factor_poly(dep[j]));
    N zero = mk_const(0, Sort::Real);
    N first = mk_mul(others, mk_select(sel->args[0], sel->args[1], zero));
    N second = mk_mul(others, mk_select(sel->args[0], zero, sel->args[2]));
    return mk_mul(indep, mk_add(mk_sum(used, first), mk_sum(used, second)));
  }
  // Independent components become separate sums: sum_{j,k} f(j) g(k) = sum_j f(j) * sum_k g(k).
  std::vector<int> comp(dep.size(), -1);
  std::vector<std::set<std::string>> comp_vars;
  for (size_t i = 0; i < dep.size(); ++i) {
    std::set<std::string> vs;
    for (auto& [v, e] : used)
      if (dep[i].atom->free.count(v))
        vs.insert(v);
    std::vector<int> hits;
    for (size_t c = 0; c < comp_vars.size(); ++c) {
      bool inter = false;
      for (auto& v : vs)
        inter = inter || comp_vars[c].count(v);
      if (inter)
        hits.push_back(static_cast<int>(c));
    }
    if (hits.empty()) {
      comp_vars.push_back(vs);
      comp[i] = static_cast<int>(comp_vars.size() - 1);
    } else {
      int c0 = hits[0];
      comp_vars[c0].insert(vs.begin(), vs.end());
      comp[i] = c0;
      for (size_t h = 1; h < hits.size(); ++h) {
        comp_vars[c0].insert(comp_vars[hits[h]].begin(), comp_vars[hits[h]].end());
        comp_vars[hits[h]].clear();
        for (auto& x : comp)
          if (x == hits[h])
            x = c0;
      }
    }
  }
  N result = indep;
  for (size_t c = 0; c < comp_vars.size(); ++c) {
    if (comp_vars[c].empty())
      continue;
    std::vector<Factor> fs;
    for (size_t i = 0; i < dep.size(); ++i)
      if (comp[i] == static_cast<int>(c))
        fs.push_back(dep[i]);
    std::vector<std::pair<std::string, N>> cv;
    for (auto& x : used)
      if (comp_vars[c].count(x.first))
        cv.push_back(x);
    result = mk_mul(
        result, build_reduce_atom(NKind::Sum, cv, mk_poly({Mono{Rational(1), fs}}, Sort::Real)));
  }
  return result;
}

N mk_sum(std::vector<std::pair<std::string, N>> vars, const N& body) {
  N r = mk_const(0, Sort::Real);
  for (auto& m : body->monos)
    r = mk_add(r, sum_mono(vars, m));
  return r;
}

N mk_minmax(NKind kind, const std::pair<std::string, N>& var, const N& body) {
  std::set<std::string> names{var.first};
  std::vector<Mono> indep, dep;
  for (auto& m : body->monos)
    (mentions(mk_poly({m}, Sort::Real), names) ? dep : indep).push_back(m);
  if (dep.empty() && known_positive(var.second))
    return body;
  N add = mk_poly(indep, Sort::Real);
  if (dep.size() == 1 && !dep[0].coef.is_one()) {
    Rational c = dep[0].coef;
    Mono unit{Rational(1), dep[0].factors};
    NKind k = c.sign() > 0 ? kind : (kind == NKind::Max ? NKind::Min : NKind::Max);
    return mk_add(add,
                  mk_mul(mk_const(c, Sort::Real), mk_minmax(k, var, mk_poly({unit}, Sort::Real))));
  }
  if (dep.empty())
    return mk_add(add, build_reduce_atom(kind, {var}, mk_const(0, Sort::Real)));
  return mk_add(add, build_reduce_atom(kind, {var}, mk_poly(dep, Sort::Real)));
}

} // namespace

N mk_reduce(NKind k, std::vector<std::pair<std::string, N>> vars, const N& body) {
  // A reduction over a range of exactly one element is its one term (at index 0).
  N b = body;
  for (size_t i = 0; i < vars.size();) {
    Rational c;
    if (is_const(vars[i].second, &c) && c.is_one()) {
      b = subst(b, {{vars[i].first, mk_const(0, Sort::Int)}});
      vars.erase(vars.begin() + static_cast<long>(i));
    } else {
      ++i;
    }
  }
  if (vars.empty())
    return b;
  return mk_reduce_ranges(k, std::move(vars), b);
}

N mk_reduce_ranges(NKind k, std::vector<std::pair<std::string, N>> vars, const N& body) {
  if (k == NKind::Sum)
    return mk_sum(std::move(vars), body);
  AXON_CHECK(vars.size() == 1, "max/min bind one variable");
  return mk_minmax(k, vars[0], body);
}

} // namespace axon::smt
