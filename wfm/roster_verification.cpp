#include "wfm/roster_verification.hpp"

#include <fmt/format.h>

#include <cmath>

#include "io/interval_series.hpp"

namespace switchboard::wfm {

Verification verify_roster(const Requirements& req, const std::vector<double>& calls, const Schedule& schedule,
                           const VerificationProblem& p) {
  Verification v;
  v.target_sl = p.target_sl;
  v.answer_within = p.queue.targets.answer_within;
  StaffingProblem queue = p.queue;
  queue.interval = static_cast<double>(req.step);
  double sl_sum = 0;
  for (const auto& [first, last] : contiguous_runs(req.start, req.step)) {
    const std::vector<double> day_calls(calls.begin() + first, calls.begin() + last);
    std::vector<int> on_phones;
    for (std::size_t i = first; i < last; ++i)
      on_phones.push_back(static_cast<int>(std::floor(schedule.scheduled[i] * (1 - queue.shrinkage) + 1e-9)));
    const auto metrics = simulate_plan(day_calls, queue, on_phones, p.simulation);
    for (std::size_t i = first; i < last; ++i) {
      const QueueMetrics& m = metrics[i - first];
      v.intervals.push_back(VerifiedInterval{req.start[i], on_phones[i - first], m});
      sl_sum += m.service_level;
      if (m.service_level < p.target_sl) ++v.under_target;
    }
  }
  if (!v.intervals.empty()) v.mean_service_level = sl_sum / static_cast<double>(v.intervals.size());
  return v;
}

std::string verification_text(const Verification& v) {
  std::string out = fmt::format("verify: mean service level {:.3f} (answered within {:g} s) over {} intervals, {} under {:g}\n",
                                v.mean_service_level, v.answer_within, v.intervals.size(), v.under_target, v.target_sl);
  for (const auto& i : v.intervals)
    if (i.simulated.service_level < v.target_sl)
      out += fmt::format("  under at {}: agents {} SL {:.3f} ASA {:.1f} s\n", format_timestamp(i.start), i.on_phones,
                         i.simulated.service_level, i.simulated.asa);
  return out;
}

}  // namespace switchboard::wfm
