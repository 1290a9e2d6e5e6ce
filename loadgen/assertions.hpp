// `--assert` thresholds in the spirit of k6's: `failed_calls==0`,
// `invite_p99_ms<50`, `sl>=0.8`, `abandon_rate<0.05`, per queue
// `sl{queue=billing}>=0.9`. Parsed up front (a bad one is bad input, exit 2),
// checked against the run's measurements at the end.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/scenario.hpp"

namespace switchboard::loadgen {

enum class Comparison { less, less_equal, greater, greater_equal, equal, not_equal };

struct Assertion {
  std::string text;    // as the user wrote it
  std::string metric;  // one of assertable_metrics()
  std::string queue;   // empty: the whole run
  Comparison op = Comparison::less;
  double threshold = 0;
};

// The metric names an assertion may use, and which of them take {queue=...}.
const std::vector<std::string>& assertable_metrics();
bool per_queue(const std::string& metric);

// Throws InputError (field "--assert") naming the expression and what was
// expected: a known metric, a queue of the scenario, an operator, a number.
Assertion parse_assertion(const std::string& text, const Scenario& scenario);

struct Verdict {
  bool passed = false;
  std::optional<double> measured;  // nothing: the run could not measure it
  std::string message;             // "sl{queue=billing}>=0.9: 0.85, 0.05 short" / "... holds (0.93)"
};

// `measure(metric, queue)` gives the run's value, or nothing.
Verdict check(const Assertion& a, const std::function<std::optional<double>(const std::string&, const std::string&)>& measure);

}  // namespace switchboard::loadgen
