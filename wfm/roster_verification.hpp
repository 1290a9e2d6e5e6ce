// Checking a roster by simulation: each day of the plan simulated with the
// agents the roster puts on the phones (scheduled x (1 - shrinkage), rounded
// down) against the plan's calls, and the service level per interval.
#pragma once

#include <string>
#include <vector>

#include "wfm/schedule.hpp"
#include "wfm/staffing.hpp"
#include "wfm/staffing_simulation.hpp"

namespace switchboard::wfm {

struct VerificationProblem {
  StaffingProblem queue;      // interval, aht, patience, answer_within, shrinkage
  double target_sl = 0.8;     // an interval below this counts as under target
  SimulationSettings simulation;
};

struct VerifiedInterval {
  std::int64_t start = 0;
  int on_phones = 0;
  QueueMetrics simulated;     // mean over the replications
};

struct Verification {
  std::vector<VerifiedInterval> intervals;
  double mean_service_level = 1;   // over the intervals
  int under_target = 0;            // intervals whose service level < target_sl
  double target_sl = 0.8;
  double answer_within = 20;
};

// `calls[i]` calls in requirement interval i.
Verification verify_roster(const Requirements& req, const std::vector<double>& calls, const Schedule& schedule,
                           const VerificationProblem& problem);

// The summary line ("verify: mean service level 0.905 (answered within 20 s)
// over 845 intervals, 102 under 0.8"), then one line per interval under target.
std::string verification_text(const Verification& v);

}  // namespace switchboard::wfm
