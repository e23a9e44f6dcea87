// ScheduleBackend's plans, memory and instruction selection (see schedule_backend.h); its space
// is in schedule_space.cpp.
#include "emit/cpu/schedule_backend.h"

#include "emit/cpu/schedule_json.h"
#include "ir/error.h"

namespace axon {

Plan make_plan(Schedule s) { return std::make_shared<const SchedulePlan>(std::move(s)); }

const Schedule& schedule_of(const Plan& plan) {
  auto* sp = dynamic_cast<const SchedulePlan*>(plan.get());
  if (!sp)
    internal_error("a plan that is not a CPU schedule reached a schedule backend");
  return sp->schedule;
}

double ScheduleBackend::estimate_schedule_ns(const IndexProgram& p, const Schedule& s) const {
  double t = 0;
  for (size_t i = 0; i < s.stmts.size(); ++i)
    t += estimate_stmt_ns(p, i, s.stmts[i]);
  return t;
}

double ScheduleBackend::estimate_ns(const IndexProgram& p, const Plan& plan) const {
  return estimate_schedule_ns(p, schedule_of(plan));
}

std::string ScheduleBackend::legality(const IndexProgram& p, const Plan& plan) const {
  return validate_schedule(p, schedule_of(plan));
}

std::unique_ptr<SearchMemory> ScheduleBackend::new_memory() const {
  return std::make_unique<ScheduleMemory>();
}

void ScheduleBackend::remember(const IndexProgram& p, const Plan& winner,
                               SearchMemory& memory) const {
  auto* mem = dynamic_cast<ScheduleMemory*>(&memory);
  if (!mem)
    internal_error("a search memory that is not a schedule backend's");
  const Schedule& s = schedule_of(winner);
  for (size_t i = 0; i < s.stmts.size(); ++i)
    mem->statement_hints[stmt_cost_key(p, i)] = s.stmts[i];
}

std::unique_ptr<Artifact> ScheduleBackend::compile(const IndexProgram& p, const Plan& plan) const {
  return compile_schedule(p, schedule_of(plan));
}

std::string ScheduleBackend::plan_text(const IndexProgram& p, const Plan& plan) const {
  return to_string(schedule_of(plan), p);
}

nlohmann::json ScheduleBackend::plan_to_json(const Plan& plan) const {
  return schedule_to_json(schedule_of(plan));
}

Plan ScheduleBackend::plan_from_json(const nlohmann::json& j, const std::string& where) const {
  return make_plan(schedule_from_json(j, where));
}

SelectionSummary
ScheduleBackend::select_instructions(const std::vector<const IndexProgram*>& programs,
                                     const Isa& isa, const SelectOptions& opts,
                                     const SourceFile* src) {
  selection_ = select_for_search(programs, isa, opts, src);
  return {selection_.statements, selection_.stopped};
}

nlohmann::json ScheduleBackend::selection_report(const IndexProgram& p) const {
  return axon::selection_report(selection_, p);
}

} // namespace axon
