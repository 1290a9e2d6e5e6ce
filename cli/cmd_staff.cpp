// `switchboard staff`: agents required per interval to meet service targets.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include <fmt/format.h>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "core/input_error.hpp"
#include "core/interval_series.hpp"
#include "core/scenario_loader.hpp"
#include "wfm/forecast_plan.hpp"
#include "wfm/staffing.hpp"
#include "wfm/staffing_simulation.hpp"

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
whole day each round, queues carried over between intervals, until every
interval meets its targets with the fewest agents; the rounds taken are
reported.

Output (CSV, or --json: {"method", "interval_seconds", "aht_seconds",
"intervals": [one object per row with the same keys]}), one row per interval:
  timestamp,calls,workload_erlangs,agents_required,agents_scheduled,
  service_level,asa_seconds,p_abandon
workload_erlangs = calls * AHT / interval; agents_required: the fewest on the
phones meeting every target; agents_scheduled = ceil(agents_required /
(1 - shrinkage)); the last three are expected at agents_required.)";

struct Demand {
  std::vector<std::int64_t> start;
  std::vector<double> calls;
  double interval = 900;
};

// What one call type of a scenario asks of the agents.
struct TypeLoad {
  std::vector<double> calls;  // per scenario interval
  double aht = 0;             // mean talk + mean wrap-up of the groups serving it
  std::optional<double> patience;
};

// Queues a call type can reach: its entry queue, or every queue node of the
// IVR reachable from its entry node (whichever menu branch callers take).
std::vector<int> queues_reached(const Scenario& s, const CallType& t) {
  if (t.entry_queue != kNone) return {t.entry_queue};
  std::vector<int> queues;
  std::vector<bool> seen(s.ivr.size(), false);
  std::vector<int> todo{t.entry_node};
  while (!todo.empty()) {
    const int n = todo.back();
    todo.pop_back();
    if (n < 0 || n >= static_cast<int>(s.ivr.size()) || seen[n]) continue;
    seen[n] = true;
    const IvrNode& node = s.ivr[n];
    if (node.kind == IvrKind::queue && node.queue != kNone) queues.push_back(node.queue);
    for (int next : {node.next, node.on_fail, node.tagged_next}) todo.push_back(next);
    for (const auto& o : node.options) todo.push_back(o.next);
  }
  return queues;
}

// Mean wrap-up of the groups with the skill of any queue the type reaches.
double wrap_up_of(const Scenario& s, const CallType& t) {
  double sum = 0;
  int groups = 0;
  const std::vector<int> queues = queues_reached(s, t);
  for (const auto& g : s.groups) {
    bool serves = false;
    for (int q : queues)
      for (const auto& sk : g.skills) serves = serves || sk.skill == s.queues[q].skill;
    if (serves) {
      sum += g.wrap_up.expected();
      ++groups;
    }
  }
  return groups ? sum / groups : 0;
}

TypeLoad load_of(const Scenario& s, const CallType& t) {
  TypeLoad l;
  const int n = s.horizon.intervals();
  const double step = s.horizon.interval;
  l.calls.assign(n, 0);
  const ArrivalSpec& a = t.arrivals;
  if (a.kind == ArrivalKind::poisson || a.kind == ArrivalKind::poisson_gamma || a.kind == ArrivalKind::deterministic) {
    for (int i = 0; i < n && !a.rate_per_hour.empty(); ++i) {
      const double rate = a.rate_per_hour.size() == 1 ? a.rate_per_hour[0] : a.rate_per_hour[std::min<std::size_t>(i, a.rate_per_hour.size() - 1)];
      l.calls[i] = rate * a.scale * step / 3600;
    }
  }
  for (const auto& b : a.bins) {
    const int i = static_cast<int>(b.start / step);
    if (i >= 0 && i < n) l.calls[i] += b.calls * a.scale;
  }
  for (double ts : a.timestamps) {
    const int i = static_cast<int>(ts / step);
    if (i >= 0 && i < n) l.calls[i] += 1;
  }
  l.aht = t.handle_time.expected() + wrap_up_of(s, t);
  if (t.patience.kind != DistKind::none) l.patience = t.patience.expected();
  return l;
}

