// Statement-local proofs by congruence, whole-program proofs otherwise.
#include "synth/prove_step.h"

#include <map>
#include <set>

namespace axon::synth {

namespace {

bool same_decl(const TensorDecl& a, const TensorDecl& b) {
  if (a.rank() != b.rank() || a.role != b.role || a.dtype != b.dtype) return false;
  for (size_t i = 0; i < a.rank(); ++i)
    if (!structurally_equal(a.shape[i], b.shape[i])) return false;
  return true;
}

// The one-statement program computing `s` from everything it reads (all inputs).
IndexProgram statement_program(const IndexProgram& p, const IndexProgram& other, const IndexStmt& s,
                               const std::set<std::string>& reads) {
  std::map<std::string, std::optional<int64_t>> dims = p.dims();
  for (auto& [k, v] : other.dims()) dims.emplace(k, v);
  std::vector<TensorDecl> decls;
  for (auto& t : reads) {
    TensorDecl d = p.find_tensor(t) ? p.tensor(t) : other.tensor(t);
    d.role = TensorRole::Input;
    decls.push_back(d);
  }
  TensorDecl o = p.tensor(s.out);
  o.role = TensorRole::Output;
  decls.push_back(o);
  IndexStmt st = s;
  return IndexProgram::make(dims, decls, {st});
}

std::string provers(const smt::ProveResult& r) {
  std::string out;
  for (auto& ob : r.obligations)
    if (out.find(ob.solver) == std::string::npos) out += (out.empty() ? "" : "+") + ob.solver;
  return out;
}

std::string reasons(const smt::ProveResult& r) {
  std::string out;
  for (auto& ob : r.obligations)
    if (ob.verdict != smt::Verdict::Proven) out += (out.empty() ? "" : "; ") + ob.name + ": " + ob.reason;
  return out;
}

std::optional<StepProof> prove_locally(const IndexProgram& a, const IndexProgram& b, const std::vector<Expr>& assumptions,
                                       const smt::ProveOptions& opts) {
  if (a.stmts().size() != b.stmts().size()) return std::nullopt;
  std::vector<size_t> changed;
  for (size_t i = 0; i < a.stmts().size(); ++i) {
    const IndexStmt &x = a.stmts()[i], &y = b.stmts()[i];
    if (x.out != y.out || x.vars != y.vars || !same_decl(a.tensor(x.out), b.tensor(y.out))) return std::nullopt;
    if (!structurally_equal(x.value, y.value)) changed.push_back(i);
  }
  StepProof proof;
  proof.verdict = smt::Verdict::Proven;
  for (size_t i : changed) {
    std::set<std::string> reads;
    for (auto& t : tensors_read(a.stmts()[i].value)) reads.insert(t);
    for (auto& t : tensors_read(b.stmts()[i].value)) reads.insert(t);
    auto r = smt::prove_programs(statement_program(a, b, a.stmts()[i], reads), statement_program(b, a, b.stmts()[i], reads),
                                 assumptions, opts);
    if (r.verdict == smt::Verdict::Unknown) {
      // The statement alone is already beyond the solver's limits; the whole program (a larger
      // query) is not tried.
      proof.verdict = smt::Verdict::Unknown;
      proof.reason = "statement " + a.stmts()[i].out + " alone: " + reasons(r);
      return proof;
    }
    if (r.verdict != smt::Verdict::Proven) return std::nullopt;  // may rely on what a temporary holds
    std::string who = "local " + provers(r);
    if (proof.prover.find(who) == std::string::npos) proof.prover += (proof.prover.empty() ? "" : ", ") + who;
  }
  return proof;
}

}  // namespace

StepProof prove_step(const IndexProgram& before, const IndexProgram& after, const std::vector<Expr>& assumptions,
                     const smt::ProveOptions& opts) {
  try {
    if (auto local = prove_locally(before, after, assumptions, opts)) return *local;
  } catch (const std::exception&) {
    // A local statement the prover cannot state; the whole-program proof decides.
  }
  StepProof p;
  try {
    auto r = smt::prove_programs(before, after, assumptions, opts);
    p.verdict = r.verdict;
    p.prover = provers(r);
    p.reason = reasons(r);
  } catch (const std::exception& e) {
    p.verdict = smt::Verdict::Unknown;
    p.reason = e.what();
  }
  return p;
}

}  // namespace axon::synth
