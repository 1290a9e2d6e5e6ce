// The simplest call center: one skill, one queue, one agent group, Poisson
// arrivals, exponential talk and (optionally) patience. The queueing-theory
// reference (M/M/c, M/M/c+M) and what staffing by simulation evaluates.
// single_queue_scenario() throws InputError (field paths, no file) when the
// numbers make no valid scenario.
#pragma once

#include <optional>
#include <vector>

#include "core/scenario.hpp"

namespace switchboard::sim {

struct SingleQueue {
  std::vector<double> calls_per_hour;  // one per interval, or one for the whole horizon
  std::vector<int> agents;             // likewise
  double interval = 900;
  double length = 3600;
  double warmup = 0;
  double aht = 300;
  std::optional<double> patience;      // mean, exponential; none: callers never abandon
  double answer_within = 20;
};

Scenario single_queue_scenario(const SingleQueue& model);

}  // namespace switchboard::sim
