#include "loadgen/sipp_injection.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/input_error.hpp"

namespace switchboard::loadgen {

namespace {

std::string tag_names(const Scenario& s, std::uint32_t tags) {
  std::string out;
  for (std::size_t t = 0; t < s.tags.size(); ++t)
    if ((tags >> t) & 1u) out += (out.empty() ? "" : ",") + s.tags[t];
  return out;
}

// One attempt's kFieldsPerAttempt fields: tags, digits, the abandon and
// callback deadlines, the redial pause. Counts a caller with more than
// kMaxDigits key presses in `cut`.
void append_attempt(std::string& out, const Scenario& s, const CallerAttempt* c, double ms, std::size_t& cut) {
  if (c == nullptr) {  // no such attempt: never dialled
    out += ";;0";
    for (int d = 0; d < kMaxDigits; ++d) out += ";0;0";
    out += fmt::format(";{0:.0f};{0:.0f};{0:.0f}", kNeverMs);
    return;
  }
  const std::size_t n = std::min<std::size_t>(c->digits.size(), kMaxDigits);
  if (c->digits.size() > n) ++cut;
  out += fmt::format(";{};{}", tag_names(s, c->tags), n);
  double previous = 0;
  for (std::size_t d = 0; d < kMaxDigits; ++d) {
    if (d < n) {
      out += fmt::format(";{};{:.0f}", c->digits[d].digit, std::max(0.0, c->digits[d].at - previous) * ms);
      previous = c->digits[d].at;
    } else {
      out += ";0;0";
    }
  }
  const bool queued = c->queue != kNone;
  auto deadline = [&](double at) { return std::max(0.0, (at - previous) * ms - kDeadlineTickMs / 2); };
  const double abandon = queued && std::isfinite(c->patience) ? deadline(c->queue_entry + c->patience) : kNeverMs;
  const double callback = queued && c->accepts_callback ? deadline(c->queue_entry + kCallbackDelay) : kNeverMs;
  const double redial = std::isfinite(c->redial_after) ? c->redial_after * ms : kNeverMs;
  out += fmt::format(";{:.0f};{:.0f};{:.0f}", abandon, callback, redial);
}

}  // namespace

std::string injection_file(const Scenario& s, const Plan& plan, const InjectionTiming& timing, std::size_t part,
                           std::size_t parts, std::size_t* truncated) {
  const double ms = 1000 / timing.time_scale;  // wall ms per scenario second
  std::string out = "SEQUENTIAL\n";
  std::size_t cut = 0;
  for (std::size_t i = part; i < plan.calls.size(); i += parts) {
    const PlannedCall& c = plan.calls[i];
    out += fmt::format("{};{:.0f}", s.call_types[c.call_type].name, timing.epoch_ms + (c.arrival - plan.window.start) * ms);
    for (std::size_t a = 0; a < kMaxAttempts; ++a)
      append_attempt(out, s, a == 0 ? &c : a <= c.redials.size() ? &c.redials[a - 1] : nullptr, ms, cut);
    out += "\n";
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
