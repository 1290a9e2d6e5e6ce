// `switchboard schedule`: a shift roster covering per-interval requirements
// at the least paid cost (integer program, COIN-OR CBC), with coverage.
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "core/input_error.hpp"
#include "core/interval_series.hpp"
#include "wfm/schedule.hpp"
#include "wfm/staffing_simulation.hpp"

namespace po = boost::program_options;

namespace switchboard::cli {

namespace {

const char* kUsage = R"(usage: switchboard schedule --requirements PLAN.csv --policy SHIFTS.yaml --out ROSTER.csv [--coverage COVERAGE.csv] [options]

Builds the cheapest roster (paid hours x cost) whose agents on duty cover
agents_scheduled of every interval of PLAN.csv (the output of `switchboard
staff`; intervals absent from it are closed and never staffed). When full
coverage is impossible (e.g. max_agents too low) the shortfall is bought at
the policy's short_penalty and the short intervals are reported.

ROSTER.csv: day,shift,start,end,breaks,agents (breaks like
"10:30-10:45 paid;12:00-12:30 unpaid"). COVERAGE.csv:
timestamp,required,scheduled,short. --verify simulates the roster against
the plan's calls (agents on the phones = scheduled x (1 - shrinkage)) and
prints the service level per interval.)";

std::string clock(double seconds) {
  const int m = static_cast<int>(std::lround(seconds / 60));
  return fmt::format("{:02}:{:02}", m / 60, m % 60);
}

}  // namespace

