#include "loadgen/sipp_injection.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace switchboard::loadgen {

std::string injection_file(const Scenario& s, const Plan& plan, const InjectionTiming& timing, std::size_t part,
                           std::size_t parts, std::size_t* truncated) {
  const double ms = 1000 / timing.time_scale;  // wall ms per scenario second
  std::string out = "SEQUENTIAL\n";
  std::size_t cut = 0;
  for (std::size_t i = part; i < plan.calls.size(); i += parts) {
    const PlannedCall& c = plan.calls[i];
    const std::size_t n = std::min<std::size_t>(c.digits.size(), kMaxDigits);
    if (c.digits.size() > n) ++cut;
    out += fmt::format("{};{:.0f};{}", s.call_types[c.call_type].name, timing.epoch_ms + (c.arrival - plan.window.start) * ms, n);
    double previous = 0;
    for (std::size_t d = 0; d < kMaxDigits; ++d) {
      if (d < n) {
        out += fmt::format(";{};{:.0f}", c.digits[d].digit, std::max(0.0, c.digits[d].at - previous) * ms);
        previous = c.digits[d].at;
      } else {
        out += ";0;0";
      }
    }
    const bool queued = c.queue != kNone;
    const double abandon = queued && std::isfinite(c.patience) ? std::max(0.0, c.queue_entry + c.patience - previous) * ms : kNeverMs;
    const double callback = queued && c.accepts_callback ? std::max(0.0, c.queue_entry + kCallbackDelay - previous) * ms : kNeverMs;
    out += fmt::format(";{:.0f};{:.0f}\n", abandon, callback);
  }
  if (truncated != nullptr) *truncated = cut;
  return out;
}

void check_dialable(const Scenario& s) {
  std::vector<Problem> problems;
  for (std::size_t i = 0; i < s.call_types.size(); ++i) {
    const std::string& name = s.call_types[i].name;
    const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '~';
    });
    if (!ok)
      problems.push_back(Problem{s.source, 0, 0, fmt::format("call_types[{}].name", i),
                                 "expected a name of letters, digits, '-', '_', '.' or '~' (the user part callers dial), got '" + name + "'"});
  }
  if (!problems.empty()) throw InputError(problems);
}

}  // namespace switchboard::loadgen
