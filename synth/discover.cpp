// The discovery runner: breadth-first propagation, every step proven before it enters the graph.
#include "synth/discover.h"

#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include "ir/error.h"
#include "ir/hash.h"
#include "ir/interp.h"
#include "synth/apply_derivation.h"
#include "synth/canonical_form.h"
#include "synth/numerics.h"
#include "synth/prove_step.h"

namespace axon::synth {

namespace {

using Clock = std::chrono::steady_clock;
int debug_level() {
  const char* d = std::getenv("AXON_DEBUG");
  return d ? std::atoi(d) : 0;
}

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

} // namespace

const char* stop_reason_name(StopReason r) {
  switch (r) {
  case StopReason::Saturated:
    return "saturated";
  case StopReason::VariantLimit:
    return "variant limit";
  case StopReason::DepthLimit:
    return "depth limit";
  case StopReason::TimeLimit:
    return "time limit";
  case StopReason::GoalReached:
    return "goal reached";
  }
  internal_error("unknown stop reason");
}

DiscoveryReport RewriteRunner::run(const IndexProgram& p) const {
  auto start = Clock::now();
  // Numerical trials inside proofs and numerics checks interpret programs; a large one (many
  // nested reductions at the trial sizes) must not run past the time limit: past it, the
  // interpreter stops, that proof is unknown and the next proposal ends the run.
  ScopedInterpreterDeadline interpreter_deadline(
      start +
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(time_limit_)));
  DiscoveryReport rep;
  std::set<std::string> seen;
  Variant root;
  root.state = {p, {}};
  root.canonical = hash_hex(canonical_form(root.state));
  seen.insert(root.canonical);
  if (numerics_)
    root.numerics = check_numerics(p, root.state);
  rep.variants.push_back(root);
  for (StepKind k : kinds_)
    rep.steps[k];

  std::vector<size_t> frontier{0};
  bool stopped = false;
  for (size_t depth = 1; !stopped; ++depth) {
    if (frontier.empty()) {
      rep.stop = StopReason::Saturated;
      break;
    }
    if (depth > depth_limit_) {
      rep.stop = StopReason::DepthLimit;
      break;
    }
    DepthRecord rec;
    rec.depth = depth;
    auto depth_start = Clock::now();
    std::vector<size_t> next;
    for (size_t fi = 0; fi < frontier.size() && !stopped; ++fi) {
      size_t parent = frontier[fi];
      ++rec.expanded;
      for (StepKind kind : kinds_) {
        if (stopped)
          break;
        // Splitting commutes with the other steps, so it is applied at the start of derivations
        // only (after other splits): splitting later re-derives the same variants in another order.
        if (kind == StepKind::SplitReduction) {
          bool only_splits = true;
          for (auto& d : rep.variants[parent].derivation)
            only_splits = only_splits && d.kind == StepKind::SplitReduction;
          if (!only_splits)
            continue;
        }
        StepStats& stats = rep.steps[kind];
        auto step_start = Clock::now();
        std::vector<Rewrite> props;
        try {
          props = propose_rewrites(kind, rep.variants[parent].state);
        } catch (const std::exception&) {
          ++stats.malformed;
        }
        for (auto& rw : props) {
          bool tiled = false;
          for (auto& sp : rw.result.splits)
            tiled = tiled || sp.tiles;
          if (tiled && !tiling_)
            continue;
          ++stats.proposed;
          double left = time_limit_ - since(start);
          if (left <= 0) {
            rep.stop = StopReason::TimeLimit;
            stopped = true;
            break;
          }
          if (rep.variants.size() >= variant_limit_) {
            rep.stop = StopReason::VariantLimit;
            stopped = true;
            break;
          }
          std::string canon = hash_hex(canonical_form(rw.result));
          if (seen.count(canon)) {
            ++stats.duplicate;
            continue;
          }
          ++stats.attempted;
          smt::ProveOptions opts = prove_;
          // prove_step may try three proofs in turn (local, region, whole program): a third of
          // what is left each, so that the step ends near the time limit.
          opts.limits.hard_timeout_s =
              std::max(0.2, std::min(opts.limits.hard_timeout_s, left / 3));
          opts.limits.hard_timeout_s = std::min(opts.limits.hard_timeout_s, step_timeout_);
          StepProof pr = prove_step(rep.variants[parent].state.program, rw.result.program,
                                    split_assumptions(rw.result.splits), opts);
          if (pr.verdict == smt::Verdict::Refuted) {
            ++stats.refuted;
            continue;
          }
          if (pr.verdict != smt::Verdict::Proven) {
            ++stats.unknown;
            if (debug_level() >= 1)
              std::cerr << "[synth] unknown: " << step_kind_name(kind) << ": " << rw.description
                        << ": " << pr.reason << "\n";
            continue;
          }
          ++stats.proven;
          seen.insert(canon);
          Variant v;
          v.id = rep.variants.size();
          v.parent = parent;
          v.depth = depth;
          v.state = std::move(rw.result);
          v.canonical = canon;
          v.derivation = rep.variants[parent].derivation;
          v.derivation.push_back({kind, rw.description, pr.prover, canon});
          if (numerics_) {
            auto t = Clock::now();
            v.numerics = check_numerics(p, v.state);
            rep.numerics_seconds += since(t);
          }
          rep.variants.push_back(std::move(v));
          next.push_back(rep.variants.size() - 1);
          ++rec.added;
          if (goal_ && goal_(rep.variants.back().state.program)) {
            rep.stop = StopReason::GoalReached;
            stopped = true;
            break;
          }
        }
        stats.seconds += since(step_start);
      }
    }
    rec.seconds = since(depth_start);
    rep.depths.push_back(rec);
    frontier = std::move(next);
  }
  rep.seconds = since(start);
  return rep;
}

