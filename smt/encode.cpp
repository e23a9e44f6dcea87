// Encoding of a normalized goal with its ground facts and lemma instances (see encode.h).
#include "smt/encode.h"

#include <functional>
#include <map>
#include <set>

#include "ir/error.h"

namespace axon::smt {

std::string smt_symbol(const std::string& prefix, const std::string& name) {
  std::string s = prefix;
  for (char c : name)
    s += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '!';
  return s;
}

namespace {

SExpr zero(Sort s) { return s == Sort::Int ? s_int(0) : s_real(0); }

class Encoder {
public:
  SmtQuery q;

  SExpr enc(const N& n) {
    switch (n->kind) {
    case NKind::Poly:
      return enc_poly(n);
    case NKind::Cmp: {
      const char* op = n->cmp == CmpOp::Le ? "<=" : n->cmp == CmpOp::Lt ? "<" : "=";
      return s_app(op, {enc(n->args[0]), zero(n->args[0]->sort)});
    }
    case NKind::Not:
      return s_app("not", {enc(n->args[0])});
    case NKind::And:
    case NKind::Or: {
      std::vector<SExpr> xs;
      for (auto& a : n->args)
        xs.push_back(enc(a));
      return s_app(n->kind == NKind::And ? "and" : "or", xs);
    }
    case NKind::BoolConst:
      return s_sym(n->bval ? "true" : "false");
    default:
      return enc_atom(n);
    }
  }

  // Lemma instances for every reduction registered so far (and those they create, two
  // generations deep).
  void add_reduction_lemmas() {
    size_t done = 0;
    std::set<std::pair<size_t, size_t>> paired;
    for (int round = 0; round < 2; ++round) {
      size_t end = reds_.size();
      for (size_t i = 0; i < end; ++i) {
        if (i >= done) {
          split_lemmas(i);
          if (reds_[i].node->kind != NKind::Sum)
            witness_lemma(i);
        }
        for (size_t j = 0; j < i; ++j) {
          if (paired.count({j, i}))
            continue;
          paired.insert({j, i});
          extensionality(j, i);
        }
      }
      done = end;
    }
    for (size_t i = 0; i < reds_.size(); ++i)
      if (reds_[i].node->kind != NKind::Sum)
        bound_lemmas(i);
  }

  void declare(const std::string& name, std::vector<Sort> args, Sort result) {
    if (declared_.insert(name).second)
      q.decls.push_back(SmtDecl{name, std::move(args), result});
  }
  void fact(SExpr f) {
    std::string k = to_string(f);
    if (facts_.insert(k).second)
      q.asserts.push_back(std::move(f));
  }

private:
  struct Red {
    N node; // Sum/Max/Min atom
    std::string sym;
    std::string witness; // Max/Min: the witness of its value
  };

  SExpr enc_poly(const N& p) {
    std::vector<SExpr> terms;
    for (auto& m : p->monos) {
      std::vector<SExpr> fs;
      if (!m.coef.is_one() || m.factors.empty())
        fs.push_back(p->sort == Sort::Int ? s_int(m.coef) : s_real(m.coef));
      for (auto& f : m.factors) {
        SExpr a = enc_atom(f.atom);
        if (f.exp < 0)
          a = inv_of(a);
        for (int i = 0; i < std::abs(f.exp); ++i)
          fs.push_back(a);
      }
      terms.push_back(fs.size() == 1 ? fs[0] : s_app("*", fs));
    }
    if (terms.empty())
      return zero(p->sort);
    return terms.size() == 1 ? terms[0] : s_app("+", terms);
  }

  SExpr inv_of(const SExpr& a) {
    declare("ax_inv", {Sort::Real}, Sort::Real);
    SExpr i = s_app("ax_inv", {a});
    // Total division: inv(0) = 0, otherwise a * inv(a) = 1.
    fact(s_app("ite", {s_app("=", {a, s_real(0)}), s_app("=", {i, s_real(0)}),
                       s_app("=", {s_app("*", {a, i}), s_real(1)})}));
    fact(s_app("=>", {s_app(">", {a, s_real(0)}), s_app(">", {i, s_real(0)})}));
    return i;
  }

  static SExpr ite(SExpr c, SExpr a, SExpr b) {
    return s_app("ite", {std::move(c), std::move(a), std::move(b)});
  }

