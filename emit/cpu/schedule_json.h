// Schedules as JSON (report.json records the winner's choices so `replay` rebuilds it).
#pragma once

#include <nlohmann/json.hpp>

#include "emit/cpu/schedule.h"

namespace axon {

nlohmann::json schedule_to_json(const Schedule& s);
// UserError naming the JSON pointer when the document is not a schedule.
Schedule schedule_from_json(const nlohmann::json& j, const std::string& where);

} // namespace axon
