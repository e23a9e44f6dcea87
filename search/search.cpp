// The schedule search (see search.h).
#include "search/search.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <tuple>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "ir/dtype.h"
#include "ir/error.h"
#include "search/cost_model.h"
#include "search/enumerate.h"
#include "search/isolate.h"
#include "search/measure_lock.h"

namespace axon {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Output elements to check: first, last, and `n` random ones per output (deterministic for seed).
std::map<std::string, std::vector<std::vector<int64_t>>> sample_points(const IndexProgram& p,
                                                                       uint64_t seed, int n) {
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
  std::map<std::string, std::vector<std::vector<int64_t>>> pts;
  for (auto* t : p.outputs()) {
    auto shape = p.concrete_shape(t->name);
    auto& v = pts[t->name];
    std::vector<int64_t> first(shape.size(), 0), last;
    for (auto d : shape)
      last.push_back(d - 1);
    v.push_back(first);
    if (last != first)
      v.push_back(last);
    for (int i = 0; i < n; ++i) {
      std::vector<int64_t> idx;
      for (auto d : shape)
        idx.push_back(static_cast<int64_t>(rng() % static_cast<uint64_t>(d)));
      v.push_back(idx);
    }
  }
  return pts;
}

std::string serialize(const std::vector<double>& v) {
  std::string s(v.size() * sizeof(double), '\0');
  std::memcpy(s.data(), v.data(), s.size());
  return s;
}

std::vector<double> deserialize(const std::string& s) {
  std::vector<double> v(s.size() / sizeof(double));
  std::memcpy(v.data(), s.data(), v.size() * sizeof(double));
  return v;
}

} // namespace

Schedule with_threads(const IndexProgram& p, const Schedule& s, int threads, const Backend* b) {
  Schedule t = s;
  for (auto [first, last] : fusion_groups(t)) {
    // A single statement may be threaded behind its reduction's block loops; a group at its
    // shared outermost loop.
    std::optional<OuterLoop> ol = outer_loop(p, first, t.stmts[first]);
    if (first == last)
      if (auto tl = thread_loop(p, first, t.stmts[first]))
        ol = tl->second;
    if (!ol || ol->trip() < 2)
      continue;
    Schedule trial = t;
    trial.stmts[first].threads = threads;
    if (!b || b->estimate_ns(p, trial) < b->estimate_ns(p, t))
      t = trial;
  }
  return t;
}

Schedule fuse_groups(const IndexProgram& p, const Schedule& s,
                     const std::vector<std::vector<std::pair<double, StmtSchedule>>>& alternatives,
                     const Backend& b, bool require_gain) {
  Schedule f = s;
  for (auto& ss : f.stmts) {
    ss.fuse_prev = false;
    ss.threads = 1;
  }
  for (size_t i = 1; i < f.stmts.size(); ++i) {
    size_t g = i - 1;
    while (g > 0 && f.stmts[g].fuse_prev)
      --g;
    auto og = outer_loop(p, g, f.stmts[g]);
    if (!og)
      continue;
    std::vector<const StmtSchedule*> cands = {&f.stmts[i]};
    for (auto& [est, alt] : alternatives.at(i))
      cands.push_back(&alt);
    for (const StmtSchedule* c : cands) {
      auto oc = outer_loop(p, i, *c);
      if (!oc || !(*oc == *og) || !c->pack.empty())
        continue;
      Schedule trial = f;
      trial.stmts[i] = *c;
      trial.stmts[i].fuse_prev = true;
      trial.stmts[i].threads = 1;
      if (!fusion_error(p, trial, g, i).empty() || !validate_schedule(p, trial).empty())
        continue;
      if (require_gain && !(b.estimate_ns(p, trial) < b.estimate_ns(p, f)))
        continue;
      f = trial;
      break;
    }
  }
  return f;
}

const char* status_name(CandidateStatus s) {
  switch (s) {
  case CandidateStatus::Ok:
    return "ok";
  case CandidateStatus::CompileError:
    return "compile_error";
  case CandidateStatus::WrongResult:
    return "wrong_result";
  case CandidateStatus::Crashed:
    return "crashed";
  case CandidateStatus::NotMeasured:
    return "not_measured";
  }
  return "?";
}

double storage_tolerance(const IndexProgram& p) {
  double tol = 0;
  for (auto& t : p.tensors()) {
    if (t.dtype == DType::F16)
      tol = std::max(tol, 1e-2);
    if (t.dtype == DType::BF16)
      tol = std::max(tol, 5e-2);
  }
  return tol;
}

