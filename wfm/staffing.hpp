// Agents required per interval: the fewest agents on the phones that meet
// every target given, by Erlang C or Erlang A interval by interval, or by
// simulation (queues carried over between intervals; staffing_simulation.hpp).
#pragma once

#include <optional>
#include <vector>

#include "wfm/erlang.hpp"

namespace switchboard::wfm {

struct StaffingTargets {
  std::optional<double> service_level;  // share answered within answer_within
  double answer_within = 20;            // seconds
  std::optional<double> asa;            // seconds, at most
  std::optional<double> max_abandon;    // share of offered, at most (needs patience)
  std::optional<double> max_occupancy;  // at most
};

enum class StaffingMethod { erlang_c, erlang_a, simulation };

struct IntervalStaffing {
  double calls = 0;
  double workload = 0;        // Erlangs: calls * AHT / interval length
  int required = 0;           // agents on the phones
  int scheduled = 0;          // after shrinkage: ceil(required / (1 - shrinkage))
  QueueMetrics expected;      // at `required` agents
};

struct StaffingProblem {
  double interval = 900;          // seconds
  double aht = 300;               // seconds (talk + wrap-up)
  std::optional<double> patience; // mean, seconds (exponential); required by erlang-a
  StaffingTargets targets;
  double shrinkage = 0;           // [0, 1)
};

// Throws std::invalid_argument when no number of agents can meet the targets
// (e.g. a service level of 1, or no abandonment with impatient callers).
void check_feasible(const StaffingProblem& problem, StaffingMethod method);

// The fewest agents meeting the targets for `calls` in one interval.
IntervalStaffing staff_interval(double calls, const StaffingProblem& problem, StaffingMethod method);

// Expected metrics of `agents` for `calls` in one interval.
QueueMetrics metrics_at(double calls, int agents, const StaffingProblem& problem, StaffingMethod method);

int scheduled_agents(int required, double shrinkage);

}  // namespace switchboard::wfm
