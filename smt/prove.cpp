// The prover pipeline, one obligation at a time (see prove.h).
#include "smt/prove.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <unordered_map>

#include "ir/error.h"
#include "smt/bounded.h"
#include "smt/proof_cache.h"

namespace axon::smt {

const char* verdict_name(Verdict v) {
  return v == Verdict::Proven ? "proven" : v == Verdict::Refuted ? "refuted" : "unknown";
}

namespace {

// Body evaluations (interpretation_work) allowed for one larger-size trial: the quick trials run
// before every solver call, the refutation search only after the unbounded query failed.
constexpr double kMaxQuickTrialWork = 2e5;
constexpr double kMaxTrialWork = 4e6;
constexpr double kMaxLargeBoundedWork = 2e4;

// Nesting depth of an expression DAG (each node counted once: no exponential walk over shared
// subterms, no recursion). A node's depth is one more than the deepest of its arguments and of
// `floor(node)` (0 when not given): a tensor read can stand for the expression it names.
int expr_depth(const Expr& root, const std::function<int(const ExprNode&)>& floor = nullptr) {
  std::unordered_map<const ExprNode*, int> depth;
  std::vector<std::pair<const ExprNode*, bool>> stack = {{root.get(), false}};
  while (!stack.empty()) {
    auto [n, expanded] = stack.back();
    stack.pop_back();
    if (depth.count(n))
      continue;
    if (!expanded) {
      stack.push_back({n, true});
      for (auto& a : n->args())
        if (!depth.count(a.get()))
          stack.push_back({a.get(), false});
      continue;
    }
    int d = floor ? floor(*n) : 0;
    for (auto& a : n->args())
      d = std::max(d, depth[a.get()]);
    depth[n] = d + 1;
  }
  return depth[root.get()];
}

// The depth each output of p would have once its temporaries are inlined, computed over the
// statements (linear; inlining itself copies every temporary's expression into each reader, which
// for a chain of thousands of statements takes quadratic memory).
int inlined_depth(const IndexProgram& p) {
  std::map<std::string, int> tensor_depth;
  int deepest = 0;
  for (auto& st : p.stmts()) {
    int d = expr_depth(st.value, [&](const ExprNode& n) {
      if (n.kind() != ExprKind::Access)
        return 0;
      auto it = tensor_depth.find(n.name());
      return it != tensor_depth.end() ? it->second : 0;
    });
    tensor_depth[st.out] = std::max(tensor_depth[st.out], d);
    if (p.tensor(st.out).role == TensorRole::Output)
      deepest = std::max(deepest, d);
  }
  return deepest;
}

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool mentions_dim(const Expr& e, const std::string& d) {
  bool hit = false;
  visit(e,
        [&](const ExprNode& n) { hit = hit || (n.kind() == ExprKind::DimVar && n.name() == d); });
  return hit;
}

nlohmann::json cex_to_json(const Counterexample& c) {
  nlohmann::json j;
  j["dims"] = c.dims;
  nlohmann::json ins = nlohmann::json::object();
  for (auto& [k, t] : c.inputs)
    ins[k] = {{"shape", t.shape}, {"data", t.data}};
  j["inputs"] = ins;
  j["found_by"] = c.found_by;
  return j;
}

std::optional<Counterexample> cex_from_json(const nlohmann::json& j) {
  try {
    Counterexample c;
    c.dims = j.at("dims").get<std::map<std::string, int64_t>>();
    for (auto& [k, t] : j.at("inputs").items())
      c.inputs[k] = TensorValue{t.at("shape").get<std::vector<int64_t>>(),
                                t.at("data").get<std::vector<double>>()};
    c.found_by = j.at("found_by").get<std::string>();
    return c;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string write_certificate(const std::string& dir, const std::string& name, const SmtQuery& q) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    user_error("prove: cannot create the certificate directory '" + dir + "': " + ec.message());
  std::string file;
  for (char c : name)
    file += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  std::string path = dir + "/" + file + ".smt2";
  std::ofstream out(path);
  out << to_smtlib2(q);
  out.close();
  if (!out)
    user_error("prove: cannot write certificate '" + path +
               "'; check that the directory is writable");
  return path;
}

// Random float64 trials: `seeds` random inputs at each of the first `count` size assignments
// (uniform in [-2, 2], or with `special` drawn from 0, +-1, +-2, +-0.5, +-3).
std::optional<Counterexample>
random_trials(const IndexProgram& a, const IndexProgram& b, const Obligation& ob,
              const std::vector<std::map<std::string, int64_t>>& sizes, size_t count, int seeds,
              bool special = false) {
  for (size_t i = 0; i < sizes.size() && i < count; ++i) {
    // Nested reductions make interpretation exponential in the nesting: skip sizes that cost
    // more than kMaxTrialWork body evaluations (22 nested sums at size 6 would never finish).
    if (!(interpretation_work(a, b, sizes[i]) <= kMaxTrialWork))
      continue;
    auto shapes = input_shapes(a, b, sizes[i]);
    for (int s = 0; s < seeds; ++s) {
      uint64_t seed = 1000 * i + static_cast<uint64_t>(s);
      TensorMap in =
          special ? special_tensor_inputs(shapes, seed) : random_tensor_inputs(shapes, seed);
      bool holds = true;
      for (auto& as : ob.assumptions) {
        auto v = eval_assumption(as, sizes[i], in);
        holds = holds && (!v || *v);
      }
      if (!holds)
        continue;
      if (auto c = replay(a, b, sizes[i], in)) {
        c->found_by = std::string(special ? "special-value" : "random") + " trial (seed " +
                      std::to_string(seed) + ")";
        return c;
      }
    }
  }
  return std::nullopt;
}

// Counterexample search: bounded queries at the smallest sizes, then random float64 trials.
std::optional<Counterexample> refute(const IndexProgram& a, const IndexProgram& b,
                                     const Obligation& ob, const ProveOptions& opts,
                                     std::string* notes) {
  auto sizes =
      small_dim_assignments(a, b, ob.assumptions, std::max(opts.bounded_sizes, opts.trial_sizes));
  SolverMode bmode = opts.mode == SolverMode::Both ? SolverMode::Portfolio : opts.mode;
  SolverLimits blim = opts.limits;
  blim.z3_rlimit = std::min<uint64_t>(blim.z3_rlimit, 5'000'000);
  blim.cvc5_rlimit = std::min<uint64_t>(blim.cvc5_rlimit, 2'000'000);
  blim.hard_timeout_s = std::min(blim.hard_timeout_s, 3.0);
  // The smallest sizes first, then one larger assignment (a difference that appears only at a
  // size >= 7, a prime or a partial tile at 13).
  std::vector<std::map<std::string, int64_t>> bsizes(
      sizes.begin(),
      sizes.begin() + static_cast<std::ptrdiff_t>(std::min(sizes.size(), opts.bounded_sizes)));
  auto large = large_dim_assignments(a, b, ob.assumptions, opts.large_sizes, kMaxTrialWork);
  // The unrolled query grows with the sizes, and a max or min unrolls into nested ites that
  // repeat their operands (exponential in the extent): the larger bounded query only for small
  // programs without them (the larger trials below cover the rest).
  bool has_minmax = false;
  for (auto* side : {&ob.lhs, &ob.rhs})
    visit(*side, [&](const ExprNode& n) {
      has_minmax = has_minmax || n.kind() == ExprKind::RMax || n.kind() == ExprKind::RMin ||
                   n.kind() == ExprKind::Max || n.kind() == ExprKind::Min;
    });
  if (!large.empty() && opts.bounded_sizes > 0 && !has_minmax &&
      interpretation_work(a, b, large.front()) <= kMaxLargeBoundedWork)
    bsizes.push_back(large.front());
  for (size_t i = 0; i < bsizes.size(); ++i) {
    auto shapes = input_shapes(a, b, bsizes[i]);
    std::string why;
    auto bq = encode_bounded(ob, bsizes[i], shapes, &why);
    if (!bq) {
      *notes += "bounded query skipped (" + why + "); ";
      continue;
    }
    SolverAnswer ans = check(bq->query, bmode, blim, true);
    if (ans.status != SatStatus::Sat) {
      if (ans.status == SatStatus::Unknown)
        *notes += "bounded query unknown (" + ans.reason + "); ";
      continue;
    }
    TensorMap in = random_tensor_inputs(shapes, 17 + i);
    for (auto& [sym, ref] : bq->elements)
      in[ref.tensor].at(ref.index) = ans.model.count(sym) ? ans.model.at(sym) : 0.0;
    bool holds = true;
    for (auto& as : ob.assumptions) {
      auto v = eval_assumption(as, bsizes[i], in);
      holds = holds && (!v || *v);
    }
    if (!holds)
      continue;
    if (auto c = replay(a, b, bsizes[i], in)) {
      c->found_by = "bounded smt (" + ans.solver + ")";
      return c;
    }
    *notes += "a bounded model did not replay; ";
  }
  if (auto c = random_trials(a, b, ob, sizes, opts.trial_sizes, opts.trial_seeds * 3))
    return c;
  if (auto c = random_trials(a, b, ob, sizes, opts.trial_sizes, opts.trial_seeds, true))
    return c;
  if (auto c = random_trials(a, b, ob, large, large.size(), opts.trial_seeds))
    return c;
  if (auto c = random_trials(a, b, ob, large, large.size(), opts.trial_seeds, true))
    return c;
  *notes += "no counterexample in " + std::to_string(std::min(sizes.size(), opts.trial_sizes)) +
            " small and " + std::to_string(large.size()) +
            " larger size assignments (up to 17), random and special values";
  return std::nullopt;
}

// A concrete witness of the assumptions: sizes and inputs at which every assumption evaluates to
// true. Looked for among the small size assignments, on random and constant inputs.
bool assumptions_witnessed(const IndexProgram& a, const IndexProgram& b,
                           const std::vector<Expr>& assumptions) {
  // Larger assignments first: they compute the dims an assumption d == e defines (N == N0 + N1,
  // the split assumptions of every rewrite step) and cost nothing to enumerate; the small
  // assignments enumerate up to 50k tuples.
  auto candidates = large_dim_assignments(a, b, assumptions, 4, INFINITY);
  bool tried_small = false;
  for (size_t ci = 0;; ++ci) {
    if (ci == candidates.size()) {
      if (tried_small)
        break;
      tried_small = true;
      auto small = small_dim_assignments(a, b, assumptions, 8);
      candidates.insert(candidates.end(), small.begin(), small.end());
      if (ci == candidates.size())
        break;
    }
    const auto& dims = candidates[ci];
    bool dims_only = true; // every assumption decided by the dims alone, and true
    for (auto& as : assumptions) {
      auto v = eval_assumption(as, dims, {});
      dims_only = dims_only && v && *v;
    }
    if (dims_only)
      return true;
    auto shapes = input_shapes(a, b, dims);
    std::vector<TensorMap> inputs;
    for (uint64_t seed = 0; seed < 6; ++seed)
      inputs.push_back(random_tensor_inputs(shapes, 7000 + seed));
    for (double c : {0.0, 1.0, -1.0, 0.5}) {
      TensorMap m = random_tensor_inputs(shapes, 0);
      for (auto& [k, t] : m)
        std::fill(t.data.begin(), t.data.end(), c);
      inputs.push_back(std::move(m));
    }
    for (auto& in : inputs) {
      bool all = true;
      for (auto& as : assumptions) {
        auto v = eval_assumption(as, dims, in);
        all = all && v && *v;
      }
      if (all)
        return true;
    }
  }
  return false;
}

} // namespace

AssumptionCheck check_assumptions(const IndexProgram& a, const IndexProgram& b,
                                  const std::vector<Expr>& assumptions, const ProveOptions& opts) {
  AssumptionCheck r;
  if (assumptions.empty() || assumptions_witnessed(a, b, assumptions))
    return r;
  // No small witness: ask the solver whether the assumptions and the dim facts (every dim >= 1)
  // have any model at all. The goal 0 != 1 is true, so the query is sat exactly when they do.
  Obligation ob;
  ob.name = "assumptions";
  ob.lhs = ExprNode::real_const(0);
  ob.rhs = ExprNode::real_const(1);
  ob.assumptions = assumptions;
  SmtQuery q;
  try {
    q = encode_goal(make_goal(ob));
  } catch (const RationalOverflow& e) {
    r.status = SatStatus::Unknown;
    r.reason = std::string("cannot encode the assumptions: ") + e.what();
    return r;
  }
  SolverMode mode = opts.mode == SolverMode::Both ? SolverMode::Portfolio : opts.mode;
  SolverAnswer ans = check(q, mode, opts.limits, false);
  r.status = ans.status;
  if (ans.status == SatStatus::Unknown)
    r.reason = "no size satisfying the assumptions was found and the solver could not decide "
               "whether any does (" +
               ans.reason + "); a proof under them could be vacuous";
  return r;
}

namespace {

// An assumption `d == e` (d a dim not in e) is applied as a definition of d; `extra` gets e >= 1.
std::map<std::string, Expr> dim_definitions(const Obligation& ob, std::vector<Expr>* extra) {
  std::map<std::string, Expr> defs;
  for (auto& as : ob.assumptions) {
    if (as->kind() != ExprKind::Eq || as->arg(0)->sort() != Sort::Int)
      continue;
    for (int side = 0; side < 2; ++side) {
      const Expr& d = as->arg(side);
      const Expr& e = as->arg(1 - side);
      if (d->kind() == ExprKind::DimVar && !defs.count(d->name()) && !mentions_dim(e, d->name())) {
        bool cyclic = false;
        for (auto& [k, v] : defs)
          cyclic = cyclic || mentions_dim(v, d->name()) || mentions_dim(e, k);
        if (cyclic)
          continue;
        defs[d->name()] = e;
        extra->push_back(ExprNode::binary(ExprKind::Ge, e, ExprNode::int_const(1)));
        break;
      }
    }
  }
  return defs;
}

} // namespace

Goal make_goal(const Obligation& ob) {
  std::vector<Expr> extra;
  std::map<std::string, Expr> defs = dim_definitions(ob, &extra);
  Goal g;
  g.name = ob.name;
  g.lhs = normalize(ob.lhs, defs, ob.index_vars);
  g.rhs = normalize(ob.rhs, defs, ob.index_vars);
  for (auto& as : ob.assumptions)
    g.assumptions.push_back(normalize(as, defs));
  for (auto& as : extra)
    g.assumptions.push_back(normalize(as, defs));
  for (auto& [v, e] : ob.index_vars)
    g.index_ranges.emplace_back(v, normalize(e, defs));
  return g;
}

SmtQuery obligation_query(const Obligation& ob) { return encode_goal(make_goal(ob)); }

ObligationResult prove_obligation(const IndexProgram& a, const IndexProgram& b,
                                  const Obligation& ob, const ProveOptions& opts) {
  auto t0 = std::chrono::steady_clock::now();
  ObligationResult r;
  r.name = ob.name;
  // The normalizer, the encoder and the interpreter recurse over the expression: an obligation
  // nested deeper than kMaxObligationDepth (long chains of temporaries, inlined) is refused.
  for (auto* side : {&ob.lhs, &ob.rhs}) {
    int d = expr_depth(*side);
    if (d > kMaxObligationDepth) {
      r.reason = "the obligation is nested " + std::to_string(d) +
                 " levels deep once temporaries are inlined; the prover takes at most " +
                 std::to_string(kMaxObligationDepth) + " (too deep to prove)";
      r.seconds = since(t0);
      return r;
    }
  }
  std::optional<ProofCache> cache;
  if (opts.use_cache)
    cache.emplace(opts.cache_dir.empty() ? default_cache_dir() : opts.cache_dir);
  std::optional<SmtQuery> query;
  std::string why_not;
  bool trivial = false;
  try {
    Goal g = make_goal(ob);
    trivial = g.lhs->key == g.rhs->key;
    query = encode_goal(g);
  } catch (const RationalOverflow& e) {
    why_not = std::string("cannot encode: ") + e.what();
  }
  std::string pkey, rkey;
  if (query && cache) {
    pkey = cache_key(*query, true);
    rkey = cache_key(*query, false) + "-cex";
    if (auto j = cache->get(pkey); j && j->value("verdict", "") == "proven") {
      r.verdict = Verdict::Proven;
      r.cached = true;
      r.solver = j->value("solver", "");
      r.reason = "proof cache";
    } else if (auto jr = cache->get(rkey); jr && jr->value("verdict", "") == "refuted") {
      if (auto c = cex_from_json(jr->at("counterexample")))
        if (auto confirmed = replay(a, b, c->dims, c->inputs)) {
          confirmed->found_by = c->found_by + ", from the proof cache";
          r.verdict = Verdict::Refuted;
          r.cached = true;
          r.solver = "replay";
          r.counterexample = confirmed;
          r.reason = "counterexample from the proof cache, replayed";
        }
    }
  }
  // A few cheap float64 trials before any solver call: most wrong rewrites differ on random
  // inputs, and a replayed difference is a confirmed refutation without waiting for the solver.
  if (!r.cached && !trivial && opts.quick_trials > 0) {
    auto sizes = small_dim_assignments(a, b, ob.assumptions, opts.quick_trials);
    auto c = random_trials(a, b, ob, sizes, opts.quick_trials, 1);
    if (!c)
      c = random_trials(a, b, ob, sizes, opts.quick_trials, 1, true);
    if (!c) {
      // Two larger assignments (sizes 7, 11, 13...), cheap ones only.
      auto large = large_dim_assignments(a, b, ob.assumptions, 2, kMaxQuickTrialWork);
      c = random_trials(a, b, ob, large, large.size(), 1);
      if (!c)
        c = random_trials(a, b, ob, large, large.size(), 1, true);
    }
    if (c) {
      r.verdict = Verdict::Refuted;
      r.solver = c->found_by;
      r.reason = "counterexample confirmed by float64 replay";
      r.counterexample = c;
      if (cache && !rkey.empty())
        cache->put(
            rkey,
            {{"verdict", "refuted"}, {"obligation", ob.name}, {"counterexample", cex_to_json(*c)}});
      r.seconds = since(t0);
      return r;
    }
  }
  if (!r.cached && query) {
    if (trivial) {
      r.verdict = Verdict::Proven;
      r.solver = "normalizer";
      r.reason = "both sides have the same normal form";
    } else {
      SolverAnswer ans = check(*query, opts.mode, opts.limits, false);
      r.solver = ans.solver;
      if (ans.status == SatStatus::Unsat) {
        r.verdict = Verdict::Proven;
        r.reason = "unsat in " + std::to_string(static_cast<int>(ans.seconds * 1000)) + " ms";
      } else {
        r.solver_disagreement = ans.disagreement;
        why_not = ans.status == SatStatus::Sat ? "the unbounded query is sat (only a candidate)"
                                               : ans.reason;
      }
    }
    if (r.verdict == Verdict::Proven && cache)
      cache->put(pkey, {{"verdict", "proven"}, {"solver", r.solver}, {"obligation", ob.name}});
  }
  if (r.verdict == Verdict::Proven && query && !opts.certificate_dir.empty()) {
    if (trivial || r.solver == "normalizer") {
      // The normal forms are equal, so the normalized query would be (not (= E E)): write the
      // obligation as written instead, with the normal-form instances it uses as assertions,
      // and have both solvers re-check it now. What they cannot re-check is normalizer-only.
      std::vector<Expr> extra;
      auto defs = dim_definitions(ob, &extra);
      CertificateQuery cq = encode_certificate(make_goal(ob), ob.lhs, ob.rhs, defs, ob.index_vars);
      std::string why;
      if (cq.tautology) {
        why = "the two sides are one term once each subterm is replaced by its normal form "
              "(the same expression up to bound-variable names, or equal by the normalizer's "
              "rules alone)";
      } else {
        SolverAnswer ans = check(cq.query, SolverMode::Both, opts.limits, false);
        if (ans.status != SatStatus::Unsat)
          why = "z3 and cvc5 did not both re-check it within their limits (" +
                (ans.status == SatStatus::Sat ? std::string("sat") : ans.reason) + ")";
      }
      if (!why.empty()) {
        cq.query.comments.insert(cq.query.comments.begin(),
                                 "normalizer-only: " + why +
                                     "; this proof rests on axon-synth's normalizer");
        r.certificate_normalizer_only = true;
      }
      r.certificate = write_certificate(opts.certificate_dir, ob.name, cq.query);
    } else {
      r.certificate = write_certificate(opts.certificate_dir, ob.name, *query);
    }
  }
  if (r.verdict == Verdict::Unknown) {
    std::string notes;
    if (auto c = refute(a, b, ob, opts, &notes)) {
      r.verdict = Verdict::Refuted;
      r.solver = c->found_by;
      r.reason = "counterexample confirmed by float64 replay";
      r.counterexample = c;
      if (cache && !rkey.empty())
        cache->put(
            rkey,
            {{"verdict", "refuted"}, {"obligation", ob.name}, {"counterexample", cex_to_json(*c)}});
    } else {
      r.reason = why_not + "; " + notes;
    }
  }
  if (r.solver_disagreement && r.verdict != Verdict::Refuted)
    r.reason = "BUG: solver disagreement; " + r.reason;
  r.seconds = since(t0);
  return r;
}

ProveResult prove_programs(const IndexProgram& a, const IndexProgram& b,
                           const std::vector<Expr>& assumptions, const ProveOptions& opts) {
  auto t0 = std::chrono::steady_clock::now();
  ProveResult res;
  // Assumptions that no sizes satisfy (with every dim >= 1) would make every goal proven.
  AssumptionCheck ac = check_assumptions(a, b, assumptions, opts);
  if (ac.status == SatStatus::Unsat) {
    std::string list;
    for (auto& as : assumptions)
      list += (list.empty() ? "'" : ", '") + to_string(as) + "'";
    user_error("the assumptions " + list +
               " cannot all hold (every dim is at least 1): anything would be proven under them; "
               "state assumptions that some sizes satisfy");
  }
  if (ac.status == SatStatus::Unknown) {
    ObligationResult o;
    o.name = "assumptions";
    o.reason = ac.reason;
    res.obligations.push_back(o);
    res.seconds = since(t0);
    return res;
  }
  // Refuse before inlining what would be too deep to prove (see kMaxObligationDepth).
  for (auto* p : {&a, &b}) {
    int d = inlined_depth(*p);
    if (d > kMaxObligationDepth) {
      ObligationResult o;
      o.name = "outputs";
      o.reason = "an output is nested " + std::to_string(d) +
                 " levels deep once temporaries are inlined; the prover takes at most " +
                 std::to_string(kMaxObligationDepth) + " (too deep to prove)";
      res.obligations.push_back(o);
      res.seconds = since(t0);
      return res;
    }
  }
  bool all = true;
  for (auto& ob : make_obligations(a, b, assumptions)) {
    res.obligations.push_back(prove_obligation(a, b, ob, opts));
    Verdict v = res.obligations.back().verdict;
    if (v == Verdict::Refuted)
      res.verdict = Verdict::Refuted;
    all = all && v == Verdict::Proven;
  }
  if (res.verdict != Verdict::Refuted)
    res.verdict = all ? Verdict::Proven : Verdict::Unknown;
  res.seconds = since(t0);
  return res;
}

ProveResult prove_expressions(const Expr& lhs, const Expr& rhs,
                              const std::vector<TensorDecl>& inputs,
                              const std::vector<std::pair<std::string, Expr>>& index_vars,
                              const std::vector<Expr>& assumptions, const ProveOptions& opts) {
  std::map<std::string, std::optional<int64_t>> dims;
  auto collect = [&](const Expr& e) {
    visit(e, [&](const ExprNode& n) {
      if (n.kind() == ExprKind::DimVar)
        dims[n.name()] = std::nullopt;
    });
  };
  std::vector<TensorDecl> decls = inputs;
  for (auto& d : decls) {
    d.role = TensorRole::Input;
    for (auto& s : d.shape)
      collect(s);
  }
  TensorDecl out;
  out.name = "out";
  out.role = TensorRole::Output;
  std::vector<std::string> vars;
  for (auto& [v, ext] : index_vars) {
    out.shape.push_back(ext);
    vars.push_back(v);
    collect(ext);
  }
  for (auto* e : {&lhs, &rhs})
    collect(*e);
  for (auto& a : assumptions)
    collect(a);
  decls.push_back(out);
  auto program = [&](const Expr& value) {
    IndexStmt st;
    st.out = "out";
    st.vars = vars;
    st.value = value;
    st.origin = "prove_expressions";
    return IndexProgram::make(dims, decls, {st});
  };
  return prove_programs(program(lhs), program(rhs), assumptions, opts);
}

} // namespace axon::smt
