// A staffing plan for a whole demand series: every interval by Erlang C or
// A, or by simulation (each contiguous run of intervals, a day, simulated on
// its own: no queue is carried over a night), and its two output formats,
// the CSV `switchboard schedule` reads and the JSON with the same columns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wfm/scenario_demand.hpp"
#include "wfm/staffing.hpp"
#include "wfm/staffing_simulation.hpp"

namespace switchboard::wfm {

struct StaffingPlan {
  StaffingMethod method = StaffingMethod::erlang_c;
  StaffingProblem problem;
  std::vector<std::int64_t> start;       // interval starts
  std::vector<IntervalStaffing> rows;    // one per interval
  int rounds = 0;                        // simulation: whole-day simulations run
};

// The analytic method a simulation starts from: Erlang A with a patience, else C.
StaffingMethod analytic_method(const StaffingProblem& problem);

// Throws std::invalid_argument (infeasible targets, saying why) or
// std::domain_error (a load beyond the calculators).
StaffingPlan plan_staffing(const Demand& demand, const StaffingProblem& problem, StaffingMethod method,
                           const SimulationSettings& settings = {});

const char* method_name(StaffingMethod method);  // "erlang-c", "erlang-a", "simulation"

// The CSV header, the columns of every row of both formats.
extern const char* const kPlanCsvHeader;
std::string plan_csv(const StaffingPlan& plan);
nlohmann::json plan_json(const StaffingPlan& plan);

}  // namespace switchboard::wfm
