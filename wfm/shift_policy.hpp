// A shift policy: which shifts may be scheduled (start times, lengths,
// breaks with their windows), on which days, at what cost, within which
// limits. Loaded from YAML (docs/wfm.md, "Shift policy", documents every field).
#pragma once

#include <string>
#include <vector>

namespace switchboard::wfm {

struct BreakRule {
  double length = 900;        // seconds
  bool paid = true;
  double earliest = 3600;     // seconds after the shift starts
  double latest = 3 * 3600;   // latest start, seconds after the shift starts
  double min_shift = 0;       // only in shifts at least this long
};

struct ShiftPolicy {
  std::string name;
  std::vector<int> days;              // weekdays it applies to, 0 = Monday
  std::vector<double> starts;         // allowed start times, seconds after midnight
  std::vector<double> lengths;        // shift lengths (breaks included), seconds
  std::vector<BreakRule> breaks;
  double cost_per_hour = 1;           // per paid hour
  int min_agents = 0;                 // on duty in every open interval
  int max_agents = 1000000;           // shifts per day, all kinds together
  int max_per_shift = 1000000;        // agents on one kind of shift (start, length) per day
  double break_every = 0;             // break starts on this grid inside their windows; 0: every interval
  double short_penalty = 0;           // per agent-hour short; 0 means 100 x cost_per_hour
};

// Throws InputError naming file:line:column and field for every mistake.
ShiftPolicy load_shift_policy(const std::string& path);

}  // namespace switchboard::wfm
