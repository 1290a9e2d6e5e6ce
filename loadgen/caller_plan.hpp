// The load test's callers, planned before the run: when each call arrives,
// which call type it is, and how its caller behaves (digits at each menu,
// patience in queue, whether it takes a callback offer), drawn from the
// scenario's behaviour models with the simulator's own seeded streams.
//
// Arrival instants are those of the simulator's replication 0 for the same
// seed (sim::ArrivalProcess on Stream::arrivals, index = call type). The
// behaviour draws use the simulator world's streams (Stream::menu,
// Stream::patience, Stream::callback, index = call type; sim/world.cpp) and
// the same recipe per draw; the world draws when a call reaches the menu or
// the queue, the plan in arrival order, so one caller's values may be
// another's of the simulated day, with the same distribution.
// `CallerStreams` in caller_plan.cpp is the one place that knows the stream ids.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/scenario.hpp"

namespace switchboard::loadgen {

// Seconds on the scenario's horizon [start, end): the part of the day to place.
struct PlanWindow {
  double start = 0;
  double end = std::numeric_limits<double>::infinity();
};

// "HH:MM-HH:MM" in the scenario's clock (horizon.start); throws InputError
// naming `flag` when the text is malformed or the window is outside the horizon.
PlanWindow parse_window(const std::string& text, const Horizon& horizon, const std::string& flag = "--window");

struct DigitPress {
  char digit = 0;
  double at = 0;  // scenario seconds after the call was answered (ACK)
};

inline constexpr double kNever = std::numeric_limits<double>::infinity();

struct PlannedCall {
  double arrival = 0;               // scenario seconds on the horizon
  int call_type = 0;
  std::vector<DigitPress> digits;   // in order; empty for callers who go straight to a queue
  int queue = kNone;                // the first queue the caller's path reaches; kNone: it ends in the IVR
  double queue_entry = kNever;      // expected scenario seconds after ACK when it is queued (self-service at its mean)
  double patience = kNever;         // scenario seconds in queue before it hangs up
  bool accepts_callback = false;    // takes the queue's callback offer (drawn only where the queue offers one)
};

struct Plan {
  std::vector<PlannedCall> calls;   // by arrival time
  PlanWindow window;
};

// Every call of the window, for `seed`. The same scenario, seed and window
// give the same plan. Arrivals before the window (warm-up included) are
// drawn and dropped, so the window's callers do not depend on its start.
Plan plan_calls(const Scenario& scenario, std::uint64_t seed, const PlanWindow& window);

}  // namespace switchboard::loadgen
