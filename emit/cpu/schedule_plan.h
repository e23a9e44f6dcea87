// The CPU backend's candidates as the search sees them: a Schedule (emit/cpu/schedule.h) wrapped
// in the search's opaque Plan (search/backend.h).
#pragma once

#include "emit/cpu/schedule.h"
#include "search/backend.h"

namespace axon {

class SchedulePlan : public PlanData {
public:
  explicit SchedulePlan(Schedule s) : schedule(std::move(s)) {}
  Schedule schedule;
};

Plan make_plan(Schedule s);
// The schedule of a plan made by make_plan (an internal error for any other plan).
const Schedule& schedule_of(const Plan& plan);

} // namespace axon
