// Staffing by simulation: starts from the analytic answer and adjusts each
// interval's agents, simulating the whole day each round (so a queue left at
// the end of one interval weighs on the next), until every interval meets its
// targets with the fewest agents. The simulation moves the analytic answer
// only where the 95% confidence intervals across the replications say so,
// so that noise does not shape the plan: every interval must meet its
// targets at the pessimistic end of its confidence interval (service
// level: the lower bound; ASA, abandonment, occupancy: the upper), and an
// interval whose interval straddles a target is simulated with more
// replications until it is decided (or a cap is reached, when it counts as
// not met). A stationary load thus keeps a flat plan.
// Every round uses the same seed: common random numbers make rounds
// comparable and the result reproducible.
#pragma once

#include <cstdint>
#include <vector>

#include "wfm/staffing.hpp"

namespace switchboard::wfm {

struct SimulatedStaffing {
  std::vector<int> required;
  std::vector<QueueMetrics> expected;  // simulated, mean over replications
  int rounds = 0;                      // whole-day simulations run
};

struct SimulationSettings {
  std::uint64_t seed = 1;
  int replications = 10;
  int jobs = 1;
  int max_rounds = 500;
  double warmup = 0;  // seconds simulated at the first interval's load before statistics start
  // An evaluation doubles its replications, up to this many (0: 64 x
  // `replications`), while some interval's confidence interval straddles a target.
  int max_replications = 0;
};

// One round of the search: each interval's simulated metrics under
// `staffing` (means over the replications) and what their 95% confidence
// intervals say about the targets.
struct PlanEvaluation {
  std::vector<QueueMetrics> metrics;  // means
  std::vector<bool> met;              // the pessimistic end meets every target
  std::vector<bool> missed;           // even the optimistic end misses one
  bool none_missed = true;
  bool all_met = true;
  int replications = 0;               // that this evaluation took
};
PlanEvaluation evaluate_plan(const std::vector<double>& calls, const StaffingProblem& problem,
                             const std::vector<int>& staffing, const SimulationSettings& settings);

// The means alone, over exactly `settings.replications`.
std::vector<QueueMetrics> simulate_plan(const std::vector<double>& calls, const StaffingProblem& problem,
                                        const std::vector<int>& staffing, const SimulationSettings& settings);

// `calls[i]` calls in interval i; `start` the analytic staffing.
SimulatedStaffing staff_by_simulation(const std::vector<double>& calls, const StaffingProblem& problem,
                                      const std::vector<int>& start, const SimulationSettings& settings);

}  // namespace switchboard::wfm