StepStats DiscoveryReport::totals() const {
  StepStats t;
  for (auto& [k, st] : steps) {
    t.proposed += st.proposed;
    t.duplicate += st.duplicate;
    t.attempted += st.attempted;
    t.proven += st.proven;
    t.refuted += st.refuted;
    t.unknown += st.unknown;
    t.malformed += st.malformed;
    t.seconds += st.seconds;
  }
  return t;
}

std::string DiscoveryReport::to_text() const {
  std::ostringstream o;
  o << "rewrite discovery: " << variants.size() << " variants, stop: " << stop_reason_name(stop)
    << ", " << std::fixed << std::setprecision(3) << seconds << " s (of which numerics "
    << numerics_seconds << " s)\n";
  o << "  step                       proposed  dup  attempted  proven  refuted  unknown  malformed "
       "  seconds\n";
  for (auto& [k, s] : steps)
    o << "  " << std::left << std::setw(26) << step_kind_name(k) << std::right << std::setw(9)
      << s.proposed << std::setw(5) << s.duplicate << std::setw(11) << s.attempted << std::setw(8)
      << s.proven << std::setw(9) << s.refuted << std::setw(9) << s.unknown << std::setw(11)
      << s.malformed << std::setw(10) << s.seconds << "\n";
  for (auto& d : depths)
    o << "  depth " << d.depth << ": expanded " << d.expanded << ", added " << d.added << ", "
      << d.seconds << " s\n";
  return o.str();
}

nlohmann::json DiscoveryReport::to_json() const {
  nlohmann::json j;
  j["schema_version"] = 1;
  j["stop_reason"] = stop_reason_name(stop);
  j["seconds"] = seconds;
  j["numerics_seconds"] = numerics_seconds;
  for (auto& [k, s] : steps)
    j["steps"][step_kind_name(k)] = {{"proposed", s.proposed},   {"duplicate", s.duplicate},
                                     {"attempted", s.attempted}, {"proven", s.proven},
                                     {"refuted", s.refuted},     {"unknown", s.unknown},
                                     {"malformed", s.malformed}, {"seconds", s.seconds}};
  j["depths"] = nlohmann::json::array();
  for (auto& d : depths)
    j["depths"].push_back(
        {{"depth", d.depth}, {"expanded", d.expanded}, {"added", d.added}, {"seconds", d.seconds}});
  j["variants"] = nlohmann::json::array();
  for (auto& v : variants) {
    nlohmann::json jv = {{"id", v.id},
                         {"depth", v.depth},
                         {"canonical", v.canonical},
                         {"numerics",
                          {{"error_unit", v.numerics.error_unit},
                           {"error_large", v.numerics.error_large},
                           {"error_offset", v.numerics.error_offset},
                           {"stable", v.numerics.stable},
                           {"note", v.numerics.note}}}};
    if (v.parent)
      jv["parent"] = *v.parent;
    jv["derivation"] = derivation_to_json(v.derivation);
    j["variants"].push_back(jv);
  }
  return j;
}

} // namespace axon::synth
