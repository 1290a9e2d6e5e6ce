// Erlang B, C and A: the queueing formulas staffing is built on, and the
// references the simulator's M/M/N and M/M/N+M tests compare against.
//
// Rates are per second and times in seconds here (the CLI converts calls per
// hour). All three stay finite and accurate for tens of thousands of agents
// and Erlangs: Erlang B by its recurrence (never factorials or powers), C
// from B, and A (M/M/N+M, exponential patience) solved exactly as a
// birth-death chain, summed outward from its most likely state with binary
// exponents kept out of reach (docs/erlang.md gives the derivations).
//
// Invalid arguments (negative, NaN, zero agents, an unstable Erlang C) throw
// std::domain_error with a message naming the argument.
#pragma once

namespace switchboard::wfm {

// Probability that a call finds all `lines` busy when `traffic` Erlangs are
// offered to a loss system (M/M/N/N). traffic >= 0, lines >= 0.
double erlang_b(double traffic, int lines);

struct QueueMetrics {
  double p_wait = 0;         // an arrival finds every agent busy (it queues)
  double service_level = 0;  // Erlang C: P(wait <= T); Erlang A: answered within T / offered
  double asa = 0;            // mean wait of answered calls (those answered at once count 0), seconds
  double mean_wait = 0;      // mean wait of all offered calls, answered or abandoned, seconds
  double p_abandon = 0;      // abandoned / offered (Erlang A; 0 for Erlang C)
  double occupancy = 0;      // carried load / agents: the share of agent time spent on calls
};

// M/M/N with `rate_per_second` Poisson arrivals, exponential handle times of
// mean `aht`, `agents` agents and threshold `answer_within` (T) for the
// service level. Requires a stable queue, traffic = rate * aht < agents:
// otherwise every caller waits and the queue grows without bound, and this
// throws std::domain_error.
QueueMetrics erlang_c(double rate_per_second, double aht, int agents, double answer_within);

// M/M/N+M: as Erlang C, and each waiting caller hangs up after an exponential
// patience of mean `patience` (> 0) unless answered first. Stable at any load.
// Throws std::domain_error also when the chain would need more than
// kErlangAMaxStates states (patience times the excess arrival rate beyond
// 10^8 calls: days of patience in an overloaded queue).
QueueMetrics erlang_a(double rate_per_second, double aht, int agents, double patience, double answer_within);

inline constexpr long long kErlangAMaxStates = 100'000'000;

}  // namespace switchboard::wfm
