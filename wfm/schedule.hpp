// Shift scheduling as an integer program solved with COIN-OR CBC: how many
// agents work each allowed shift (start, length, break placement) on each
// day, so that every open interval is covered at the least paid cost.
// Coverage that cannot be met (too few agents allowed) is bought at a
// penalty and reported, not refused; closed intervals are never staffed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wfm/shift_policy.hpp"

namespace switchboard::wfm {

// Agents required per interval (open intervals only; a day's intervals
// must be contiguous).
struct Requirements {
  std::int64_t step = 900;
  std::vector<std::int64_t> start;  // interval starts, seconds since epoch
  std::vector<int> agents;
};

struct BreakPlacement {
  double start = 0;  // seconds after midnight
  double length = 0;
  bool paid = true;
};

struct RosterLine {
  std::int64_t day = 0;     // midnight
  double start = 0;         // seconds after midnight
  double length = 0;
  std::vector<BreakPlacement> breaks;
  int agents = 0;
  double paid_hours() const;
};

struct Schedule {
  std::vector<RosterLine> roster;
  std::vector<int> scheduled;   // per requirement interval
  std::vector<int> short_by;    // per requirement interval
  double paid_hours = 0;
  double cost = 0;
  int intervals_short = 0;
  double gap = 0;               // relative MIP gap at the end (0: proven optimal)
  bool optimal = false;         // CBC finished: proven optimal, or within the requested gap
  double seconds = 0;           // solve time, wall clock
  bool time_limit_hit = false;  // stopped by the time limit: the best roster found by then
};

// What the solver reports while it works (each better roster it finds).
struct SolverProgress {
  double seconds = 0;           // wall clock since the solve started
  double best_cost = 0;         // objective of the best roster so far (paid cost + shortfall penalty)
  double bound = 0;             // no roster can cost less than this
};

struct SolverLimits {
  double seconds = 50;          // wall clock
  double relative_gap = 0.005;
  bool verbose = false;
  std::function<void(const SolverProgress&)> progress;  // called on the solving thread
};

// The solver runs on one thread with fixed random seeds, so the same input
// gives the same roster whenever it stops on the gap; CBC starts from the
// trivial roster (no shift, every interval short), so the time limit always
// leaves a roster: the best found by then, with time_limit_hit set.
// Throws std::invalid_argument when no allowed shift fits any open interval.
Schedule solve_schedule(const Requirements& req, const ShiftPolicy& policy, const SolverLimits& limits = {});

}  // namespace switchboard::wfm
