// `switchboard staff`: agents required per interval to meet service targets.
#include <cmath>
#include <iostream>
#include <stdexcept>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "core/input_error.hpp"
#include "io/interval_series.hpp"
#include "io/scenario_loader.hpp"
#include "wfm/forecast_plan.hpp"
#include "wfm/staffing_plan.hpp"

namespace po = boost::program_options;

namespace switchboard::cli {

namespace {

const char* kUsage = R"(usage: switchboard staff --arrivals FILE.csv --aht S [--patience P] TARGETS [options]
       switchboard staff SCENARIO.yaml [TARGETS] [options]

Agents required per interval. Input: a `timestamp,calls` CSV of calls per
interval (the interval is the file's step) with the average handle time, or
a scenario: its call types pooled into one queue, with their calls per
interval (Poisson rates or replayed counts), AHT = mean talk time + mean
wrap-up of the groups serving each type, their mean patience (when every
type has one) and the scenario's targets unless flags give others.

TARGETS (any combination; all must hold): --target-sl F with
--answer-within T (default 20 s), --target-asa S, --max-abandon F,
--max-occupancy F.

Methods: erlang-c (default without --patience), erlang-a (default with it;
its service level is answered within T / offered, abandoned calls counting
as missed), or simulation: starts from the analytic answer and simulates the
whole day each round, queues carried over between intervals, until no
interval misses its targets, with the fewest agents; it adds an agent only
where the 95% confidence interval shows a miss, and takes one away only
where the interval's pessimistic end still meets every target (so noise
does not shape the plan); the rounds taken are reported.

Output (CSV, or --json: {"method", "interval_seconds", "aht_seconds",
"intervals": [one object per row with the same keys]}), one row per interval:
  timestamp,calls,workload_erlangs,agents_required,agents_scheduled,
  service_level,asa_seconds,p_abandon
workload_erlangs = calls * AHT / interval; agents_required: the fewest on the
phones meeting every target; agents_scheduled = ceil(agents_required /
(1 - shrinkage)); the last three are expected at agents_required.)";

}  // namespace

