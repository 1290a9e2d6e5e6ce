// Agents required: the fewest agents on the phones that meet every target
// given, by Erlang C or Erlang A interval by interval, or by simulation
// (queues carried over between intervals; staffing_simulation.hpp).
#pragma once

#include <optional>
#include <vector>

#include "wfm/erlang.hpp"

namespace switchboard::wfm {

struct StaffingTargets {
  std::optional<double> service_level;  // share answered within answer_within, at least
  double answer_within = 20;            // seconds
  std::optional<double> asa;            // seconds, at most
  std::optional<double> max_abandon;    // abandoned / offered, at most (needs patience and Erlang A)
  std::optional<double> max_occupancy;  // at most
};

// New methods go at the end: the CLI and the JSON output name them.
enum class StaffingMethod { erlang_c, erlang_a, simulation };

// Every target given holds. An unstable queue (Erlang C at or above its
// load: ASA infinite) meets none, whatever the targets.
bool meets_targets(const QueueMetrics& metrics, const StaffingTargets& targets);

// Erlang C or Erlang A metrics of `agents` (>= 1) for `rate_per_second`
// Poisson arrivals. Erlang C at or above its load reports the queue as
// unstable (p_wait 1, service level 0, ASA and mean wait infinite,
// occupancy 1) rather than throwing, so that a search can step over it.
// Erlang A requires `patience`.
QueueMetrics queue_metrics(double rate_per_second, double aht, std::optional<double> patience, int agents,
                           double answer_within, StaffingMethod method);

// The fewest agents meeting `targets` by Erlang C or A (0 when no call
// arrives). Each metric improves with every added agent, so meeting the
// targets is monotone in N: a doubling search brackets the answer and
// bisection finds it, about 2 log2(N) evaluations. Throws
// std::invalid_argument when nothing up to 4 A + 1000 agents meets them.
int fewest_agents(double rate_per_second, double aht, std::optional<double> patience, const StaffingTargets& targets,
                  StaffingMethod method);

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

// Throws std::invalid_argument, saying why, when no number of agents can
// meet the targets with `method` (a service level of 1, no abandonment with
// impatient callers, an occupancy of 0, abandonment asked of Erlang C...),
// or when there is no target at all.
void check_feasible(const StaffingProblem& problem, StaffingMethod method);

// The fewest agents meeting the targets for `calls` in one interval.
IntervalStaffing staff_interval(double calls, const StaffingProblem& problem, StaffingMethod method);

// Expected metrics of `agents` for `calls` in one interval (no call: nobody
// waits, service level 1).
QueueMetrics metrics_at(double calls, int agents, const StaffingProblem& problem, StaffingMethod method);

// ceil(required / (1 - shrinkage)), with rounding noise ignored.
int scheduled_agents(int required, double shrinkage);

}  // namespace switchboard::wfm
