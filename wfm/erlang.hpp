// Erlang B, C and A: the queueing formulas staffing is built on.
// Rates are per second and times in seconds here; the CLI converts calls per
// hour. All three are stable for tens of thousands of agents: Erlang B by
// its recurrence (never factorials), C from B, and A (M/M/N+M, exponential
// patience) solved exactly as a birth-death chain relative to state N.
#pragma once

namespace switchboard::wfm {

// Probability that a call finds all `lines` busy with `traffic` Erlangs offered (M/M/N/N).
double erlang_b(double traffic, int lines);

struct QueueMetrics {
  double p_wait = 0;         // an arrival finds every agent busy
  double service_level = 0;  // Erlang C: P(wait <= T); Erlang A: answered within T / offered
  double asa = 0;            // mean wait of answered calls, seconds
  double mean_wait = 0;      // mean wait of all calls (answered or abandoned), seconds
  double p_abandon = 0;      // Erlang A only
  double occupancy = 0;      // carried load / agents
};

// M/M/N. Requires traffic = rate * aht < agents (a stable queue): throws
// std::domain_error otherwise.
QueueMetrics erlang_c(double rate_per_second, double aht, int agents, double answer_within);

// M/M/N+M with mean patience `patience` (> 0). Stable at any load.
QueueMetrics erlang_a(double rate_per_second, double aht, int agents, double patience, double answer_within);

}  // namespace switchboard::wfm
