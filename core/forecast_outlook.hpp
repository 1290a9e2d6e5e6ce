// The peak early warning's data: for each planning interval of the day, the
// calls forecast, the agents they need (Erlang A, computed by
// wfm/early_warning.hpp) and the agents the scenario plans. A driver asks
// what the next hours look like; /metrics exports it (docs/dashboards.md).
#pragma once

#include <algorithm>
#include <vector>

namespace switchboard {

struct ForecastInterval {
  double start = 0;   // seconds on the scenario's horizon (clock = start_clock + start)
  double length = 0;  // seconds
  double calls = 0;
  int required = 0;   // agents on the phones to meet the targets
  int planned = 0;    // agents the scenario's staffing has for the interval
};

struct Outlook {
  double calls = 0;     // calls forecast in the intervals starting within the window
  int most_short = 0;   // the largest required - planned among them (<= 0: none short)
  int intervals = 0;    // how many intervals the window holds
};

// The intervals that start in [now, now + ahead), and the current one.
inline Outlook outlook(const std::vector<ForecastInterval>& day, double now, double ahead) {
  Outlook o;
  bool any = false;
  for (const ForecastInterval& f : day) {
    if (f.start + f.length <= now || f.start >= now + ahead) continue;
    o.calls += f.calls;
    o.most_short = any ? std::max(o.most_short, f.required - f.planned) : f.required - f.planned;
    any = true;
    ++o.intervals;
  }
  return o;
}

}  // namespace switchboard
