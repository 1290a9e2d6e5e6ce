#include "wfm/early_warning.hpp"

#include <cmath>
#include <stdexcept>

#include "core/input_error.hpp"
#include "wfm/staffing.hpp"

namespace switchboard::wfm {

namespace {

// The scenario's callers on average: handle time (talk + wrap-up) and
// patience, weighted by each call type's arrival volume.
StaffingProblem problem_of(const Scenario& s) {
  StaffingProblem p;
  p.interval = s.horizon.interval;
  p.targets.service_level = s.targets.target_sl;
  p.targets.answer_within = s.targets.answer_within;
  double weight = 0, aht = 0, patience = 0;
  double wrap_up = 0;
  for (const auto& g : s.groups) wrap_up += g.wrap_up.kind == DistKind::none ? 0 : g.wrap_up.expected();
  if (!s.groups.empty()) wrap_up /= static_cast<double>(s.groups.size());
  bool patient = true;
  for (const auto& t : s.call_types) {
    double w = 0;
    for (double r : t.arrivals.rate_per_hour) w += r;
    if (w <= 0) w = 1;
    weight += w;
    aht += w * t.handle_time.expected();
    if (t.patience.kind == DistKind::none) patient = false;
    else patience += w * t.patience.expected();
  }
  p.aht = (weight > 0 ? aht / weight : 300) + wrap_up;
  if (!patient || weight <= 0) return p;  // callers who never abandon: Erlang A needs patience, so use Erlang C's
  p.patience = patience / weight;
  return p;
}

}  // namespace

std::vector<ForecastInterval> plan_ahead(const Scenario& scenario, const IntervalSeries& forecast, const std::string& flag) {
  const Horizon& h = scenario.horizon;
  const auto interval = static_cast<std::int64_t>(std::llround(h.interval));
  if (forecast.step <= 0 || interval % forecast.step != 0)
    throw InputError(Problem{forecast.source, 0, 0, flag,
                             "intervals of a length dividing the scenario's " + std::to_string(interval) + " s; the file's are " +
                                 std::to_string(forecast.step) + " s"});
  std::vector<ForecastInterval> day(h.intervals());
  for (int i = 0; i < h.intervals(); ++i) {
    day[i].start = i * h.interval;
    day[i].length = h.interval;
    day[i].planned = 0;
    for (const auto& g : scenario.groups) day[i].planned += g.staffed_at(i);
  }
  const auto runs = contiguous_runs(forecast.start, forecast.step);
  bool any = false;
  if (!runs.empty()) {
    for (std::size_t r = runs[0].first; r < runs[0].second; ++r) {
      const double clock = static_cast<double>(forecast.start[r] % 86400);
      const int k = h.interval_at(clock - h.start_clock);
      if (k < 0) continue;
      day[k].calls += forecast.calls[r];
      any = true;
    }
  }
  if (!any)
    throw InputError(Problem{forecast.source, 0, 0, flag, "rows whose clock time falls in the scenario's horizon; none does"});
  const StaffingProblem problem = problem_of(scenario);
  const StaffingMethod method = problem.patience ? StaffingMethod::erlang_a : StaffingMethod::erlang_c;
  try {
    check_feasible(problem, method);
  } catch (const std::invalid_argument& e) {
    throw InputError(Problem{scenario.source, 0, 0, "targets", std::string("targets the early warning can staff for: ") + e.what()});
  }
  for (auto& f : day) f.required = staff_interval(f.calls, problem, method).required;
  return day;
}

}  // namespace switchboard::wfm
