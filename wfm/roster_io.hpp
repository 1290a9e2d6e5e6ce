// A schedule's ways out of the program and the plan's way in: the roster and
// coverage CSVs, the one-paragraph summary (text or JSON), and the
// requirements read from a staffing plan (`switchboard staff`'s CSV).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "wfm/schedule.hpp"

namespace switchboard::wfm {

// agents_scheduled of each interval of the plan at `path`; throws InputError
// naming the file, line and field (a count that is not a whole number...).
Requirements read_requirements(const std::string& path);

// Throws InputError naming `policy_path` when a start time is off the plan's grid.
void check_policy_grid(const ShiftPolicy& policy, const Requirements& req, const std::string& policy_path);

// "HH:MM" of seconds after midnight.
std::string clock_text(double seconds);

// day,shift,start,end,breaks,agents
std::string roster_csv(const Schedule& schedule);
// timestamp,required,scheduled,short
std::string coverage_csv(const Requirements& req, const Schedule& schedule);
// "roster: N shift lines, ..." then the short intervals.
std::string summary_text(const Requirements& req, const Schedule& schedule);
nlohmann::json summary_json(const Requirements& req, const Schedule& schedule);

}  // namespace switchboard::wfm
