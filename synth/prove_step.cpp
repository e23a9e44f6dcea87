// Statement-local proofs by congruence, whole-program proofs otherwise.
#include "synth/prove_step.h"

#include <map>
#include <set>

namespace axon::synth {

namespace {

bool same_decl(const TensorDecl& a, const TensorDecl& b) {
  if (a.rank() != b.rank() || a.role != b.role || a.dtype != b.dtype)
    return false;
  for (size_t i = 0; i < a.rank(); ++i)
    if (!structurally_equal(a.shape[i], b.shape[i]))
      return false;
  return true;
}

// The program computing statements `r` (written in p) from `reads` (declared in p or in other,
// all inputs): a statement's tensor is an output when `outs` names it, else a temporary.
IndexProgram region_program(const IndexProgram& p, const IndexProgram& other,
                            const std::vector<IndexStmt>& r, const std::set<std::string>& reads,
                            const std::set<std::string>& outs) {
  std::map<std::string, std::optional<int64_t>> dims = p.dims();
  for (auto& [k, v] : other.dims())
    dims.emplace(k, v);
  std::vector<TensorDecl> decls;
  for (auto& t : reads) {
    TensorDecl d = p.find_tensor(t) ? p.tensor(t) : other.tensor(t);
    d.role = TensorRole::Input;
    decls.push_back(d);
  }
  for (auto& s : r) {
    TensorDecl d = p.tensor(s.out);
    d.role = outs.count(s.out) ? TensorRole::Output : TensorRole::Temp;
    decls.push_back(d);
  }
  return IndexProgram::make(dims, decls, r);
}

// The one-statement program computing `s` from everything it reads (all inputs).
IndexProgram statement_program(const IndexProgram& p, const IndexProgram& other, const IndexStmt& s,
                               const std::set<std::string>& reads) {
  return region_program(p, other, {s}, reads, {s.out});
}

std::string provers(const smt::ProveResult& r) {
  std::string out;
  for (auto& ob : r.obligations)
    if (out.find(ob.solver) == std::string::npos)
      out += (out.empty() ? "" : "+") + ob.solver;
  return out;
}

std::string reasons(const smt::ProveResult& r) {
  std::string out;
  for (auto& ob : r.obligations)
    if (ob.verdict != smt::Verdict::Proven)
      out += (out.empty() ? "" : "; ") + ob.name + ": " + ob.reason;
  return out;
}

std::optional<StepProof> prove_locally(const IndexProgram& a, const IndexProgram& b,
                                       const std::vector<Expr>& assumptions,
                                       const smt::ProveOptions& opts) {
  if (a.stmts().size() != b.stmts().size())
    return std::nullopt;
  std::vector<size_t> changed;
  for (size_t i = 0; i < a.stmts().size(); ++i) {
    const IndexStmt &x = a.stmts()[i], &y = b.stmts()[i];
    if (x.out != y.out || x.vars != y.vars || !same_decl(a.tensor(x.out), b.tensor(y.out)))
      return std::nullopt;
    if (!structurally_equal(x.value, y.value))
      changed.push_back(i);
  }
  StepProof proof;
  proof.verdict = smt::Verdict::Proven;
  for (size_t i : changed) {
    std::set<std::string> reads;
    for (auto& t : tensors_read(a.stmts()[i].value))
      reads.insert(t);
    for (auto& t : tensors_read(b.stmts()[i].value))
      reads.insert(t);
    auto r = smt::prove_programs(statement_program(a, b, a.stmts()[i], reads),
                                 statement_program(b, a, b.stmts()[i], reads), assumptions, opts);
    if (r.verdict == smt::Verdict::Unknown) {
      // The statement alone is already beyond the solver's limits; the whole program (a larger
      // query) is not tried.
      proof.verdict = smt::Verdict::Unknown;
      proof.reason = "statement " + a.stmts()[i].out + " alone: " + reasons(r);
      return proof;
    }
    if (r.verdict != smt::Verdict::Proven)
      return std::nullopt; // may rely on what a temporary holds
    std::string who = "local " + provers(r);
    if (proof.prover.find(who) == std::string::npos)
      proof.prover += (proof.prover.empty() ? "" : ", ") + who;
  }
  return proof;
}

std::string stmt_key(const IndexStmt& s) {
  std::string k = s.out + "[";
  for (auto& v : s.vars)
    k += v + ",";
  return k + "]=" + to_string(s.value);
}

// The changed region: the statements that differ between the programs, closed over the unchanged
// statements that define what one side of the region reads and the other does not. Proven on
// its own (everything else the region reads as inputs; the region's results read later, or
// program outputs, as outputs), it proves the programs equal by congruence. nullopt when the
// region cannot be stated or its proof is refuted (the caller then proves the whole programs).
std::optional<StepProof> prove_region(const IndexProgram& a, const IndexProgram& b,
                                      const std::vector<Expr>& assumptions,
                                      const smt::ProveOptions& opts) {
  std::set<std::string> ka, kb;
  for (auto& s : a.stmts())
    ka.insert(stmt_key(s));
  for (auto& s : b.stmts())
    kb.insert(stmt_key(s));
  std::set<std::string> in_a, in_b; // keys in each region
  for (auto& k : ka)
    if (!kb.count(k))
      in_a.insert(k);
  for (auto& k : kb)
    if (!ka.count(k))
      in_b.insert(k);
  auto region = [](const IndexProgram& p, const std::set<std::string>& keys) {
    std::vector<IndexStmt> r;
    for (auto& s : p.stmts())
      if (keys.count(stmt_key(s)))
        r.push_back(s);
    return r;
  };
  auto free_reads = [](const std::vector<IndexStmt>& r) {
    std::set<std::string> written, reads;
    for (auto& s : r) {
      for (auto& t : tensors_read(s.value))
        if (!written.count(t))
          reads.insert(t);
      written.insert(s.out);
    }
    return reads;
  };
  std::map<std::string, const IndexStmt*> common_writer;
  for (auto& s : a.stmts())
    if (kb.count(stmt_key(s)))
      common_writer[s.out] = &s;
  for (int round = 0; round < 16; ++round) {
    auto ra = free_reads(region(a, in_a)), rb = free_reads(region(b, in_b));
    if (ra == rb)
      break;
    bool grew = false;
    for (auto* side : {&ra, &rb})
      for (auto& t : *side) {
        const auto& other = side == &ra ? rb : ra;
        if (other.count(t))
          continue;
        auto it = common_writer.find(t);
        if (it == common_writer.end())
          continue;
        std::string k = stmt_key(*it->second);
        grew = in_a.insert(k).second || grew;
        grew = in_b.insert(k).second || grew;
      }
    if (!grew)
      return std::nullopt;
  }
  auto sa = region(a, in_a), sb = region(b, in_b);
  auto ra = free_reads(sa), rb = free_reads(sb);
  if (ra != rb || sa.empty() || sb.empty())
    return std::nullopt;
  // Region outputs: written in the region and read outside it, or program outputs.
  std::set<std::string> wa, wb, outs;
  for (auto& s : sa)
    wa.insert(s.out);
  for (auto& s : sb)
    wb.insert(s.out);
  auto mark_outs = [&](const IndexProgram& p, const std::set<std::string>& keys,
                       const std::set<std::string>& written) {
    for (auto& s : p.stmts()) {
      if (keys.count(stmt_key(s)))
        continue;
      for (auto& t : tensors_read(s.value))
        if (written.count(t))
          outs.insert(t);
    }
    for (auto& t : written)
      if (p.tensor(t).role == TensorRole::Output)
        outs.insert(t);
  };
  mark_outs(a, in_a, wa);
  mark_outs(b, in_b, wb);
  for (auto& t : outs)
    if (!wa.count(t) || !wb.count(t) || !same_decl(a.tensor(t), b.tensor(t)))
      return std::nullopt;
  auto res = smt::prove_programs(region_program(a, b, sa, ra, outs),
                                 region_program(b, a, sb, ra, outs), assumptions, opts);
  if (res.verdict == smt::Verdict::Refuted)
    return std::nullopt;
  StepProof p;
  p.verdict = res.verdict;
  p.prover = "region " + provers(res);
  p.reason = reasons(res);
  return p;
}

} // namespace

StepProof prove_step(const IndexProgram& before, const IndexProgram& after,
                     const std::vector<Expr>& assumptions, const smt::ProveOptions& opts) {
  try {
    if (auto local = prove_locally(before, after, assumptions, opts))
      return *local;
  } catch (const std::exception&) {
    // A local statement the prover cannot state; the region or whole-program proof decides.
  }
  try {
    if (auto region = prove_region(before, after, assumptions, opts))
      return *region;
  } catch (const std::exception&) {
    // A region the prover cannot state; the whole-program proof decides.
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

} // namespace axon::synth