  SExpr enc_atom(const N& a) {
    switch (a->kind) {
    case NKind::Var: {
      std::string prefix = a->vclass == VarClass::Dim     ? "d_"
                           : a->vclass == VarClass::Index ? "i_"
                                                          : "w_";
      std::string s = smt_symbol(prefix, a->name);
      if (a->vclass == VarClass::Bound)
        internal_error("bound variable " + a->name + " escaped its reduction");
      declare(s, {}, Sort::Int);
      if (a->vclass == VarClass::Dim)
        fact(s_app(">=", {s_sym(s), s_int(1)}));
      return s_sym(s);
    }
    case NKind::Access: {
      std::string s = smt_symbol("t_", a->name);
      declare(s, std::vector<Sort>(a->args.size(), Sort::Int), a->sort);
      if (a->args.empty())
        return s_sym(s);
      std::vector<SExpr> idx;
      for (auto& x : a->args)
        idx.push_back(enc(x));
      return s_app(s, idx);
    }
    case NKind::Fn: {
      std::string s = "f_" + a->name;
      std::vector<SExpr> args;
      for (auto& x : a->args)
        args.push_back(enc(x));
      declare(s, std::vector<Sort>(args.size(), Sort::Real), Sort::Real);
      SExpr t = s_app(s, args);
      const SExpr& x = args[0];
      if (a->name == "exp") {
        fact(s_app(">", {t, s_real(0)}));
      } else if (a->name == "sqrt") {
        fact(s_app("=>", {s_app(">=", {x, s_real(0)}),
                          s_app("and", {s_app(">=", {t, s_real(0)}),
                                        s_app("=", {s_app("*", {t, t}), x})})}));
      } else if (a->name == "rsqrt") {
        fact(s_app("=>", {s_app(">", {x, s_real(0)}),
                          s_app("and", {s_app(">", {t, s_real(0)}),
                                        s_app("=", {s_app("*", {t, t, x}), s_real(1)})})}));
      } else if (a->name == "tanh" || a->name == "erf") {
        fact(s_app("and", {s_app("<", {s_real(-1), t}), s_app("<", {t, s_real(1)})}));
      }
      return t;
    }
    case NKind::Inv:
      return inv_of(enc(a->args[0]));
    case NKind::Sum:
    case NKind::Max:
    case NKind::Min:
      return enc_reduction(a);
    case NKind::Select:
      return ite(enc(a->args[0]), enc(a->args[1]), enc(a->args[2]));
    case NKind::ToReal:
      return s_app("to_real", {enc(a->args[0])});
    case NKind::IDiv:
    case NKind::IMod: {
      SExpr x = enc(a->args[0]), y = enc(a->args[1]);
      bool pos = known_positive(a->args[1]);
      // Floor division and the remainder that goes with it; both 0 for a divisor of 0.
      SExpr fdiv = pos ? s_app("div", {x, y})
                       : ite(s_app(">", {y, s_int(0)}), s_app("div", {x, y}),
                             s_app("div", {s_app("-", {x}), s_app("-", {y})}));
      SExpr r = a->kind == NKind::IDiv
                    ? fdiv
                    : (pos ? s_app("mod", {x, y}) : s_app("-", {x, s_app("*", {y, fdiv})}));
      return pos ? r : ite(s_app("=", {y, s_int(0)}), s_int(0), r);
    }
    case NKind::IMin:
    case NKind::RMinB: {
      SExpr x = enc(a->args[0]), y = enc(a->args[1]);
      return ite(s_app("<=", {x, y}), x, y);
    }
    case NKind::IMax:
    case NKind::RMaxB: {
      SExpr x = enc(a->args[0]), y = enc(a->args[1]);
      return ite(s_app(">=", {x, y}), x, y);
    }
    case NKind::Abs: {
      SExpr x = enc(a->args[0]);
      return ite(s_app(">=", {x, s_real(0)}), x, s_app("-", {x}));
    }
    default:
      internal_error("enc_atom: not an atom: " + a->key);
    }
  }