double check_artifact(const Artifact& a, const IndexProgram& p, uint64_t seed, int points,
                      double rtol, double timeout_s, std::string* detail, bool* crashed,
                      const IndexProgram* reference, TensorMap* input_buffers, bool* timed_out) {
  const IndexProgram& ref_program = reference ? *reference : p;
  rtol = std::max({rtol, storage_tolerance(p), storage_tolerance(ref_program)});
  TensorMap own;
  TensorMap& inputs = input_buffers ? *input_buffers : own;
  random_inputs_into(ref_program, seed, inputs);
  auto pts = sample_points(p, seed, points);
  IsolatedResult r = run_isolated([&] { return serialize(a.run_points(inputs, pts)); }, timeout_s);
  if (crashed)
    *crashed = !r.ok;
  if (timed_out)
    *timed_out = r.timed_out;
  if (!r.ok) {
    if (detail)
      *detail = "kernel " + r.failure;
    return INFINITY;
  }
  std::vector<double> got = deserialize(r.payload);
  // The worst scaled error of the kernel's values against a reference's, and where it is.
  auto compare = [&](const std::map<std::string, std::vector<double>>& ref, std::string* where) {
    double worst = 0;
    size_t k = 0;
    for (auto& [t, list] : pts) {
      const auto& want = ref.at(t);
      double scale = 0;
      for (double x : want)
        scale = std::max(scale, std::fabs(x));
      double atol = rtol * 0.1 * (scale + 1e-30);
      for (size_t i = 0; i < list.size(); ++i, ++k) {
        double g = got.at(k), w = want[i];
        double e = (std::isnan(g) || std::isnan(w))
                       ? (std::isnan(g) && std::isnan(w) ? 0 : INFINITY)
                       : std::fabs(g - w) / (atol + rtol * std::fabs(w));
        if (e > worst) {
          worst = e;
          if (e > 1) {
            std::ostringstream os;
            os << t << "[";
            for (size_t d = 0; d < list[i].size(); ++d)
              os << (d ? ", " : "") << list[i][d];
            os << "] = " << g << ", reference " << w;
            *where = os.str();
          }
        }
      }
    }
    return worst;
  };
  std::string where;
  double worst = compare(interpret_points(ref_program, inputs, pts), &where);
  // With f16/bf16 tensors, the program's own storage semantics rounds every stored element, and a
  // faithful kernel follows it; the rounding of a temporary can grow past the dtype's tolerance
  // through what follows (an f16 logit before exp). The kernel passes against the exact result
  // or against the storage-rounded one (a fused kernel that skips a temporary's rounding lies near
  // the first, an op-by-op one near the second).
  if (worst > 1 && std::max(storage_tolerance(p), storage_tolerance(ref_program)) > 0) {
    std::string where_storage;
    double storage =
        compare(interpret_points(ref_program, inputs, pts, EvalMode::Storage), &where_storage);
    if (storage < worst) {
      worst = storage;
      where = where_storage + " (storage-rounded reference)";
    }
  }
  if (detail && worst > 1)
    *detail = where;
  return worst;
}

std::optional<Timing> time_isolated(const Artifact& a, int warmup, int repeats,
                                    double stop_above_ns, double timeout_s, std::string* failure,
                                    bool* timed_out) {
  MeasureLock lock; // --measure-lock: one timing run at a time across processes
  if (!lock.held()) {
    if (failure)
      *failure = "not timed: interrupted while waiting for the measuring lock";
    return std::nullopt;
  }
  IsolatedResult r = run_isolated(
      [&] {
        Timing t = a.time(warmup, repeats, stop_above_ns);
        std::ostringstream os;
        os.precision(17);
        os << t.median_ns << " " << t.min_ns << " " << t.max_ns << " " << t.repeats << " "
           << t.clock;
        return os.str();
      },
      timeout_s);
  if (timed_out)
    *timed_out = r.timed_out;
  if (!r.ok) {
    if (failure)
      *failure = "timing run " + r.failure;
    return std::nullopt;
  }
  Timing t;
  std::istringstream is(r.payload);
  is >> t.median_ns >> t.min_ns >> t.max_ns >> t.repeats >> t.clock;
  return t;
}

double best_estimate_ns(const IndexProgram& p, const Backend& b) {
  EnumerateOptions eo;
  eo.vector_lanes = b.vector_lanes();
  eo.vector_registers = b.vector_registers();
  double total = 0;
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    double best = INFINITY;
    for (auto& ss : enumerate_stmt_schedules(p, i, eo))
      best = std::min(best, b.estimate_stmt_ns(p, i, ss));
    total += best;
  }
  return total;
}