int staff(const Args& args) {
  return guarded("staff", [&] {
    std::string scenario_path, arrivals_path, method_name, format = "csv", out, date_text = "2001-01-01";
    double quantile = -1;  // --quantile: plan on that quantile column of a forecast (wfm::read_demand)
    double aht = -1, patience = -1, target_sl = -1, answer_within = -1, target_asa = -1, max_abandon = -1,
           max_occupancy = -1, shrinkage = 0;
    int reps = 10, jobs = 1;
    std::uint64_t seed = 1;
    po::options_description options("options");
    options.add_options()
      ("scenario", po::value(&scenario_path), "scenario file (YAML) instead of --arrivals")
      ("arrivals", po::value(&arrivals_path), "timestamp,calls CSV of calls per interval")
      ("quantile", po::value(&quantile), "with --arrivals FORECAST.csv: plan on its quantile column (0.9 reads p90) instead of calls")
      ("aht", po::value(&aht), "average handle time (talk + wrap-up), seconds")
      ("patience", po::value(&patience), "mean patience, seconds (exponential)")
      ("target-sl", po::value(&target_sl), "service level to reach, a share in (0, 1), e.g. 0.8")
      ("answer-within", po::value(&answer_within), "service-level threshold T, seconds (default 20, or the scenario's)")
      ("target-asa", po::value(&target_asa), "ASA to stay under, seconds")
      ("max-abandon", po::value(&max_abandon), "abandoned / offered to stay under (needs --patience)")
      ("max-occupancy", po::value(&max_occupancy), "occupancy to stay under")
      ("shrinkage", po::value(&shrinkage)->default_value(0), "share of paid time away from the phones, [0, 1)")
      ("method", po::value(&method_name), "erlang-c | erlang-a | simulation")
      ("json", "JSON instead of CSV")
      ("format", po::value(&format)->default_value("csv"), "csv | json (--json is the same as --format json)")
      ("out", po::value(&out), "write to this file (atomically) instead of stdout")
      ("date", po::value(&date_text)->default_value("2001-01-01"), "scenario input: the date of its timestamps")
      ("reps", po::value(&reps)->default_value(10), "simulation: replications a round starts with (doubled, up to 64 x, while an interval is undecided)")
      ("seed", po::value(&seed)->default_value(1), "simulation: seed")
      ("jobs", po::value(&jobs)->default_value(1), "simulation: threads");
    po::positional_options_description positional;
    positional.add("scenario", 1);
    po::variables_map vm;
    if (!parse_args(kUsage, args, options, positional, vm)) return kExitOk;
    require_flag(scenario_path.empty() != arrivals_path.empty(), "--arrivals",
                 scenario_path.empty() ? "--arrivals FILE.csv or a scenario file" : "either --arrivals FILE.csv or a scenario, not both");
    require_flag(format == "csv" || format == "json", "--format", "csv or json");
    const bool json = vm.count("json") > 0 || format == "json";
    require_flag(std::isfinite(shrinkage) && shrinkage >= 0 && shrinkage < 1, "--shrinkage", "a share in [0, 1)");
    require_flag(reps >= 1 && reps <= 10000, "--reps", "a whole number from 1 to 10000");
    require_flag(jobs >= 1 && jobs <= 1024, "--jobs", "a whole number from 1 to 1024");
    auto positive = [&](const char* name, double v) {
      require_flag(!vm.count(name) || (std::isfinite(v) && v > 0), std::string("--") + name, "a number > 0");
    };
    auto share = [&](const char* name, double v, bool zero_ok) {
      require_flag(!vm.count(name) || ((zero_ok ? v >= 0 : v > 0) && v <= 1), std::string("--") + name,
                   zero_ok ? "a share from 0 to 1" : "a share above 0, at most 1");
    };
    positive("aht", aht);
    positive("patience", patience);
    positive("target-asa", target_asa);
    share("target-sl", target_sl, false);
    share("max-abandon", max_abandon, true);
    share("max-occupancy", max_occupancy, true);
    require_flag(!vm.count("answer-within") || (std::isfinite(answer_within) && answer_within >= 0), "--answer-within",
                 "seconds, >= 0");

    if (!out.empty()) check_output_file(out, "--out");

    wfm::StaffingProblem problem;
    wfm::Demand demand;
    double warmup = 0;  // a scenario's: its simulation starts in steady state
    if (!arrivals_path.empty()) {
      require_flag(vm.count("aht") > 0, "--aht", "the average handle time in seconds (needed with --arrivals)");
      demand = wfm::demand_of(
          wfm::read_demand(arrivals_path, vm.count("quantile") ? std::optional<double>(quantile) : std::nullopt));
      problem.aht = aht;
      if (vm.count("patience")) problem.patience = patience;
      problem.targets.answer_within = vm.count("answer-within") ? answer_within : 20;
    } else {
      require_flag(!vm.count("quantile"), "--quantile", "a forecast file given with --arrivals (a scenario has no quantile columns)");
      std::int64_t date = 0;
      require_flag(parse_date(date_text, date), "--date", "a date YYYY-MM-DD");
      const Scenario s = load_scenario(scenario_path);
      const wfm::ScenarioDemand pooled = wfm::demand_of(s, date);
      demand = pooled.demand;
      warmup = s.horizon.warmup;
      require_flag(vm.count("aht") || pooled.aht > 0, "--aht", "a handle time: the scenario's calls give none");
      problem.aht = vm.count("aht") ? aht : pooled.aht;
      if (vm.count("patience")) problem.patience = patience;
      else problem.patience = pooled.patience;
      problem.targets.answer_within = vm.count("answer-within") ? answer_within : s.targets.answer_within;
      if (!vm.count("target-sl") && !vm.count("target-asa") && !vm.count("max-abandon") && !vm.count("max-occupancy"))
        target_sl = s.targets.target_sl;
    }
    problem.interval = demand.interval;
    problem.shrinkage = shrinkage;
    if (target_sl >= 0) problem.targets.service_level = target_sl;
    if (vm.count("target-asa")) problem.targets.asa = target_asa;
    if (vm.count("max-abandon")) problem.targets.max_abandon = max_abandon;
    if (vm.count("max-occupancy")) problem.targets.max_occupancy = max_occupancy;

    wfm::StaffingMethod method = wfm::analytic_method(problem);
    if (vm.count("method")) {
      if (method_name == "erlang-c") method = wfm::StaffingMethod::erlang_c;
      else if (method_name == "erlang-a") method = wfm::StaffingMethod::erlang_a;
      else if (method_name == "simulation") method = wfm::StaffingMethod::simulation;
      else require_flag(false, "--method", "erlang-c, erlang-a or simulation");
    }
    wfm::StaffingPlan plan;
    try {
      plan = wfm::plan_staffing(demand, problem, method, wfm::SimulationSettings{seed, reps, jobs, 500, warmup});
    } catch (const std::invalid_argument& e) {
      throw InputError(Problem{"", 0, 0, "targets", std::string("infeasible: ") + e.what()});
    } catch (const std::domain_error& e) {
      throw InputError(Problem{"", 0, 0, "targets", std::string("infeasible: ") + e.what()});
    }
    const std::string text = json ? wfm::plan_json(plan).dump(2) + "\n" : wfm::plan_csv(plan);
    if (method == wfm::StaffingMethod::simulation)
      std::cerr << "switchboard staff: simulation settled in " << plan.rounds << " rounds\n";
    if (out.empty()) std::cout << text;
    else write_file_atomically(out, text);
    return kExitOk;
  });
}

}  // namespace switchboard::cli
