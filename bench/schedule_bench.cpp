// The scheduling goal: a one-week plan on 15-minute intervals for about 200
// agents, solved by CBC. One iteration: the figure is the solve time.
#include <benchmark/benchmark.h>

#include <cmath>

#include "io/interval_series.hpp"
#include "wfm/schedule.hpp"

namespace {

using namespace switchboard;

// Seven days 07:00-22:00; a two-hump weekday profile peaking near 200
// agents, weekends at 60%.
wfm::Requirements week() {
  wfm::Requirements r;
  r.step = 900;
  std::int64_t monday;
  parse_date("2026-11-30", monday);
  for (int d = 0; d < 7; ++d) {
    const double scale = d < 5 ? 1.0 : 0.6;
    for (int k = 0; k < 60; ++k) {
      const double h = 7 + k / 4.0;
      const double shape = 0.35 + 0.65 * std::exp(-std::pow((h - 11) / 2.5, 2)) + 0.5 * std::exp(-std::pow((h - 16) / 2.5, 2));
      r.start.push_back(monday + d * 86400 + static_cast<std::int64_t>(h * 3600));
      r.agents.push_back(static_cast<int>(std::lround(200 * scale * std::min(1.0, shape))));
    }
  }
  return r;
}

wfm::ShiftPolicy policy() {
  wfm::ShiftPolicy p;
  p.days = {0, 1, 2, 3, 4, 5, 6};
  for (double t = 7 * 3600; t <= 17 * 3600; t += 1800) p.starts.push_back(t);
  p.lengths = {8.5 * 3600, 4 * 3600};
  p.breaks = {wfm::BreakRule{900, true, 5400, 9000, 0}, wfm::BreakRule{1800, false, 12600, 18000, 8 * 3600},
              wfm::BreakRule{900, true, 21600, 25200, 8 * 3600}};
  p.cost_per_hour = 22;
  p.max_agents = 400;
  p.break_every = 1800;  // breaks start on the half hour
  return p;
}

void BM_ScheduleWeek200Agents(benchmark::State& state) {
  const auto req = week();
  const auto p = policy();
  for (auto _ : state) {
    const auto s = wfm::solve_schedule(req, p, wfm::SolverLimits{55, 0.005, false, {}});
    state.counters["paid_hours"] = s.paid_hours;
    state.counters["gap_percent"] = 100 * s.gap;
    state.counters["intervals_short"] = s.intervals_short;
    state.counters["solve_seconds"] = s.seconds;
  }
}
BENCHMARK(BM_ScheduleWeek200Agents)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