Schedule baseline_schedule(const IndexProgram& p, const Backend& b, double* estimate_ns) {
  EnumerateOptions eo;
  eo.vector_lanes = b.vector_lanes();
  eo.vector_registers = b.vector_registers();
  Schedule s;
  double total = 0;
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    StmtSchedule best;
    double best_ns = INFINITY;
    for (auto& ss : enumerate_stmt_schedules(p, i, eo)) {
      if (!ss.split.empty())
        continue;
      double ns = b.estimate_stmt_ns(p, i, ss);
      if (ns < best_ns) {
        best_ns = ns;
        best = ss;
      }
    }
    s.stmts.push_back(best);
    total += best_ns;
  }
  // Op by op, but on every core the target offers (as a library of single-op kernels would).
  if (b.threads() > 1) {
    s = with_threads(p, s, b.threads(), &b);
    total = b.estimate_ns(p, s);
  }
  if (estimate_ns)
    *estimate_ns = total;
  return s;
}

namespace {

// A register tile's rows and columns (tiles of its one unrolled loop and of its vectorized loop);
// none for any other schedule.
std::optional<std::pair<int64_t, int64_t>> tile_shape(const IndexProgram& p, size_t stmt,
                                                      const StmtSchedule& ss) {
  if (!is_register_tile(p, stmt, ss) || ss.unroll.size() != 1)
    return std::nullopt;
  return std::make_pair(ss.split.at(loop_var(ss.unroll[0])), ss.split.at(loop_var(ss.vectorize)));
}

// `s` with each statement that has a hint (SearchOptions::statement_hints) scheduled by it, then
// threaded where the model says it pays; none when no hint applies.
std::optional<Schedule> with_hints(const IndexProgram& p, Schedule s,
                                   const std::map<std::string, StmtSchedule>& hints,
                                   const Backend& b) {
  bool any = false;
  for (size_t i = 0; i < s.stmts.size(); ++i) {
    auto it = hints.find(stmt_cost_key(p, i));
    if (it == hints.end())
      continue;
    Schedule trial = s;
    trial.stmts[i] = it->second;
    trial.stmts[i].fuse_prev = false;
    trial.stmts[i].threads = 1;
    trial.stmts[i].stream = false;
    trial.stmts[i].prefetch.clear();
    if (validate_schedule(p, trial).empty()) {
      s = trial;
      any = true;
    }
  }
  if (!any)
    return std::nullopt;
  return b.threads() > 1 ? with_threads(p, s, b.threads()) : s;
}

// The best-ranked schedule of each of the `count` largest register-tile shapes among a
// statement's ranked schedules.
std::vector<const StmtSchedule*>
largest_tile_shapes(const IndexProgram& p, size_t stmt,
                    const std::vector<std::pair<double, StmtSchedule>>& ranked, size_t count) {
  std::vector<std::pair<int64_t, const StmtSchedule*>> shapes;
  std::set<std::pair<int64_t, int64_t>> seen;
  for (auto& [est, ss] : ranked)
    if (auto t = tile_shape(p, stmt, ss); t && seen.insert(*t).second)
      shapes.push_back({t->first * t->second, &ss});
  std::stable_sort(shapes.begin(), shapes.end(),
                   [](auto& x, auto& y) { return x.first > y.first; });
  std::vector<const StmtSchedule*> out;
  for (size_t k = 0; k < shapes.size() && k < count; ++k)
    out.push_back(shapes[k].second);
  return out;
}

// `s` with the statement's register tile replaced by the best-ranked schedule of each other
// reduction block size with the same tile shape, loop order of the tile loops and packing (the
// statement keeps its threads, fusion and streaming).
// With `shape`, the other way round: the schedule of that tile shape with the current block size
// (and tile loop order and packing), when one is ranked.
std::vector<Schedule>
other_block_sizes(const IndexProgram& p, size_t stmt, const Schedule& s,
                  const std::vector<std::pair<double, StmtSchedule>>& ranked,
                  std::optional<std::pair<int64_t, int64_t>> shape = std::nullopt) {
  const StmtSchedule& cur = s.stmts[stmt];
  if (!tile_shape(p, stmt, cur))
    return {};
  const std::string r = top_reduction(p.stmts()[stmt])->name();
  auto kind = [&](const StmtSchedule& ss, std::optional<std::pair<int64_t, int64_t>> as) {
    std::string m = loop_var(ss.unroll[0]), n = loop_var(ss.vectorize);
    auto at = [&](const std::string& l) {
      return std::find(ss.order.begin(), ss.order.end(), l) - ss.order.begin();
    };
    return std::make_tuple(as ? *as : *tile_shape(p, stmt, ss), at(m + ".o") < at(n + ".o"),
                           ss.pack);
  };
  auto block = [&](const StmtSchedule& ss) { return ss.split.count(r) ? ss.split.at(r) : 0; };
  std::set<int64_t> blocks = {block(cur)};
  std::vector<Schedule> out;
  for (auto& [est, ss] : ranked) {
    if (!tile_shape(p, stmt, ss) || kind(ss, std::nullopt) != kind(cur, shape))
      continue;
    bool wanted = shape ? block(ss) == block(cur) : blocks.insert(block(ss)).second;
    if (!wanted)
      continue;
    Schedule t = s;
    t.stmts[stmt] = ss;
    t.stmts[stmt].threads = cur.threads;
    t.stmts[stmt].fuse_prev = cur.fuse_prev;
    t.stmts[stmt].stream = cur.stream;
    if (!validate_schedule(p, t).empty())
      continue;
    out.push_back(t);
    if (shape)
      break; // the best-ranked one
  }
  return out;
}

// `s` with every statement streaming whose output has at least min_bytes and may stream; none
// when no statement may.
std::optional<Schedule> streamed(const IndexProgram& p, Schedule s, int64_t min_bytes) {
  bool any = false;
  for (size_t i = 0; i < s.stmts.size(); ++i) {
    const std::string& out = p.stmts()[i].out;
    if (dtype_bytes(p.tensor(out).dtype) * p.numel(out) >= min_bytes &&
        stream_error(p, i, s.stmts[i]).empty())
      s.stmts[i].stream = any = true;
  }
  if (!any)
    return std::nullopt;
  return s;
}

// `s` with each fusion group's inputs prefetched for the group's next outer iteration, each by the
// last statement of the group that may (the group's last pass over it, after which the next
// iteration's first pass comes); none when no statement may.
std::optional<Schedule> prefetched(const IndexProgram& p, Schedule s) {
  bool any = false;
  for (auto& [first, last] : fusion_groups(s)) {
    if (first == last)
      continue;
    for (auto& t : p.tensors()) {
      if (t.role == TensorRole::Output)
        continue;
      bool already = false;
      for (size_t i = first; i <= last; ++i)
        already = already ||
                  std::count(s.stmts[i].prefetch.begin(), s.stmts[i].prefetch.end(), t.name) > 0;
      if (already)
        continue;
      for (size_t i = last + 1; i-- > first;)
        if (prefetch_error(p, s, i, t.name).empty()) {
          s.stmts[i].prefetch.push_back(t.name);
          any = true;
          break;
        }
    }
  }
  if (!any)
    return std::nullopt;
  return s;
}

// The measured candidates (not the baseline), fastest first.
std::vector<const CandidateRecord*> fastest_first(const SearchResult& res) {
  std::vector<const CandidateRecord*> ok;
  for (auto& c : res.candidates)
    if (c.status == CandidateStatus::Ok && c.kind != "baseline")
      ok.push_back(&c);
  std::stable_sort(ok.begin(), ok.end(),
                   [](auto* x, auto* y) { return x->timing.median_ns < y->timing.median_ns; });
  return ok;
}

void measure_candidates(const IndexProgram& p, const Backend& b, const SearchOptions& o,
                        const std::vector<std::pair<double, Schedule>>& batch,
                        bool first_is_baseline, Clock::time_point t0, SearchResult& res,
                        const std::function<void(const CandidateRecord&)>& on_record,
                        const std::function<bool()>& interrupted, const IndexProgram* reference,
                        TensorMap& check_inputs) {
  // The time budget: what is left of it, and whether it ends the search (it is spent, and a
  // searched candidate has been measured, by this search or an earlier variant's: the best so far
  // is never the baseline only because the baseline took the budget).
  auto budget_left = [&] { return o.time_budget_s - o.budget_spent_s - since(t0); };
  auto budget_spent = [&] {
    auto searched_ok = [](const CandidateRecord& c) {
      return c.status == CandidateStatus::Ok && c.kind != "baseline";
    };
    return o.time_budget_s > 0 && budget_left() < 0 &&
           (o.searched_measured ||
            std::any_of(res.candidates.begin(), res.candidates.end(), searched_ok));
  };
  if (!first_is_baseline && budget_spent()) {
    res.stats.stop_reason = "time budget";
    return;
  }
  // The baseline runs no longer than the budget leaves (at least a second); past that it is not
  // measured, which is not a failure of the baseline.
  auto baseline_timeout = [&] {
    return o.time_budget_s > 0 ? std::min(o.candidate_timeout_s, std::max(budget_left(), 1.0))
                               : o.candidate_timeout_s;
  };
  auto over_budget = [&](CandidateRecord& rec, bool timed_out, double timeout, const char* what) {
    if (!timed_out || timeout >= o.candidate_timeout_s)
      return false;
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "not measured: its %s ran past the %.1f s left of the time budget", what,
                  timeout);
    rec.status = CandidateStatus::NotMeasured;
    rec.detail = buf;
    return true;
  };
  // Compile every candidate first, in parallel (Backend::compile is thread-safe); then check and
  // time them one at a time.
  std::vector<std::unique_ptr<Artifact>> compiled(batch.size());
  std::vector<std::string> compile_errors(batch.size());
  auto tcomp = Clock::now();
  if (!(interrupted && interrupted())) {
    auto compile_one = [&](size_t ci) {
      try {
        compiled[ci] = b.compile(p, batch[ci].second);
        if (!compiled[ci])
          compile_errors[ci] = "the backend returned no artifact";
      } catch (const std::exception& e) {
        compile_errors[ci] = e.what();
      }
    };
    if (o.compile_jobs == 1) {
      for (size_t ci = 0; ci < batch.size(); ++ci)
        compile_one(ci);
    } else {
      tbb::task_arena arena(o.compile_jobs > 0 ? o.compile_jobs : tbb::task_arena::automatic);
      arena.execute([&] { tbb::parallel_for(size_t{0}, batch.size(), compile_one); });
    }
  }
  res.stats.seconds_compile += since(tcomp);
  for (size_t ci = 0; ci < batch.size(); ++ci) {
    CandidateRecord rec;
    rec.id = static_cast<int>(res.candidates.size());
    bool is_base = first_is_baseline && ci == 0;
    rec.kind = is_base ? "baseline" : "searched";
    rec.schedule = batch[ci].second;
    rec.estimate_ns = batch[ci].first;
    bool stop = false;
    if (interrupted && interrupted()) {
      res.stats.stop_reason = "interrupted";
      stop = true;
    } else if (!is_base && budget_spent()) {
      res.stats.stop_reason = "time budget";
      stop = true;
    }
    if (stop)
      break;
    std::unique_ptr<Artifact> art = std::move(compiled[ci]);
    if (!art) {
      rec.status = CandidateStatus::CompileError;
      rec.detail = compile_errors[ci];
      ++res.stats.compile_failures;
    } else {
      ++res.stats.compiled;
      auto tk = Clock::now();
      bool crashed = false, timed_out = false;
      double timeout = is_base ? baseline_timeout() : o.candidate_timeout_s;
      rec.max_error =
          check_artifact(*art, p, o.seed + static_cast<uint64_t>(rec.id), o.check_points, o.rtol,
                         timeout, &rec.detail, &crashed, reference, &check_inputs, &timed_out);
      res.stats.seconds_check += since(tk);
      if (over_budget(rec, timed_out, timeout, "check")) {
        // recorded as not measured
      } else if (crashed) {
        rec.status = CandidateStatus::Crashed;
        ++res.stats.crashes;
      } else if (!(rec.max_error <= 1)) {
        rec.status = CandidateStatus::WrongResult;
        ++res.stats.numerics_failures;
      } else {
        auto tm = Clock::now();
        double stop_above = 0;
        if (!is_base && res.best >= 0 && o.stop_slower_than > 0)
          stop_above =
              o.stop_slower_than * res.candidates[static_cast<size_t>(res.best)].timing.median_ns;
        timeout = is_base ? baseline_timeout() : o.candidate_timeout_s;
        std::optional<Timing> t =
            time_isolated(*art, o.warmup, o.repeats, stop_above, timeout, &rec.detail, &timed_out);
        res.stats.seconds_measure += since(tm);
        if (over_budget(rec, timed_out, timeout, "timing")) {
          // recorded as not measured
        } else if (!t) {
          rec.status = CandidateStatus::Crashed;
          ++res.stats.crashes;
        } else {
          rec.timing = *t;
          rec.status = CandidateStatus::Ok;
          ++res.stats.measured;
        }
      }
    }
    res.candidates.push_back(rec);
    if (on_record)
      on_record(rec);
    if (rec.status == CandidateStatus::Ok) {
      if (is_base)
        res.baseline = 0;
      if (res.best < 0 ||
          rec.timing.median_ns < res.candidates[static_cast<size_t>(res.best)].timing.median_ns)
        res.best = static_cast<int>(res.candidates.size() - 1);
    }
  }
}

} // namespace