  SExpr enc_reduction(const N& a) {
    auto it = red_index_.find(a->key);
    if (it != red_index_.end())
      return s_sym(reds_[it->second].sym);
    std::string sym = (a->kind == NKind::Sum   ? "sum_"
                       : a->kind == NKind::Max ? "max_"
                                               : "min_") +
                      std::to_string(reds_.size());
    declare(sym, {}, Sort::Real);
    red_index_[a->key] = reds_.size();
    reds_.push_back(Red{a, sym, ""});
    if (a->kind == NKind::Sum) {
      std::vector<SExpr> empty;
      for (auto& [v, e] : a->bound)
        empty.push_back(s_app("<=", {enc(e), s_int(0)}));
      fact(s_app("=>", {empty.size() == 1 ? empty[0] : s_app("or", empty),
                        s_app("=", {s_sym(sym), s_real(0)})}));
      // Sign facts: a sum of non-negative (positive) terms over a non-empty range.
      const N& body = a->args[0];
      if (known_positive(body)) {
        std::vector<SExpr> nonempty;
        for (auto& [v, e] : a->bound)
          nonempty.push_back(s_app(">=", {enc(e), s_int(1)}));
        fact(s_app("=>", {nonempty.size() == 1 ? nonempty[0] : s_app("and", nonempty),
                          s_app(">", {s_sym(sym), s_real(0)})}));
      }
      if (known_nonneg(body))
        fact(s_app(">=", {s_sym(sym), s_real(0)}));
    }
    return s_sym(sym);
  }

  std::string fresh_witness() {
    std::string w = "w_" + std::to_string(witnesses_++);
    return w;
  }

  // Body of reduction i with its bound variables replaced by the given witnesses.
  N body_at(const Red& r, const std::vector<std::string>& ws) {
    std::map<std::string, N> m;
    for (size_t i = 0; i < ws.size(); ++i)
      m[r.node->bound[i].first] = mk_var(ws[i].substr(2), VarClass::Witness);
    return subst(r.node->args[0], m);
  }

  SExpr in_range(const std::string& w, const N& ext) {
    SExpr ws = s_sym(w);
    return s_app("and", {s_app("<=", {s_int(0), ws}), s_app("<", {ws, enc(ext)})});
  }

  static std::set<std::string> tensors_of(const N& n) {
    std::set<std::string> out;
    std::function<void(const N&)> walk = [&](const N& x) {
      if (x->kind == NKind::Access)
        out.insert(x->name);
      for (auto& a : x->args)
        walk(a);
      for (auto& m : x->monos)
        for (auto& f : m.factors)
          walk(f.atom);
      for (auto& [v, e] : x->bound)
        walk(e);
    };
    walk(n);
    return out;
  }

  void extensionality(size_t i, size_t j) {
    const Red& a = reds_[i];
    const Red& b = reds_[j];
    if (a.node->kind != b.node->kind || a.node->bound.size() != b.node->bound.size())
      return;
    if (tensors_of(a.node) != tensors_of(b.node))
      return;
    std::vector<std::string> ws;
    std::vector<SExpr> alts{s_app("=", {s_sym(a.sym), s_sym(b.sym)})};
    std::vector<SExpr> ranges;
    for (size_t k = 0; k < a.node->bound.size(); ++k) {
      ws.push_back(fresh_witness());
      declare(ws.back(), {}, Sort::Int);
      alts.push_back(
          s_app("not", {s_app("=", {enc(a.node->bound[k].second), enc(b.node->bound[k].second)})}));
      ranges.push_back(in_range(ws.back(), a.node->bound[k].second));
    }
    Red ca = a, cb = b; // enc() below may grow reds_
    SExpr ba = enc(body_at(ca, ws)), bb = enc(body_at(cb, ws));
    ranges.push_back(s_app("not", {s_app("=", {ba, bb})}));
    alts.push_back(s_app("and", ranges));
    fact(s_app("or", alts));
  }

  void witness_lemma(size_t i) {
    Red r = reds_[i];
    std::string w = fresh_witness();
    declare(w, {}, Sort::Int);
    reds_[i].witness = w;
    const N& ext = r.node->bound[0].second;
    SExpr val = enc(body_at(r, {w}));
    fact(s_app("=>", {s_app(">=", {enc(ext), s_int(1)}),
                      s_app("and", {in_range(w, ext), s_app("=", {s_sym(r.sym), val})})}));
  }

