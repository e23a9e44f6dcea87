// Forked solver runs and the two backends. The child writes one line with the status, then
// `symbol value` lines for a model, to a pipe; the parent polls with a deadline and SIGKILLs late
// children. Z3 reads the query as SMT-LIB2 text; cvc5 1.0 has no public parser, so its terms are
// built through the API from the same S-expressions.
#include "smt/solver.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <cvc5/cvc5.h>
#include <map>
#include <sstream>
#include <z3++.h>

#include "ir/enum_table.h"
#include "ir/error.h"

namespace axon::smt {

namespace {
constexpr EnumName<SolverMode> kSolverModeNames[] = {{SolverMode::Z3, "z3"},
                                                     {SolverMode::Cvc5, "cvc5"},
                                                     {SolverMode::Portfolio, "portfolio"},
                                                     {SolverMode::Both, "both"}};
} // namespace

const char* solver_mode_name(SolverMode m) {
  const char* n = enum_name(kSolverModeNames, m);
  return n ? n : "?";
}

bool parse_solver_mode(const std::string& s, SolverMode* out) {
  auto m = enum_value(kSolverModeNames, s);
  if (m)
    *out = *m;
  return m.has_value();
}

const char* sat_status_name(SatStatus s) {
  return s == SatStatus::Sat ? "sat" : s == SatStatus::Unsat ? "unsat" : "unknown";
}

std::string solver_versions() {
  static const std::string v = [] {
    unsigned a, b, c, d;
    Z3_get_version(&a, &b, &c, &d);
    cvc5::Solver s;
    return "z3-" + std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c) +
           "/cvc5-" + s.getVersion();
  }();
  return v;
}

