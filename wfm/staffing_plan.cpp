#include "wfm/staffing_plan.hpp"

#include <fmt/format.h>

#include <cmath>

#include "io/interval_series.hpp"

namespace switchboard::wfm {

namespace {
std::string number(double v) { return std::isfinite(v) ? fmt::format("{:.6g}", v) : "inf"; }
}  // namespace

const char* const kPlanCsvHeader =
    "timestamp,calls,workload_erlangs,agents_required,agents_scheduled,service_level,asa_seconds,p_abandon";

StaffingMethod analytic_method(const StaffingProblem& p) {
  return p.patience ? StaffingMethod::erlang_a : StaffingMethod::erlang_c;
}

const char* method_name(StaffingMethod m) {
  switch (m) {
    case StaffingMethod::erlang_c: return "erlang-c";
    case StaffingMethod::erlang_a: return "erlang-a";
    case StaffingMethod::simulation: return "simulation";
  }
  return "?";
}

StaffingPlan plan_staffing(const Demand& demand, const StaffingProblem& problem, StaffingMethod method,
                           const SimulationSettings& settings) {
  const StaffingMethod analytic = method == StaffingMethod::simulation ? analytic_method(problem) : method;
  check_feasible(problem, analytic);
  StaffingPlan plan;
  plan.method = method;
  plan.problem = problem;
  plan.start = demand.start;
  for (double c : demand.calls) plan.rows.push_back(staff_interval(c, problem, analytic));
  if (method != StaffingMethod::simulation) return plan;
  for (const auto& [first, last] : contiguous_runs(demand.start, static_cast<std::int64_t>(demand.interval))) {
    const std::vector<double> calls(demand.calls.begin() + first, demand.calls.begin() + last);
    std::vector<int> start;
    for (std::size_t i = first; i < last; ++i) start.push_back(plan.rows[i].required);
    const auto day = staff_by_simulation(calls, problem, start, settings);
    plan.rounds += day.rounds;
    for (std::size_t i = first; i < last; ++i) {
      plan.rows[i].required = day.required[i - first];
      plan.rows[i].scheduled = scheduled_agents(plan.rows[i].required, problem.shrinkage);
      plan.rows[i].expected = day.expected[i - first];
    }
  }
  return plan;
}

std::string plan_csv(const StaffingPlan& plan) {
  std::string text = std::string(kPlanCsvHeader) + "\n";
  for (std::size_t i = 0; i < plan.rows.size(); ++i) {
    const auto& r = plan.rows[i];
    text += fmt::format("{},{},{},{},{},{},{},{}\n", format_timestamp(plan.start[i]), r.calls, number(r.workload),
                        r.required, r.scheduled, number(r.expected.service_level), number(r.expected.asa),
                        number(r.expected.p_abandon));
  }
  return text;
}

nlohmann::json plan_json(const StaffingPlan& plan) {
  nlohmann::json j;
  j["method"] = method_name(plan.method);
  j["interval_seconds"] = plan.problem.interval;
  j["aht_seconds"] = plan.problem.aht;
  if (plan.problem.patience) j["patience_seconds"] = *plan.problem.patience;
  if (plan.method == StaffingMethod::simulation) j["rounds"] = plan.rounds;
  j["intervals"] = nlohmann::json::array();
  for (std::size_t i = 0; i < plan.rows.size(); ++i) {
    const auto& r = plan.rows[i];
    j["intervals"].push_back({{"timestamp", format_timestamp(plan.start[i])}, {"calls", r.calls},
                              {"workload_erlangs", r.workload}, {"agents_required", r.required},
                              {"agents_scheduled", r.scheduled}, {"service_level", r.expected.service_level},
                              {"asa_seconds", std::isfinite(r.expected.asa) ? r.expected.asa : -1},
                              {"p_abandon", r.expected.p_abandon}});
  }
  return j;
}

}  // namespace switchboard::wfm