  // For each max/min: its body at every witness of a reduction over the same range is bounded.
  void bound_lemmas(size_t i) {
    Red r = reds_[i];
    const N& ext = r.node->bound[0].second;
    for (size_t j = 0; j < reds_.size(); ++j) {
      Red o = reds_[j];
      if (o.witness.empty() || o.node->bound[0].second->key != ext->key)
        continue;
      SExpr val = enc(body_at(r, {o.witness}));
      const char* op = r.node->kind == NKind::Max ? "<=" : ">=";
      fact(s_app("=>", {in_range(o.witness, ext), s_app(op, {val, s_sym(r.sym)})}));
    }
  }

  // sum_{k < a + b} f(k) = sum_{k < a} f(k) + sum_{k < b} f(a + k) for a, b >= 0 (max/min:
  // the max of both parts, for a, b >= 1), in every order of the extent's monomials.
  void split_lemmas(size_t i) {
    Red r = reds_[i];
    for (size_t vi = 0; vi < r.node->bound.size(); ++vi) {
      const N& ext = r.node->bound[vi].second;
      if (ext->monos.size() < 2 || ext->monos.size() > 3)
        continue;
      for (size_t mi = 0; mi < ext->monos.size(); ++mi) {
        N a = mk_poly_of(ext->monos[mi]);
        N b = mk_sub(ext, a);
        for (int order = 0; order < 2; ++order) {
          N first = order ? b : a, second = order ? a : b;
          if (ext->monos.size() == 2 && order == 1)
            continue; // the other mono covers it
          split_one(r, vi, first, second);
        }
      }
    }
  }

  static N mk_poly_of(const Mono& m) { return mk_poly({m}, Sort::Int); }

