// The scenario as `switchboard serve` is started on it by `loadtest --serve`.
// The server's virtual agents follow the staffing interval by interval from
// the server's start (its interval 0 begins then). A window starting at the
// day's interval `first`, placed when the server's interval `server_interval`
// begins, needs each per-interval staffing list rotated so that the
// server's interval `server_interval` has the staffing of the day's `first`.
#pragma once

#include <string>

#include "core/scenario.hpp"

namespace switchboard::loadgen {

// True when some agent group's staffing changes from interval to interval.
bool staffing_varies(const Scenario& s);

// The YAML text for the server: `path`'s scenario with every per-interval
// `agents` list rotated, arrivals made a plain rate (the server does not use
// them; a replayed file's relative path would not resolve from elsewhere)
// and no platform (SimGrid's only).
std::string served_scenario_yaml(const std::string& path, int first, int server_interval);

}  // namespace switchboard::loadgen
