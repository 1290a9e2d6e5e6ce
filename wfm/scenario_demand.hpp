// What a staffing plan is computed from: calls per interval with their start
// times, from a recorded or forecast series or from a scenario. A scenario's
// call types are pooled into one queue served by every agent: AHT and
// patience are their means weighted by each type's calls (docs/staffing.md).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "io/interval_series.hpp"
#include "core/scenario.hpp"

namespace switchboard::wfm {

struct Demand {
  std::vector<std::int64_t> start;  // interval starts, seconds since epoch
  std::vector<double> calls;        // per interval
  double interval = 900;            // seconds
};

Demand demand_of(const IntervalSeries& series);

struct ScenarioDemand {
  Demand demand;
  double aht = 0;                   // pooled talk + wrap-up; 0 when no call arrives
  std::optional<double> patience;   // pooled mean, when every call type has one
};

// Calls per interval of every call type (rated processes: rate x scale x
// interval; replays: their counts or timestamps binned), timestamps `date`
// (a midnight) + the horizon's clock. A type's AHT is its mean talk time +
// the mean wrap-up of the groups with the skill of any queue it can reach.
ScenarioDemand demand_of(const Scenario& scenario, std::int64_t date);

// The queues a call type can reach: its entry queue, or every queue node of
// the IVR reachable from its entry node, whichever branch callers take.
std::vector<int> queues_reached(const Scenario& scenario, const CallType& type);

}  // namespace switchboard::wfm