SearchResult search_schedules(const IndexProgram& p, const Backend& b, const SearchOptions& o,
                              const std::function<void(const CandidateRecord&)>& on_record,
                              const std::function<bool()>& interrupted,
                              const IndexProgram* reference) {
  SearchResult res;
  auto t0 = Clock::now();
  // 1. Per statement: enumerate and rank by the cost model.
  EnumerateOptions eo;
  eo.vector_lanes = b.vector_lanes();
  eo.vector_registers = b.vector_registers();
  std::vector<std::vector<std::pair<double, StmtSchedule>>> ranked(p.stmts().size()), all;
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    for (auto& s : enumerate_stmt_schedules(p, i, eo))
      ranked[i].push_back({b.estimate_stmt_ns(p, i, s), s});
    res.stats.enumerated += ranked[i].size();
    std::stable_sort(ranked[i].begin(), ranked[i].end(),
                     [](auto& x, auto& y) { return x.first < y.first; });
  }
  all = ranked;
  // Keep the best few per statement, but let the best schedule of each reduction block size be
  // measured too: the cost model ranks block sizes poorly (it misjudges the output's per-block
  // traffic against the operand panels' cache footprint), measurement decides.
  for (size_t i = 0; i < ranked.size(); ++i) {
    auto& r = ranked[i];
    if (r.size() <= o.per_stmt_keep)
      continue;
    const ExprNode* red = top_reduction(p.stmts()[i]);
    std::set<size_t> pick;
    std::set<int64_t> blocks;
    for (size_t k = 0; red && k < r.size() && pick.size() + 1 < o.per_stmt_keep; ++k) {
      auto it = r[k].second.split.find(red->name());
      if (it != r[k].second.split.end() && blocks.insert(it->second).second)
        pick.insert(k);
    }
    for (size_t k = 0; k < r.size() && pick.size() < o.per_stmt_keep; ++k)
      pick.insert(k);
    std::vector<std::pair<double, StmtSchedule>> top;
    for (size_t k : pick)
      top.push_back(r[k]); // std::set: still in rank order
    r = top;
  }
  if (const char* d = std::getenv("AXON_DEBUG"); d && std::atoi(d) >= 2)
    for (size_t i = 0; i < ranked.size(); ++i)
      for (auto& [est, ss] : ranked[i]) {
        Schedule one = default_schedule(p);
        one.stmts[i] = ss;
        std::istringstream lines(to_string(one, p));
        std::string line;
        for (size_t k = 0; k <= i; ++k)
          std::getline(lines, line);
        std::fprintf(stderr, "[rank] %.3f ms  %s\n", est / 1e6, line.c_str());
      }
  // 2. Whole-program candidates: the best of each statement, then one statement at a time
  // replaced by an alternative; ranked by total estimate.
  std::vector<std::pair<double, Schedule>> combos;
  auto total = [&](const std::vector<size_t>& pick) {
    Schedule s;
    for (size_t i = 0; i < pick.size(); ++i)
      s.stmts.push_back(ranked[i][pick[i]].second);
    return std::make_pair(b.estimate_ns(p, s), s);
  };
  std::vector<size_t> best(p.stmts().size(), 0);
  combos.push_back(total(best));
  for (size_t i = 0; i < ranked.size(); ++i)
    for (size_t r = 1; r < ranked[i].size(); ++r) {
      auto pick = best;
      pick[i] = r;
      combos.push_back(total(pick));
    }
  std::stable_sort(combos.begin(), combos.end(),
                   [](auto& x, auto& y) { return x.first < y.first; });
  // Fusion groups and threads on the leading combinations; the best of each kind is measured
  // even when the cost model ranks it below the cut.
  std::vector<std::pair<double, Schedule>> kinds;
  size_t lead = std::min<size_t>(combos.size(), 8);
  for (size_t c = 0; c < lead; ++c) {
    Schedule fused = fuse_groups(p, combos[c].second, all, b, true);
    std::vector<Schedule> more = {fused};
    // The cost model underrates fusion when a group's per-iteration data overflows the second
    // cache level (measured: attention's softmax fused with both matmuls over heads ran 1.4x
    // faster than op by op): the two leading combinations also get every legal fusion.
    if (c < 2)
      more.push_back(fuse_groups(p, combos[c].second, all, b, false));
    if (b.threads() > 1) {
      std::vector<Schedule> threaded = {with_threads(p, combos[c].second, b.threads())};
      for (auto& m : more)
        threaded.push_back(with_threads(p, m, b.threads()));
      more.insert(more.end(), threaded.begin(), threaded.end());
    }
    for (auto& m : more)
      kinds.push_back({b.estimate_ns(p, m), m});
  }
  std::vector<std::pair<double, Schedule>> must; // best unfused serial, fused, threaded, both
  for (auto& k : {std::make_pair(false, false), std::make_pair(true, false),
                  std::make_pair(false, true), std::make_pair(true, true)}) {
    const std::pair<double, Schedule>* best_kind = nullptr;
    for (auto* list : {&combos, &kinds})
      for (auto& c : *list) {
        bool f = false, t = false;
        for (auto& ss : c.second.stmts) {
          f = f || ss.fuse_prev;
          t = t || ss.threads > 1;
        }
        if (f == k.first && t == k.second && (!best_kind || c.first < best_kind->first))
          best_kind = &c;
      }
    if (best_kind)
      must.push_back(*best_kind);
  }
  if (!combos.empty())
    if (auto h = with_hints(p, combos.front().second, o.statement_hints, b))
      must.push_back({b.estimate_ns(p, *h), *h});
  // Register tiles: the cost model ranks tile shapes poorly (it counts operations and traffic,
  // not the loop overhead and latency hiding that decide between 4x32 and 8x48), so the best
  // schedule of each of the three largest tile shapes is measured too, in the best combination.
  // With several such statements (SwiGLU's two matrix products), also every one of them at its
  // k-th largest shape at once: measured one statement at a time, a better shape for each can
  // hide in the noise of the whole kernel's time, and the combination is never tried.
  // statements whose tile shapes this search measures -> their largest shapes
  std::map<size_t, std::vector<const StmtSchedule*>> shapes_of;
  auto must_measure = [&](Schedule s) {
    if (b.threads() > 1)
      s = with_threads(p, s, b.threads());
    if (validate_schedule(p, s).empty())
      must.push_back({b.estimate_ns(p, s), s});
  };
  if (!combos.empty()) {
    for (size_t i = 0; i < all.size(); ++i) {
      if (o.tile_shapes_measured && !o.tile_shapes_measured->insert(stmt_cost_key(p, i)).second)
        continue;
      shapes_of[i] = largest_tile_shapes(p, i, all[i], 3);
      for (const StmtSchedule* ts : shapes_of[i]) {
        Schedule s = combos.front().second;
        s.stmts[i] = *ts;
        must_measure(s);
      }
    }
    for (size_t k = 0; k < 3; ++k) {
      Schedule s = combos.front().second;
      size_t changed = 0;
      for (auto& [i, shapes] : shapes_of)
        if (k < shapes.size()) {
          s.stmts[i] = *shapes[k];
          ++changed;
        }
      if (changed < 2)
        break;
      must_measure(s);
    }
  }
  combos.insert(combos.end(), kinds.begin(), kinds.end());
  std::stable_sort(combos.begin(), combos.end(),
                   [](auto& x, auto& y) { return x.first < y.first; });
  // One entry per distinct schedule.
  {
    std::set<std::string> seen_s;
    std::vector<std::pair<double, Schedule>> uniq;
    for (auto& c : combos)
      if (seen_s.insert(to_string(c.second, p)).second)
        uniq.push_back(c);
    combos = uniq;
  }
  res.stats.combined = combos.size();
  if (o.max_estimate_ns > 0)
    combos.erase(std::remove_if(combos.begin(), combos.end(),
                                [&](auto& c) { return c.first > o.max_estimate_ns; }),
                 combos.end());
  if (combos.size() > o.measure)
    combos.resize(o.measure);
  {
    std::set<std::string> kept;
    for (auto& c : combos)
      kept.insert(to_string(c.second, p));
    for (auto& m : must)
      if (kept.insert(to_string(m.second, p)).second &&
          (o.max_estimate_ns <= 0 || m.first <= o.max_estimate_ns))
        combos.push_back(m);
  }
  res.stats.seconds_enumerate = since(t0);

  // 3. Baseline first, then candidates: compile, check, time.
  double base_est = 0;
  Schedule base = baseline_schedule(p, b, &base_est);
  std::vector<std::pair<double, Schedule>> ranked_batch;
  if (o.include_baseline)
    ranked_batch.push_back({base_est, base});
  ranked_batch.insert(ranked_batch.end(), combos.begin(), combos.end());
  res.stats.stop_reason = "measured all";
  TensorMap check_inputs; // every check's fresh inputs, in the same memory
  measure_candidates(p, b, o, ranked_batch, o.include_baseline, t0, res, on_record, interrupted,
                     reference, check_inputs);
  // The refinements below measure what the cost model cannot rank, on the fastest candidates so
  // far; a schedule one of them reaches again is not measured twice.
  std::set<std::string> seen;
  for (auto& c : res.candidates)
    seen.insert(to_string(c.schedule, p));
  auto measure_new = [&](const std::vector<Schedule>& schedules) {
    std::vector<std::pair<double, Schedule>> batch;
    for (auto& s : schedules)
      if (seen.insert(to_string(s, p)).second)
        batch.push_back({b.estimate_ns(p, s), s});
    measure_candidates(p, b, o, batch, false, t0, res, on_record, interrupted, reference,
                       check_inputs);
  };
  auto searching = [&] { return res.stats.stop_reason == "measured all"; };
  // Then the fastest candidate's register tiles with the other reduction block sizes of the same
  // tile shape (measured, not estimated: the model misjudges blocks against cache sizes).
  // One statement after the other, each on the fastest so far (which the previous one's blocks
  // may have changed), so that two statements' better blocks combine. Every register-tile
  // statement, not only those whose shapes this search measured: in a later program variant a
  // statement keeps the earlier variant's winning schedule (a hint), whose block was the best
  // there, among other statements, and may not be here (SwiGLU's up product: k blocks of 128 won
  // as written, 68.6 ms with gate inlined, where blocks of 512 take 62.3 ms).
  for (size_t i = 0; i < all.size() && searching(); ++i)
    if (auto ok = fastest_first(res); !ok.empty())
      measure_new(other_block_sizes(p, i, ok.front()->schedule, all[i]));
  // And, for the statements whose tile shapes this search measured, the fastest candidate with
  // the statement at the second-fastest shape measured, blocked as the fastest is: each shape
  // was measured at the block the model ranks first, and the model misjudges blocks (matmul
  // 2048^3: 6x64 tiles were measured with k blocks of 128 only; with 512, as the 8x32 winner,
  // they were faster in five of six replays).
  for (auto& [i, shapes] : shapes_of) {
    auto ok = fastest_first(res);
    if (ok.empty() || !searching())
      break;
    auto fastest_shape = tile_shape(p, i, ok.front()->schedule.stmts[i]);
    if (!fastest_shape)
      continue;
    for (const CandidateRecord* c : ok)
      if (auto t = tile_shape(p, i, c->schedule.stmts[i]); t && *t != *fastest_shape) {
        measure_new(other_block_sizes(p, i, ok.front()->schedule, all[i], t));
        break;
      }
  }
  // Then streaming stores and prefetching, each tried on the two fastest candidates (the fastest
  // may owe its rank to a quiet minute of a machine whose speed drifts; the second is then the
  // better base). Streaming stores: the cost model does not see the cache traffic they save (nor
  // the later reads they slow down), so they are measured on the candidates that won without them.
  // Prefetching: whether the next outer iteration's rows arrive while the group computes on this
  // one's is a matter of the memory system, which the model does not see either.
  auto on_two_fastest = [&](const std::function<std::optional<Schedule>(const Schedule&)>& make) {
    if (!searching())
      return;
    std::vector<Schedule> two;
    std::set<std::string> keys;
    for (const CandidateRecord* c : fastest_first(res)) {
      auto s = make(c->schedule);
      if (!s)
        continue;
      std::string key = to_string(*s, p);
      if (!seen.count(key) && keys.insert(key).second)
        two.push_back(*s);
      if (two.size() == 2)
        break;
    }
    measure_new(two);
  };
  int64_t min_bytes = b.streaming_store_min_bytes();
  if (min_bytes > 0)
    on_two_fastest([&](const Schedule& s) { return streamed(p, s, min_bytes); });
  if (b.prefetches())
    on_two_fastest([&](const Schedule& s) { return prefetched(p, s); });
  // And both at once: each alone can lose to a minute of noise what they gain together (softmax
  // 4096^2 as written, replayed: 7.3 ms plain, 6.4-6.6 streamed, 6.4-6.7 prefetched, 5.1-5.8
  // both; one search, measuring each alone at 7.73 and 7.96 ms against 7.49, never tried both).
  if (min_bytes > 0 && b.prefetches())
    on_two_fastest([&](const Schedule& s) -> std::optional<Schedule> {
      auto st = streamed(p, s, min_bytes);
      return st ? prefetched(p, *st) : std::nullopt;
    });
  return res;
}

} // namespace axon