  void split_one(const Red& r, size_t vi, const N& first, const N& second) {
    auto vars = r.node->bound;
    std::string v = vars[vi].first;
    std::string u1 = "%sa" + std::to_string(splits_), u2 = "%sb" + std::to_string(splits_);
    ++splits_;
    auto part = [&](const std::string& u, const N& ext, const N& shift) {
      auto vs = vars;
      vs[vi] = {u, ext};
      N body = subst(r.node->args[0], {{v, mk_add(mk_var(u, VarClass::Bound), shift)}});
      return mk_reduce(r.node->kind, vs, body);
    };
    N p1 = part(u1, first, mk_const(0, Sort::Int));
    N p2 = part(u2, second, first);
    SExpr e1 = enc(p1), e2 = enc(p2);
    SExpr s = s_sym(r.sym);
    if (r.node->kind == NKind::Sum) {
      fact(s_app("=>", {s_app("and", {s_app(">=", {enc(first), s_int(0)}),
                                      s_app(">=", {enc(second), s_int(0)})}),
                        s_app("=", {s, s_app("+", {e1, e2})})}));
    } else {
      const char* op = r.node->kind == NKind::Max ? ">=" : "<=";
      fact(s_app("=>", {s_app("and", {s_app(">=", {enc(first), s_int(1)}),
                                      s_app(">=", {enc(second), s_int(1)})}),
                        s_app("=", {s, ite(s_app(op, {e1, e2}), e1, e2)})}));
    }
  }

public:
  // The certificate form of an expression (encode_certificate): its Real arithmetic (+ - * /,
  // negation, select) kept as written; every other subterm (a read, a function, a reduction, a
  // conversion) is a constant `a_<n>` whose value, the subterm's normal form, is asserted as an
  // instance of the normalizer's rules. `defs` maps each such constant to its definition.
  SExpr raw(const Expr& x, const std::map<std::string, Expr>& dim_defs,
            const std::vector<std::pair<std::string, Expr>>& ranges,
            std::map<std::string, SExpr>* defs) {
    auto rec = [&](const Expr& y) { return raw(y, dim_defs, ranges, defs); };
    if (x->sort() == Sort::Real) {
      switch (x->kind()) {
      case ExprKind::Add:
        return s_app("+", {rec(x->arg(0)), rec(x->arg(1))});
      case ExprKind::Sub:
        return s_app("-", {rec(x->arg(0)), rec(x->arg(1))});
      case ExprKind::Mul:
        return s_app("*", {rec(x->arg(0)), rec(x->arg(1))});
      case ExprKind::Neg:
        return s_app("-", {rec(x->arg(0))});
      case ExprKind::Div:
        return s_app("*", {rec(x->arg(0)), inv_of(rec(x->arg(1)))});
      case ExprKind::Recip:
        return inv_of(rec(x->arg(0)));
      case ExprKind::Select:
        return ite(enc(normalize(x->arg(0), dim_defs, ranges)), rec(x->arg(1)), rec(x->arg(2)));
      default:
        break;
      }
    }
    N n = normalize(x, dim_defs, ranges);
    // A read, a variable or a constant is its own normal form: no instance to assert.
    if (n->kind == NKind::Poly &&
        (n->monos.empty() ||
         (n->monos.size() == 1 && (n->monos[0].factors.empty() ||
                                   (n->monos[0].coef.is_one() && n->monos[0].factors.size() == 1 &&
                                    n->monos[0].factors[0].exp == 1 &&
                                    (n->monos[0].factors[0].atom->kind == NKind::Access ||
                                     n->monos[0].factors[0].atom->kind == NKind::Var))))))
      return enc(n);
    std::string sym = "a_" + std::to_string(defs->size());
    declare(sym, {}, x->sort());
    SExpr def = enc(n);
    fact(s_app("=", {s_sym(sym), def}));
    std::string text = to_string(x);
    if (text.size() > 160)
      text = text.substr(0, 157) + "...";
    q.comments.push_back("  " + sym + " := " + text);
    defs->emplace(sym, def);
    return s_sym(sym);
  }

private:
  std::set<std::string> declared_, facts_;
  std::map<std::string, size_t> red_index_;
  std::vector<Red> reds_;
  int witnesses_ = 0;
  int splits_ = 0;
};

// The header comments of an obligation's query.
void describe_goal(Encoder& e, const Goal& g) {
  e.q.comments.push_back("axon-synth equivalence obligation" +
                         (g.name.empty() ? "" : ": " + g.name));
  e.q.comments.push_back(std::string("encoding ") + kEncodingVersion + ", " + kLemmaLibraryVersion +
                         "; expected answer: unsat (lhs == rhs for all sizes)");
}

// The goal's output indices in their ranges, and its assumptions, as facts.
void assert_goal_facts(Encoder& e, const Goal& g) {
  for (auto& [v, ext] : g.index_ranges) {
    std::string s = smt_symbol("i_", v);
    e.declare(s, {}, Sort::Int);
    SExpr x = e.enc(ext);
    e.fact(s_app("and", {s_app("<=", {s_int(0), s_sym(s)}), s_app("<", {s_sym(s), x})}));
  }
  for (auto& a : g.assumptions)
    e.fact(e.enc(a));
}

} // namespace

SmtQuery encode_goal(const Goal& g) {
  Encoder e;
  describe_goal(e, g);
  assert_goal_facts(e, g);
  SExpr l = e.enc(g.lhs), r = e.enc(g.rhs);
  e.add_reduction_lemmas();
  e.q.asserts.push_back(s_app("not", {s_app("=", {l, r})}));
  return e.q;
}

namespace {

SExpr substitute(const SExpr& e, const std::map<std::string, SExpr>& defs) {
  if (e.kind == SExpr::Kind::Sym) {
    auto it = defs.find(e.sym);
    return it == defs.end() ? e : it->second;
  }
  if (e.kind != SExpr::Kind::List)
    return e;
  SExpr r = e;
  for (auto& a : r.args)
    a = substitute(a, defs);
  return r;
}

} // namespace

CertificateQuery encode_certificate(const Goal& g, const Expr& lhs, const Expr& rhs,
                                    const std::map<std::string, Expr>& dim_defs,
                                    const std::vector<std::pair<std::string, Expr>>& ranges) {
  Encoder e;
  describe_goal(e, g);
  e.q.comments.push_back(
      "certificate form: both sides as written (their + - * / kept for the solver); each other "
      "subterm a_<n> is asserted equal to its normal form (an instance of the normalizer's "
      "rules):");
  assert_goal_facts(e, g);
  std::map<std::string, SExpr> defs;
  SExpr l = e.raw(lhs, dim_defs, ranges, &defs), r = e.raw(rhs, dim_defs, ranges, &defs);
  e.add_reduction_lemmas();
  e.q.asserts.push_back(s_app("not", {s_app("=", {l, r})}));
  CertificateQuery c;
  c.instances = defs.size();
  c.tautology = to_string(substitute(l, defs)) == to_string(substitute(r, defs));
  c.query = std::move(e.q);
  return c;
}

} // namespace axon::smt