std::string number(double v) { return std::isfinite(v) ? fmt::format("{:.6g}", v) : "inf"; }

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
      ("reps", po::value(&reps)->default_value(10), "simulation: replications per round")
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

    wfm::StaffingProblem problem;
    Demand demand;
    if (!arrivals_path.empty()) {
      require_flag(vm.count("aht") > 0, "--aht", "the average handle time in seconds (needed with --arrivals)");
      const IntervalSeries series =
          wfm::read_demand(arrivals_path, vm.count("quantile") ? std::optional<double>(quantile) : std::nullopt);
      demand.start = series.start;
      demand.calls = series.calls;
      demand.interval = static_cast<double>(series.step);
      problem.aht = aht;
      if (vm.count("patience")) problem.patience = patience;
      problem.targets.answer_within = vm.count("answer-within") ? answer_within : 20;
    } else {
      require_flag(!vm.count("quantile"), "--quantile", "a forecast file given with --arrivals (a scenario has no quantile columns)");
      std::int64_t date = 0;
      require_flag(parse_date(date_text, date), "--date", "a date YYYY-MM-DD");
      const Scenario s = load_scenario(scenario_path);
      // The call types are pooled into one queue served by all agents: AHT
      // and patience are their means weighted by each type's calls.
      demand.interval = s.horizon.interval;
      const int n = s.horizon.intervals();
      demand.calls.assign(n, 0);
      for (int i = 0; i < n; ++i)
        demand.start.push_back(date + static_cast<std::int64_t>(std::llround(s.horizon.start_clock + i * s.horizon.interval)));
      double calls = 0, work = 0, patience_sum = 0;
      bool all_patient = true;
      for (const auto& t : s.call_types) {
        const TypeLoad l = load_of(s, t);
        double type_calls = 0;
        for (int i = 0; i < n; ++i) {
          demand.calls[i] += l.calls[i];
          type_calls += l.calls[i];
        }
        calls += type_calls;
        work += type_calls * l.aht;
        if (l.patience) patience_sum += type_calls * *l.patience;
        all_patient = all_patient && l.patience.has_value();
      }
      if (vm.count("aht")) problem.aht = aht;
      else {
        require_flag(calls > 0 && work > 0, "--aht", "a handle time: the scenario's calls give none");
        problem.aht = work / calls;
      }
      if (vm.count("patience")) problem.patience = patience;
      else if (all_patient && calls > 0 && patience_sum > 0) problem.patience = patience_sum / calls;
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

    wfm::StaffingMethod method = problem.patience ? wfm::StaffingMethod::erlang_a : wfm::StaffingMethod::erlang_c;
    if (vm.count("method")) {
      if (method_name == "erlang-c") method = wfm::StaffingMethod::erlang_c;
      else if (method_name == "erlang-a") method = wfm::StaffingMethod::erlang_a;
      else if (method_name == "simulation") method = wfm::StaffingMethod::simulation;
      else require_flag(false, "--method", "erlang-c, erlang-a or simulation");
    }
    const wfm::StaffingMethod analytic =
        method == wfm::StaffingMethod::simulation
            ? (problem.patience ? wfm::StaffingMethod::erlang_a : wfm::StaffingMethod::erlang_c)
            : method;
    auto infeasible = [](const std::exception& e) {
      return InputError(Problem{"", 0, 0, "targets", std::string("infeasible: ") + e.what()});
    };
    try {
      wfm::check_feasible(problem, analytic);
    } catch (const std::invalid_argument& e) {
      throw infeasible(e);
    }

    std::vector<wfm::IntervalStaffing> rows;
    int rounds = 0;
    try {
      for (double c : demand.calls) rows.push_back(wfm::staff_interval(c, problem, analytic));
      if (method == wfm::StaffingMethod::simulation) {
        // Each run of contiguous intervals (a day) is simulated on its own:
        // no queue is carried over a night or a weekend.
        for (const auto& [first, last] : contiguous_runs(demand.start, static_cast<std::int64_t>(demand.interval))) {
          std::vector<double> calls(demand.calls.begin() + first, demand.calls.begin() + last);
          std::vector<int> start;
          for (std::size_t i = first; i < last; ++i) start.push_back(rows[i].required);
          const auto plan = wfm::staff_by_simulation(calls, problem, start, wfm::SimulationSettings{seed, reps, jobs, 500});
          rounds += plan.rounds;
          for (std::size_t i = first; i < last; ++i) {
            rows[i].required = plan.required[i - first];
            rows[i].scheduled = wfm::scheduled_agents(rows[i].required, shrinkage);
            rows[i].expected = plan.expected[i - first];
          }
        }
      }
    } catch (const std::invalid_argument& e) {
      throw infeasible(e);
    } catch (const std::domain_error& e) {
      throw infeasible(e);
    }

    std::string text;
    if (json) {
      nlohmann::json j;
      j["method"] = method == wfm::StaffingMethod::erlang_c ? "erlang-c" : method == wfm::StaffingMethod::erlang_a ? "erlang-a" : "simulation";
      j["interval_seconds"] = demand.interval;
      j["aht_seconds"] = problem.aht;
      if (problem.patience) j["patience_seconds"] = *problem.patience;
      if (method == wfm::StaffingMethod::simulation) j["rounds"] = rounds;
      j["intervals"] = nlohmann::json::array();
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        j["intervals"].push_back({{"timestamp", format_timestamp(demand.start[i])}, {"calls", r.calls},
                                  {"workload_erlangs", r.workload}, {"agents_required", r.required},
                                  {"agents_scheduled", r.scheduled}, {"service_level", r.expected.service_level},
                                  {"asa_seconds", std::isfinite(r.expected.asa) ? r.expected.asa : -1},
                                  {"p_abandon", r.expected.p_abandon}});
      }
      text = j.dump(2) + "\n";
    } else {
      text = "timestamp,calls,workload_erlangs,agents_required,agents_scheduled,service_level,asa_seconds,p_abandon\n";
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        text += fmt::format("{},{},{},{},{},{},{},{}\n", format_timestamp(demand.start[i]), r.calls,
                            number(r.workload), r.required, r.scheduled, number(r.expected.service_level),
                            number(r.expected.asa), number(r.expected.p_abandon));
      }
    }
    if (method == wfm::StaffingMethod::simulation) std::cerr << "switchboard staff: simulation settled in " << rounds << " rounds\n";
    if (out.empty()) std::cout << text;
    else write_file_atomically(out, text);
    return kExitOk;
  });
}

}  // namespace switchboard::cli
