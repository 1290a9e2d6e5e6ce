// Staffing by simulation: starts from the analytic answer and adjusts each
// interval's agents, simulating the whole day each round (so a queue left at
// the end of one interval weighs on the next), until every interval meets its
// targets with the fewest agents. Every round uses the same seed: common
// random numbers make rounds comparable and the result reproducible.
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
};

// The simulated metrics of each interval under `staffing` (mean over the
// replications) — what one round of the search sees.
std::vector<QueueMetrics> simulate_plan(const std::vector<double>& calls, const StaffingProblem& problem,
                                        const std::vector<int>& staffing, const SimulationSettings& settings);

// `calls[i]` calls in interval i; `start` the analytic staffing.
SimulatedStaffing staff_by_simulation(const std::vector<double>& calls, const StaffingProblem& problem,
                                      const std::vector<int>& start, const SimulationSettings& settings);

}  // namespace switchboard::wfm
