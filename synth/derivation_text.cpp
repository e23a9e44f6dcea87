// Printing a derivation with the statements each step changed.
#include "synth/derivation_text.h"

#include <set>
#include <sstream>

#include "ir/hash.h"
#include "synth/canonical_form.h"

namespace axon::synth {

namespace {

std::string stmt_text(const IndexStmt& s) {
  std::string t = s.out;
  if (!s.vars.empty()) {
    t += "[";
    for (size_t i = 0; i < s.vars.size(); ++i)
      t += (i ? ", " : "") + s.vars[i];
    t += "]";
  }
  return t + " = " + to_string(s.value);
}

} // namespace

std::string derivation_text(const IndexProgram& original, const Variant& v) {
  std::ostringstream o;
  o << "# variant " << v.id << ": " << v.derivation.size()
    << " proven step(s) from the input program\n";
  o << "# input program\n" << to_string(original) << "\n";
  VariantState cur{original, {}};
  for (size_t i = 0; i < v.derivation.size(); ++i) {
    const DerivationStep& s = v.derivation[i];
    o << "step " << (i + 1) << ": " << step_kind_name(s.kind) << ": " << s.description
      << "   [proven by " << s.prover << "]\n";
    std::optional<VariantState> next;
    for (auto& rw : propose_rewrites(s.kind, cur))
      if (hash_hex(canonical_form(rw.result)) == s.canonical) {
        next = rw.result;
        break;
      }
    if (!next) {
      o << "  (the step no longer reproduces from this program: run the checker)\n";
      return o.str();
    }
    std::set<std::string> before;
    for (auto& st : cur.program.stmts())
      before.insert(stmt_text(st));
    for (auto& st : next->program.stmts())
      if (!before.count(stmt_text(st)))
        o << "    " << stmt_text(st) << "\n";
    cur = *next;
  }
  if (!cur.splits.empty()) {
    o << "# assumptions:";
    for (auto& a : split_assumptions(cur.splits))
      o << " " << to_string(a);
    o << "\n";
  }
  o << "# result\n" << to_string(cur.program) << "\n";
  o << "# float32 numerics: scaled error " << v.numerics.error_unit << " (unit inputs), "
    << v.numerics.error_large << " (large), " << v.numerics.error_offset << " (offset); "
    << (v.numerics.stable ? "stable" : "UNSTABLE: " + v.numerics.note) << "\n";
  return o.str();
}

} // namespace axon::synth
