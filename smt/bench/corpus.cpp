// Corpus loading (see corpus.h).
#include "smt/bench/corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ir/error.h"
#include "ir/frontend.h"
#include "smt/assume.h"

namespace axon::smt {

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    user_error("corpus: cannot read '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l))
    if (!l.empty() && l[0] != '#')
      out.push_back(l);
  return out;
}

} // namespace

std::vector<CorpusCase> load_corpus_pairs(const std::string& dir) {
  std::vector<CorpusCase> out;
  for (auto& e : std::filesystem::directory_iterator(dir)) {
    std::string f = e.path().filename().string();
    const std::string suf = ".a.tp";
    if (f.size() <= suf.size() || f.compare(f.size() - suf.size(), suf.size(), suf) != 0)
      continue;
    CorpusCase c;
    c.name = f.substr(0, f.size() - suf.size());
    c.a_text = slurp(dir + "/" + f);
    c.b_text = slurp(dir + "/" + c.name + ".b.tp");
    if (std::filesystem::exists(dir + "/" + c.name + ".assume"))
      c.assumptions = lines_of(slurp(dir + "/" + c.name + ".assume"));
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(),
            [](const CorpusCase& x, const CorpusCase& y) { return x.name < y.name; });
  return out;
}

std::vector<CorpusCase> load_corpus_mutants(const std::string& dir,
                                            const std::vector<CorpusCase>& pairs) {
  std::vector<CorpusCase> out;
  std::istringstream in(slurp(dir + "/mutants.txt"));
  std::string line, pair, desc, find;
  auto unescape = [](std::string s) {
    for (size_t p; (p = s.find("\\n")) != std::string::npos;)
      s.replace(p, 2, "\n");
    return s;
  };
  while (std::getline(in, line)) {
    if (line.rfind("@ ", 0) == 0) {
      size_t colon = line.find(": ");
      pair = line.substr(2, colon - 2);
      desc = line.substr(colon + 2);
    } else if (line.rfind("- ", 0) == 0) {
      find = unescape(line.substr(2));
    } else if (line.rfind("+ ", 0) == 0 || line == "+") {
      std::string repl = line.size() > 2 ? unescape(line.substr(2)) : "";
      auto it = std::find_if(pairs.begin(), pairs.end(),
                             [&](const CorpusCase& c) { return c.name == pair; });
      if (it == pairs.end())
        user_error("mutants.txt: unknown pair '" + pair + "'");
      CorpusCase m = *it;
      m.name = pair + ": " + desc;
      // The first occurrence outside a comment line.
      size_t pos = m.b_text.find(find);
      while (pos != std::string::npos) {
        size_t bol = m.b_text.rfind('\n', pos);
        bol = bol == std::string::npos ? 0 : bol + 1;
        if (m.b_text[bol] != '#')
          break;
        pos = m.b_text.find(find, pos + 1);
      }
      if (pos != std::string::npos) {
        m.b_text.replace(pos, find.size(), repl);
      } else {
        bool done = false;
        for (auto& as : m.assumptions)
          if (!done && (pos = as.find(find)) != std::string::npos) {
            as.replace(pos, find.size(), repl);
            done = true;
          }
        if (!done)
          user_error("mutants.txt: '" + find + "' does not occur in " + pair +
                     ".b.tp or its assumptions");
      }
      out.push_back(m);
    }
  }
  return out;
}

LoadedCase load_case(const CorpusCase& c) {
  IndexProgram a = load_index_program(source_from_string(c.a_text, c.name + ".a.tp"));
  IndexProgram b = load_index_program(source_from_string(c.b_text, c.name + ".b.tp"));
  std::vector<Expr> as;
  for (auto& s : c.assumptions)
    as.push_back(parse_assumption(s, a, b));
  return LoadedCase{a, b, as};
}

} // namespace axon::smt