namespace {

// "num/den" or decimal text (possibly ending in '?', Z3's mark for a truncated algebraic number).
double parse_number(std::string s) {
  if (!s.empty() && s.back() == '?')
    s.pop_back();
  bool neg = false;
  if (s.rfind("(-", 0) == 0) {
    neg = true;
    s = s.substr(2, s.size() - 3);
  }
  size_t slash = s.find('/');
  double v = slash == std::string::npos ? std::strtod(s.c_str(), nullptr)
                                        : std::strtod(s.substr(0, slash).c_str(), nullptr) /
                                              std::strtod(s.substr(slash + 1).c_str(), nullptr);
  return neg ? -v : v;
}

// Creating a Z3 context and running its first parse and check costs ~25 ms, more than most of
// our queries. The parent does it once; every forked child inherits the warm context by copy.
z3::context& warm_z3() {
  static z3::context* ctx = [] {
    auto* c = new z3::context();
    z3::solver s(*c);
    s.from_string("(declare-fun x () Real)(declare-fun f (Int) Real)(assert (> (f 1) (* x x)))");
    s.check();
    return c;
  }();
  return *ctx;
}

std::string run_z3(const SmtQuery& q, const SolverLimits& lim, bool want_model) {
  z3::context& ctx = warm_z3();
  z3::solver s(ctx);
  z3::params p(ctx);
  p.set("rlimit", static_cast<unsigned>(std::min<uint64_t>(lim.z3_rlimit, 4'000'000'000u)));
  p.set("random_seed", lim.seed);
  s.set(p);
  s.from_string(to_smtlib2_body(q).c_str());
  z3::check_result r = s.check();
  if (r == z3::unsat)
    return "unsat\n";
  if (r == z3::unknown)
    return "unknown z3: " + s.reason_unknown() + "\n";
  std::string out = "sat\n";
  if (want_model) {
    z3::model m = s.get_model();
    std::map<std::string, std::string> vals;
    for (unsigned i = 0; i < m.num_consts(); ++i) {
      z3::func_decl d = m.get_const_decl(i);
      z3::expr v = m.get_const_interp(d);
      std::string txt;
      if (v.is_numeral())
        txt = v.get_decimal_string(20);
      else if (v.is_algebraic())
        txt = v.get_decimal_string(20);
      else
        continue;
      vals[d.name().str()] = txt;
    }
    for (auto& sym : q.model_symbols) {
      auto it = vals.find(sym);
      out += sym + " " + (it == vals.end() ? "0" : it->second) + "\n";
    }
  }
  return out;
}

class Cvc5Builder {
public:
  explicit Cvc5Builder(cvc5::Solver& s) : s_(s) {}
  void declare(const SmtDecl& d) {
    std::vector<cvc5::Sort> args;
    for (Sort a : d.args)
      args.push_back(sort(a));
    syms_[d.name] = args.empty() ? s_.mkConst(sort(d.result), d.name)
                                 : s_.declareFun(d.name, args, sort(d.result));
  }
  cvc5::Term build(const SExpr& e) {
    switch (e.kind) {
    case SExpr::Kind::Sym: {
      if (e.sym == "true")
        return s_.mkTrue();
      if (e.sym == "false")
        return s_.mkFalse();
      auto it = syms_.find(e.sym);
      if (it == syms_.end())
        internal_error("cvc5 backend: undeclared symbol " + e.sym);
      return it->second;
    }
    case SExpr::Kind::IntLit:
      return s_.mkInteger(e.val.num());
    case SExpr::Kind::RealLit:
      return s_.mkReal(e.val.num(), e.val.den());
    case SExpr::Kind::List:
      break;
    }
    std::vector<cvc5::Term> xs;
    auto it = syms_.find(e.sym);
    if (it != syms_.end())
      xs.push_back(it->second);
    for (auto& a : e.args)
      xs.push_back(build(a));
    if (it != syms_.end())
      return s_.mkTerm(cvc5::APPLY_UF, xs);
    static const std::map<std::string, cvc5::Kind> kinds = {{"+", cvc5::ADD},
                                                            {"*", cvc5::MULT},
                                                            {"div", cvc5::INTS_DIVISION},
                                                            {"mod", cvc5::INTS_MODULUS},
                                                            {"<", cvc5::LT},
                                                            {"<=", cvc5::LEQ},
                                                            {">", cvc5::GT},
                                                            {">=", cvc5::GEQ},
                                                            {"=", cvc5::EQUAL},
                                                            {"and", cvc5::AND},
                                                            {"or", cvc5::OR},
                                                            {"not", cvc5::NOT},
                                                            {"=>", cvc5::IMPLIES},
                                                            {"ite", cvc5::ITE},
                                                            {"to_real", cvc5::TO_REAL},
                                                            {"/", cvc5::DIVISION}};
    if (e.sym == "-")
      return s_.mkTerm(xs.size() == 1 ? cvc5::NEG : cvc5::SUB, xs);
    auto k = kinds.find(e.sym);
    if (k == kinds.end())
      internal_error("cvc5 backend: unknown operator " + e.sym);
    return s_.mkTerm(k->second, xs);
  }
  const std::map<std::string, cvc5::Term>& syms() const { return syms_; }

private:
  cvc5::Sort sort(Sort s) {
    return s == Sort::Int    ? s_.getIntegerSort()
           : s == Sort::Real ? s_.getRealSort()
                             : s_.getBooleanSort();
  }
  cvc5::Solver& s_;
  std::map<std::string, cvc5::Term> syms_;
};

std::string run_cvc5(const SmtQuery& q, const SolverLimits& lim, bool want_model) {
  cvc5::Solver s;
  s.setLogic("ALL");
  s.setOption("rlimit", std::to_string(lim.cvc5_rlimit));
  s.setOption("seed", std::to_string(lim.seed));
  if (want_model)
    s.setOption("produce-models", "true");
  Cvc5Builder b(s);
  for (auto& d : q.decls)
    b.declare(d);
  for (auto& a : q.asserts)
    s.assertFormula(b.build(a));
  cvc5::Result r = s.checkSat();
  if (r.isUnsat())
    return "unsat\n";
  if (!r.isSat())
    return "unknown cvc5: " + r.toString() + "\n";
  std::string out = "sat\n";
  if (want_model) {
    for (auto& sym : q.model_symbols) {
      auto it = b.syms().find(sym);
      std::string v = "0";
      if (it != b.syms().end()) {
        cvc5::Term t = s.getValue(it->second);
        if (t.isRealValue())
          v = t.getRealValue();
        else if (t.isIntegerValue())
          v = t.getIntegerValue();
      }
      out += sym + " " + v + "\n";
    }
  }
  return out;
}

struct Child {
  pid_t pid = -1;
  int fd = -1;
  std::string name;
  std::string out;
  bool done = false;
};

Child spawn(const std::string& name, const SmtQuery& q, const SolverLimits& lim, bool want_model) {
  if (name == "z3")
    warm_z3();
  int fds[2];
  if (pipe(fds) != 0)
    internal_error("pipe() failed");
  pid_t pid = fork();
  if (pid < 0)
    internal_error("fork() failed");
  if (pid == 0) {
    close(fds[0]);
    std::string out;
    try {
      out = name == "z3" ? run_z3(q, lim, want_model) : run_cvc5(q, lim, want_model);
    } catch (const std::exception& e) {
      out = "unknown " + name + " error: " + e.what() + "\n";
    } catch (...) {
      out = "unknown " + name + " error\n";
    }
    size_t off = 0;
    while (off < out.size()) {
      ssize_t n = write(fds[1], out.data() + off, out.size() - off);
      if (n <= 0)
        break;
      off += static_cast<size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  return Child{pid, fds[0], name, "", false};
}

void reap(Child& c, bool kill_it) {
  if (c.pid < 0)
    return;
  if (kill_it)
    kill(c.pid, SIGKILL);
  int st;
  waitpid(c.pid, &st, 0);
  close(c.fd);
  c.pid = -1;
}

SolverAnswer parse_answer(const Child& c) {
  SolverAnswer a;
  a.solver = c.name;
  std::istringstream in(c.out);
  std::string line;
  if (!std::getline(in, line)) {
    a.reason = c.name + ": crashed or was killed";
    return a;
  }
  if (line == "unsat")
    a.status = SatStatus::Unsat;
  else if (line == "sat")
    a.status = SatStatus::Sat;
  else
    a.reason = line.substr(line.find(' ') + 1);
  while (std::getline(in, line)) {
    size_t sp = line.find(' ');
    if (sp == std::string::npos)
      continue;
    a.model[line.substr(0, sp)] = parse_number(line.substr(sp + 1));
  }
  return a;
}

} // namespace

SolverAnswer check(const SmtQuery& q, SolverMode mode, const SolverLimits& lim, bool want_model) {
  auto t0 = std::chrono::steady_clock::now();
  std::vector<Child> kids;
  if (mode != SolverMode::Cvc5)
    kids.push_back(spawn("z3", q, lim, want_model));
  if (mode != SolverMode::Z3)
    kids.push_back(spawn("cvc5", q, lim, want_model));
  std::vector<SolverAnswer> answers(kids.size());
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  bool race = mode == SolverMode::Portfolio;
  int winner = -1;
  while (true) {
    std::vector<pollfd> pfds;
    std::vector<size_t> which;
    for (size_t i = 0; i < kids.size(); ++i)
      if (!kids[i].done) {
        pfds.push_back(pollfd{kids[i].fd, POLLIN, 0});
        which.push_back(i);
      }
    if (pfds.empty())
      break;
    double left = lim.hard_timeout_s - elapsed();
    if (left <= 0)
      break;
    int n = poll(pfds.data(), pfds.size(), static_cast<int>(left * 1000) + 1);
    if (n < 0 && errno == EINTR)
      continue;
    for (size_t p = 0; p < pfds.size(); ++p) {
      if (!(pfds[p].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      Child& c = kids[which[p]];
      char buf[4096];
      ssize_t r = read(c.fd, buf, sizeof buf);
      if (r > 0) {
        c.out.append(buf, static_cast<size_t>(r));
        continue;
      }
      c.done = true;
      reap(c, false);
      answers[which[p]] = parse_answer(c);
      if (race && answers[which[p]].status != SatStatus::Unknown)
        winner = static_cast<int>(which[p]);
    }
    if (winner >= 0)
      break;
  }
  for (size_t i = 0; i < kids.size(); ++i)
    if (!kids[i].done) {
      reap(kids[i], true);
      answers[i].solver = kids[i].name;
      if (winner < 0)
        answers[i].reason =
            kids[i].name + ": hard timeout (" + std::to_string(lim.hard_timeout_s) + " s), killed";
      else
        answers[i].reason = kids[i].name + ": lost the race, killed";
    }
  SolverAnswer res;
  if (winner >= 0) {
    res = answers[static_cast<size_t>(winner)];
  } else if (answers.size() == 1) {
    res = answers[0];
  } else if (mode == SolverMode::Portfolio) {
    res.solver = "z3+cvc5";
    res.reason = answers[0].reason + "; " + answers[1].reason;
  } else {
    // Both: decisive only when they agree.
    const SolverAnswer& a = answers[0];
    const SolverAnswer& b = answers[1];
    res.solver = "z3+cvc5";
    if (a.status == b.status && a.status != SatStatus::Unknown) {
      res = a;
      res.solver = "z3+cvc5";
    } else if (a.status != SatStatus::Unknown && b.status != SatStatus::Unknown) {
      res.disagreement = true;
      res.reason = std::string("BUG: solver disagreement: z3 says ") + sat_status_name(a.status) +
                   ", cvc5 says " + sat_status_name(b.status);
    } else {
      res.reason =
          std::string("z3: ") +
          (a.status == SatStatus::Unknown ? a.reason : sat_status_name(a.status)) +
          "; cvc5: " + (b.status == SatStatus::Unknown ? b.reason : sat_status_name(b.status));
      if (a.status == SatStatus::Sat)
        res.model = a.model;
      else if (b.status == SatStatus::Sat)
        res.model = b.model;
    }
  }
  res.seconds = elapsed();
  return res;
}

} // namespace axon::smt
