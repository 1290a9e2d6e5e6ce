// The plan as SIPp injection files (-inf) for loadgen/caller-plan.xml: one
// row per caller with its call type, the wall instant of its first INVITE
// and, for each of its kMaxAttempts calls (the first, then redials), its
// behaviour turned into wall-clock pauses (scenario seconds / time scale).
#pragma once

#include <cstddef>
#include <string>

#include "core/scenario.hpp"
#include "loadgen/caller_plan.hpp"

namespace switchboard::loadgen {

inline constexpr int kMaxDigits = 3;            // digit slots per attempt in caller-plan.xml
inline constexpr int kFieldsPerAttempt = 11;    // tags, digits, 3 x (digit, pause), abandon, callback, redial
inline constexpr double kNeverMs = 1e15;        // "never" for the XML's deadlines
// A queued caller with a deadline looks at the clock every this many wall
// ms (caller-plan.xml's receive timeout): it acts on average half a tick
// late, so its deadlines are written half a tick early.
inline constexpr double kDeadlineTickMs = 20;
inline constexpr double kCallbackDelay = 1;     // scenario seconds after queue entry to take an offer (open 10 s)

struct InjectionTiming {
  double epoch_ms = 0;     // Unix ms of the window's start
  double time_scale = 1;   // scenario seconds per wall second
};

// The rows of calls part, part + parts, part + 2 parts, ... (SIPp process
// `part` of `parts`), headed SEQUENTIAL. `truncated` counts calls with
// more than kMaxDigits key presses (they press only the first ones).
std::string injection_file(const Scenario& scenario, const Plan& plan, const InjectionTiming& timing, std::size_t part,
                           std::size_t parts, std::size_t* truncated = nullptr);

// Throws InputError (scenario file, call_types[i].name) for a call type
// name a SIP URI's user part or an injection field cannot carry as is.
void check_dialable(const Scenario& scenario);

}  // namespace switchboard::loadgen
