// Measuring candidates (see measure.h).
#include "search/measure.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "search/isolate.h"
#include "search/measure_lock.h"

namespace axon {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
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
        nlohmann::json j = {{"median", t.median_ns},
                            {"min", t.min_ns},
                            {"max", t.max_ns},
                            {"repeats", t.repeats},
                            {"clock", t.clock}};
        return j.dump(); // doubles round-trip exactly
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
  try {
    nlohmann::json j = nlohmann::json::parse(r.payload);
    t.median_ns = j.at("median").get<double>();
    t.min_ns = j.at("min").get<double>();
    t.max_ns = j.at("max").get<double>();
    t.repeats = j.at("repeats").get<int>();
    t.clock = j.at("clock").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    if (failure)
      *failure = std::string("timing run: unreadable result: ") + e.what();
    return std::nullopt;
  }
  return t;
}

std::string dims_text(const std::map<std::string, int64_t>& dims) {
  std::string out;
  for (auto& [d, v] : dims)
    out += (out.empty() ? "" : ", ") + d + " = " + std::to_string(v);
  return "{" + out + "}";
}

double Measurer::check_at(const Artifact& a, const std::map<std::string, int64_t>& dims, int id,
                          double timeout, std::string* detail, bool* crashed, bool* timed_out) {
  IndexProgram small = p.with_dims(dims);
  IndexProgram small_ref = (reference ? *reference : p).with_dims(dims);
  double err = check_artifact(a, small, o.seed + static_cast<uint64_t>(id), o.check_points, o.rtol,
                              timeout, detail, crashed, &small_ref, nullptr, timed_out);
  if (detail && !detail->empty())
    *detail = "at " + dims_text(dims) + ": " + *detail;
  return err;
}

bool Measurer::confirm_best() {
  while (res.best >= 0) {
    CandidateRecord& best = res.candidates[static_cast<size_t>(res.best)];
    bool ok = true;
    for (size_t s = 1; s < best.check_dims.size() && ok; ++s) {
      std::string detail;
      bool crashed = false, timed_out = false;
      double err = 0;
      try {
        IndexProgram small = p.with_dims(best.check_dims[s]);
        std::unique_ptr<Artifact> a = b.compile(small, best.plan);
        if (!a)
          throw std::runtime_error("the backend returned no artifact");
        err = check_at(*a, best.check_dims[s], best.id, o.candidate_timeout_s, &detail, &crashed,
                       &timed_out);
      } catch (const std::exception& e) {
        err = std::numeric_limits<double>::infinity();
        detail = "at the check sizes " + dims_text(best.check_dims[s]) + ": " + e.what();
      }
      if (!(err <= 1)) {
        ok = false;
        best.status = crashed ? CandidateStatus::Crashed : CandidateStatus::WrongResult;
        best.max_error = err;
        best.detail = "the winner's second check failed " + detail;
        if (crashed)
          ++res.stats.crashes;
        else
          ++res.stats.numerics_failures;
        --res.stats.measured;
      } else {
        best.max_error = std::max(best.max_error, err);
      }
    }
    if (ok)
      return true;
    // The next fastest correct candidate (the baseline included) becomes the best.
    res.best = -1;
    for (size_t i = 0; i < res.candidates.size(); ++i)
      if (res.candidates[i].status == CandidateStatus::Ok &&
          (res.best < 0 || res.candidates[i].timing.median_ns <
                               res.candidates[static_cast<size_t>(res.best)].timing.median_ns))
        res.best = static_cast<int>(i);
    if (res.baseline >= 0 &&
        res.candidates[static_cast<size_t>(res.baseline)].status != CandidateStatus::Ok)
      res.baseline = -1;
  }
  return false;
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

void Measurer::measure(const std::vector<Proposal>& batch, bool first_is_baseline) {
  // The time budget: what is left of it, and whether it ends the search (it is spent, and a
  // searched candidate has been measured, by this search or an earlier variant's: the best so far
  // is never the baseline only because the baseline took the budget).
  auto budget_left = [&] { return o.time_budget_s - o.budget_spent_s - seconds_since(t0); };
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
  // A simulated clock is exact: one run, no warm-up, no early stopping.
  bool exact = b.clock() == BackendClock::Simulated;
  // Compile every candidate first, in parallel (Backend::compile is thread-safe); then check and
  // time them one at a time.
  std::vector<std::unique_ptr<Artifact>> compiled(batch.size());
  // Where the backend checks at other sizes (Backend::check_dims): the sizes and the artifact
  // compiled for them.
  std::vector<std::vector<std::map<std::string, int64_t>>> shapes(batch.size());
  std::vector<std::unique_ptr<Artifact>> reduced(batch.size());
  std::vector<std::string> compile_errors(batch.size());
  auto tcomp = Clock::now();
  if (!(interrupted && interrupted())) {
    auto compile_one = [&](size_t ci) {
      try {
        compiled[ci] = b.compile(p, batch[ci].plan);
        if (!compiled[ci]) {
          compile_errors[ci] = "the backend returned no artifact";
          return;
        }
        shapes[ci] = b.check_dims(p, batch[ci].plan);
        if (!shapes[ci].empty()) {
          IndexProgram small = p.with_dims(shapes[ci][0]);
          reduced[ci] = b.compile(small, batch[ci].plan);
          if (!reduced[ci])
            throw std::runtime_error("the backend returned no artifact");
        }
      } catch (const std::exception& e) {
        compiled[ci].reset();
        compile_errors[ci] = e.what();
        if (!shapes[ci].empty())
          compile_errors[ci] =
              "at the check sizes " + dims_text(shapes[ci][0]) + ": " + compile_errors[ci];
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
  res.stats.seconds_compile += seconds_since(tcomp);
  for (size_t ci = 0; ci < batch.size(); ++ci) {
    CandidateRecord rec;
    rec.id = static_cast<int>(res.candidates.size());
    bool is_base = first_is_baseline && ci == 0;
    rec.kind = is_base ? "baseline" : "searched";
    rec.plan = batch[ci].plan;
    rec.estimate_ns = batch[ci].estimate_ns;
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
      if (shapes[ci].empty()) {
        rec.max_error =
            check_artifact(*art, p, o.seed + static_cast<uint64_t>(rec.id), o.check_points, o.rtol,
                           timeout, &rec.detail, &crashed, reference, &check_inputs, &timed_out);
      } else {
        rec.check_dims = shapes[ci];
        rec.max_error = check_at(*reduced[ci], shapes[ci][0], rec.id, timeout, &rec.detail,
                                 &crashed, &timed_out);
      }
      res.stats.seconds_check += seconds_since(tk);
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
        if (!is_base && res.best >= 0 && o.stop_slower_than > 0 && !exact)
          stop_above =
              o.stop_slower_than * res.candidates[static_cast<size_t>(res.best)].timing.median_ns;
        timeout = is_base ? baseline_timeout() : o.candidate_timeout_s;
        std::optional<Timing> t = time_isolated(*art, exact ? 0 : o.warmup, exact ? 1 : o.repeats,
                                                stop_above, timeout, &rec.detail, &timed_out);
        res.stats.seconds_measure += seconds_since(tm);
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

} // namespace axon
