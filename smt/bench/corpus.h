// Loading of the equivalence corpus in tests/smt/corpus (shared by the corpus test and the smt
// benchmark): pairs NAME.a.tp / NAME.b.tp with optional NAME.assume (one assumption per line),
// and mutants.txt, textual edits of a pair's rewritten side that must never be proven.
#pragma once

#include <string>
#include <vector>

#include "ir/index_program.h"

namespace axon::smt {

struct CorpusCase {
  std::string name; // pair name, or "pair: mutant description"
  std::string a_text, b_text;
  std::vector<std::string> assumptions;
};

// Every pair of the corpus directory, sorted by name.
std::vector<CorpusCase> load_corpus_pairs(const std::string& dir);
// Every mutant, applied to its pair; a mutant whose text does not occur is a UserError.
std::vector<CorpusCase> load_corpus_mutants(const std::string& dir,
                                            const std::vector<CorpusCase>& pairs);

// Loaded programs and parsed assumptions of a case (UserError on bad input).
struct LoadedCase {
  IndexProgram a, b;
  std::vector<Expr> assumptions;
};
LoadedCase load_case(const CorpusCase& c);

} // namespace axon::smt
