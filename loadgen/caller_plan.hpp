// The load test's callers, planned before the run: when each call arrives,
// which call type it is, and how its caller behaves (tags, digits at each
// menu, patience in queue, whether it takes a callback offer, whether and
// when it redials after abandoning), drawn from the scenario's behaviour
// models with the simulator's own seeded streams.
//
// Arrival instants are those of the simulator's replication 0 for the same
// seed (sim::ArrivalProcess on Stream::arrivals, index = call type). Every
// behaviour draw is made by sim::Callers (sim/behaviour.hpp), the component
// the simulator's world draws from, built for the same seed and replication
// 0: the same code and the same streams. The world draws lazily, when a
// call reaches the menu or the queue or abandons; the plan per call type in
// arrival order. Where the two orders coincide (tags, which the world draws
// at each arrival; a menu or queue every caller reaches after the same fixed
// time) the n-th caller gets the simulated day's n-th caller's values
// (tests/loadgen/caller_plan_test.cpp checks it); elsewhere one caller's
// values may be another's of the simulated day, with the same distribution.
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

// One call of a caller: the first, or a redial after an abandon.
struct CallerAttempt {
  std::uint32_t tags = 0;           // bit t: the scenario's tag t (sent as X-Switchboard-Tags)
  std::vector<DigitPress> digits;   // in order; empty for callers who go straight to a queue
  int queue = kNone;                // the first queue the caller's path reaches; kNone: it ends in the IVR
  double queue_entry = kNever;      // scenario seconds after ACK when it is queued (see self_service)
  // The first self-service node on the caller's path and when the caller
  // enters it (scenario seconds after ACK); kNone: none. For a first call in
  // the window its duration is the one the server's bot will draw (the same
  // sim::Callers, asked in the same order: callers by the time they enter
  // it, after the day's earlier visits), so queue_entry is when the caller
  // is really queued and its patience runs from there, as in the simulator;
  // other self-service (a second bot, redials) counts at its mean duration.
  int self_service = kNone;
  double self_service_entry = kNever;
  double self_service_duration = 0;
  bool self_service_success = false;
  double patience = kNever;         // scenario seconds in queue before it hangs up
  bool accepts_callback = false;    // takes the queue's callback offer (drawn only where the queue offers one)
  double redial_after = kNever;     // if it abandons: scenario seconds after the abandon to call again (the next attempt)
};

// Calls per caller at most: the first and two redials (the SIPp caller's
// field slots). A caller whose model would redial a third time does not.
inline constexpr std::size_t kMaxAttempts = 3;

// A caller: its first call's arrival and behaviour (the CallerAttempt it
// is), and the redials it makes if it abandons (each only after the
// previous one abandoned: which ones happen is decided by the real run).
struct PlannedCall : CallerAttempt {
  double arrival = 0;               // scenario seconds on the horizon
  int call_type = 0;
  std::vector<CallerAttempt> redials;
};

struct Plan {
  std::vector<PlannedCall> calls;   // by arrival time
  PlanWindow window;
  // Per call type: the simulated day's first calls that arrive before the
  // window (warm-up included), drawn and dropped; a served run's virtual
  // agents start their talk times after theirs (serve --calls-before).
  std::vector<std::uint64_t> calls_before;
  // Per IVR node: the day's self-service visits by callers who arrived
  // before the window (serve --self-service-before).
  std::vector<std::uint64_t> self_service_before;
};

// Every call of the window, for `seed`. The same scenario, seed and window
// give the same plan. Arrivals before the window (warm-up included) are
// drawn and dropped, so the window's callers do not depend on its start.
Plan plan_calls(const Scenario& scenario, std::uint64_t seed, const PlanWindow& window);

}  // namespace switchboard::loadgen