int schedule(const Args& args) {
  return guarded("schedule", [&] {
    std::string req_path, policy_path, out, coverage_path;
    double time_limit = 50, gap = 0.005, aht = -1, patience = -1, answer_within = 20, shrinkage = 0;
    int reps = 10;
    std::uint64_t seed = 1;
    po::options_description options("options");
    options.add_options()
      ("requirements", po::value(&req_path)->required(), "per-interval plan: timestamp,...,agents_scheduled,... (from `staff`)")
      ("policy", po::value(&policy_path)->required(), "shift policy (YAML, docs/wfm.md)")
      ("out", po::value(&out)->required(), "roster CSV (written atomically)")
      ("coverage", po::value(&coverage_path), "coverage CSV per interval")
      ("json", "print the summary as JSON")
      ("time-limit", po::value(&time_limit)->default_value(50), "solver time limit, seconds")
      ("gap", po::value(&gap)->default_value(0.005), "stop when within this relative gap of optimal")
      ("verbose", "show the solver's log")
      ("verify", "simulate the roster against the plan's calls and print SL per interval")
      ("aht", po::value(&aht), "--verify: average handle time, seconds")
      ("patience", po::value(&patience), "--verify: mean patience, seconds")
      ("answer-within", po::value(&answer_within)->default_value(20), "--verify: service-level threshold T")
      ("shrinkage", po::value(&shrinkage)->default_value(0), "--verify: share of scheduled time off the phones")
      ("reps", po::value(&reps)->default_value(10), "--verify: replications")
      ("seed", po::value(&seed)->default_value(1), "--verify: seed");
    po::variables_map vm;
    if (!parse_args(kUsage, args, options, po::positional_options_description(), vm)) return kExitOk;
    require_flag(time_limit > 0 && time_limit <= 86400, "--time-limit", "seconds, > 0");
    require_flag(gap >= 0 && gap < 1, "--gap", "a relative gap in [0, 1)");
    const bool verify = vm.count("verify") > 0;
    if (verify) {
      require_flag(vm.count("aht") && aht > 0, "--aht", "the average handle time in seconds (needed by --verify)");
      require_flag(!vm.count("patience") || patience > 0, "--patience", "seconds, > 0");
      require_flag(shrinkage >= 0 && shrinkage < 1, "--shrinkage", "a share in [0, 1)");
      require_flag(reps >= 1 && reps <= 10000, "--reps", "a whole number from 1 to 10000");
    }

    const IntervalSeries plan = read_interval_column(req_path, "agents_scheduled");
    wfm::Requirements req;
    req.step = plan.step > 0 ? plan.step : 900;
    req.start = plan.start;
    for (std::size_t i = 0; i < plan.calls.size(); ++i) {
      if (plan.calls[i] != std::floor(plan.calls[i]))
        throw InputError(Problem{req_path, static_cast<int>(i) + 2, 0, "agents_scheduled", "expected a whole number of agents"});
      req.agents.push_back(static_cast<int>(plan.calls[i]));
    }
    const wfm::ShiftPolicy policy = wfm::load_shift_policy(policy_path);
    for (double s : policy.starts)
      if (std::fmod(s, static_cast<double>(req.step)) != 0)
        throw InputError(Problem{policy_path, 0, 0, "starts", "start " + clock(s) + " is not on the plan's " +
                                                                 std::to_string(req.step / 60) + "-minute grid"});
    wfm::Schedule result;
    try {
      const SilencedStdout quiet(vm.count("verbose") == 0);
      result = wfm::solve_schedule(req, policy, wfm::SolverLimits{time_limit, gap, vm.count("verbose") > 0});
    } catch (const std::invalid_argument& e) {
      throw InputError(Problem{policy_path, 0, 0, "", std::string("impossible: ") + e.what()});
    }

    std::string roster = "day,shift,start,end,breaks,agents\n";
    for (const auto& line : result.roster) {
      std::string breaks;
      for (const auto& b : line.breaks)
        breaks += (breaks.empty() ? "" : ";") + clock(b.start) + "-" + clock(b.start + b.length) + (b.paid ? " paid" : " unpaid");
      roster += fmt::format("{},{}+{}h,{},{},{},{}\n", format_date(line.day), clock(line.start), line.length / 3600,
                            clock(line.start), clock(line.start + line.length), breaks, line.agents);
    }
    std::vector<std::pair<std::filesystem::path, std::string>> files{{out, roster}};
    if (!coverage_path.empty()) {
      std::string coverage = "timestamp,required,scheduled,short\n";
      for (std::size_t i = 0; i < req.start.size(); ++i)
        coverage += fmt::format("{},{},{},{}\n", format_timestamp(req.start[i]), req.agents[i], result.scheduled[i], result.short_by[i]);
      files.emplace_back(coverage_path, coverage);
    }
    for (const auto& [path, text] : files) write_file_atomically(path, text);

    if (vm.count("json")) {
      nlohmann::json short_list = nlohmann::json::array();
      for (std::size_t i = 0; i < req.start.size(); ++i)
        if (result.short_by[i] > 0) short_list.push_back({{"timestamp", format_timestamp(req.start[i])}, {"short", result.short_by[i]}});
      std::cout << nlohmann::json{{"paid_hours", result.paid_hours}, {"cost", result.cost}, {"shifts", result.roster.size()},
                                  {"intervals_short", result.intervals_short}, {"short", short_list}, {"gap", result.gap},
                                  {"optimal", result.optimal}, {"solve_seconds", result.seconds}}.dump(2) << "\n";
    } else {
      std::cout << fmt::format("roster: {} shift lines, {:.2f} paid hours, cost {:.2f}; solved in {:.2f} s, gap {:.3f}%{}\n",
                               result.roster.size(), result.paid_hours, result.cost, result.seconds, 100 * result.gap,
                               result.optimal ? " (optimal)" : "");
      std::cout << fmt::format("intervals short: {}\n", result.intervals_short);
      for (std::size_t i = 0; i < req.start.size(); ++i)
        if (result.short_by[i] > 0) std::cout << "  short " << result.short_by[i] << " at " << format_timestamp(req.start[i]) << "\n";
    }

    if (verify) {
      const IntervalSeries calls = read_interval_column(req_path, "calls");
      wfm::StaffingProblem problem;
      problem.interval = static_cast<double>(req.step);
      problem.aht = aht;
      if (vm.count("patience")) problem.patience = patience;
      problem.targets.answer_within = answer_within;
      std::cout << "verify: simulated service level per interval (answered within " << answer_within << " s)\n";
      for (const auto& [first, last] : contiguous_runs(req.start, req.step)) {
        std::vector<double> day_calls(calls.calls.begin() + first, calls.calls.begin() + last);
        std::vector<int> on_phones;
        for (std::size_t i = first; i < last; ++i)
          on_phones.push_back(static_cast<int>(std::floor(result.scheduled[i] * (1 - shrinkage) + 1e-9)));
        const auto metrics = wfm::simulate_plan(day_calls, problem, on_phones, wfm::SimulationSettings{seed, reps, 1, 1});
        for (std::size_t i = first; i < last; ++i)
          std::cout << fmt::format("  {} agents {:>4} SL {:.3f} ASA {:.1f} s\n", format_timestamp(req.start[i]), on_phones[i - first],
                                   metrics[i - first].service_level, metrics[i - first].asa);
      }
    }
    return kExitOk;
  });
}

}  // namespace switchboard::cli
