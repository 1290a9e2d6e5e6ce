#include "wfm/roster_io.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/input_error.hpp"
#include "io/interval_series.hpp"

namespace switchboard::wfm {

Requirements read_requirements(const std::string& path) {
  const IntervalSeries plan = read_interval_column(path, "agents_scheduled");
  Requirements req;
  req.step = plan.step > 0 ? plan.step : 900;
  req.start = plan.start;
  for (std::size_t i = 0; i < plan.calls.size(); ++i) {
    if (plan.calls[i] != std::floor(plan.calls[i]))
      throw InputError(Problem{path, static_cast<int>(i) + 2, 0, "agents_scheduled", "expected a whole number of agents"});
    req.agents.push_back(static_cast<int>(plan.calls[i]));
  }
  return req;
}

void check_policy_grid(const ShiftPolicy& policy, const Requirements& req, const std::string& policy_path) {
  for (double s : policy.starts)
    if (std::fmod(s, static_cast<double>(req.step)) != 0)
      throw InputError(Problem{policy_path, 0, 0, "starts",
                               "start " + clock_text(s) + " is not on the plan's " + std::to_string(req.step / 60) + "-minute grid"});
}

std::string clock_text(double seconds) {
  const int m = static_cast<int>(std::lround(seconds / 60));
  return fmt::format("{:02}:{:02}", m / 60, m % 60);
}

std::string roster_csv(const Schedule& schedule) {
  std::string roster = "day,shift,start,end,breaks,agents\n";
  for (const auto& line : schedule.roster) {
    std::string breaks;
    for (const auto& b : line.breaks)
      breaks += (breaks.empty() ? "" : ";") + clock_text(b.start) + "-" + clock_text(b.start + b.length) + (b.paid ? " paid" : " unpaid");
    roster += fmt::format("{},{}+{}h,{},{},{},{}\n", format_date(line.day), clock_text(line.start), line.length / 3600,
                          clock_text(line.start), clock_text(line.start + line.length), breaks, line.agents);
  }
  return roster;
}

std::string coverage_csv(const Requirements& req, const Schedule& schedule) {
  std::string coverage = "timestamp,required,scheduled,short\n";
  for (std::size_t i = 0; i < req.start.size(); ++i)
    coverage += fmt::format("{},{},{},{}\n", format_timestamp(req.start[i]), req.agents[i], schedule.scheduled[i],
                            schedule.short_by[i]);
  return coverage;
}

std::string summary_text(const Requirements& req, const Schedule& s) {
  std::string out = fmt::format("roster: {} shift lines, {:.2f} paid hours, cost {:.2f}; gap {:.3f}%{}{}\n", s.roster.size(),
                                s.paid_hours, s.cost, 100 * s.gap,
                                !s.optimal ? "" : s.gap < 1e-9 ? " (optimal)" : " (within the requested gap)",
                                s.time_limit_hit ? " (time limit reached: the best roster found so far)" : "");
  out += fmt::format("intervals short: {}\n", s.intervals_short);
  for (std::size_t i = 0; i < req.start.size(); ++i)
    if (s.short_by[i] > 0) out += fmt::format("  short {} at {}\n", s.short_by[i], format_timestamp(req.start[i]));
  return out;
}

nlohmann::json summary_json(const Requirements& req, const Schedule& s) {
  nlohmann::json short_list = nlohmann::json::array();
  for (std::size_t i = 0; i < req.start.size(); ++i)
    if (s.short_by[i] > 0) short_list.push_back({{"timestamp", format_timestamp(req.start[i])}, {"short", s.short_by[i]}});
  return {{"paid_hours", s.paid_hours}, {"cost", s.cost},          {"shifts", s.roster.size()},
          {"intervals_short", s.intervals_short}, {"short", short_list}, {"gap", s.gap},
          {"optimal", s.optimal}, {"time_limit_hit", s.time_limit_hit}, {"solve_seconds", s.seconds}};
}

}  // namespace switchboard::wfm
