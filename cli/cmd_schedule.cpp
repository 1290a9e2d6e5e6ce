// `switchboard schedule`: a shift roster covering per-interval requirements
// at the least paid cost (integer program, COIN-OR CBC), with coverage.
#include <iostream>

#include <fmt/format.h>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "core/input_error.hpp"
#include "io/interval_series.hpp"
#include "wfm/roster_io.hpp"
#include "wfm/roster_verification.hpp"
#include "wfm/schedule.hpp"

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
timestamp,required,scheduled,short. --time-limit is wall-clock seconds;
when it passes, the best roster found so far is written and the summary
says so. The solver is deterministic (one thread, fixed seeds). A progress
line on stderr reports each better roster.

--verify simulates the roster against the plan's calls (agents on the
phones = scheduled x (1 - shrinkage)) and prints the mean service level and
the intervals under --target-sl; --assert-sl F exits 1 when the mean is
below F. Every input is read and checked before the solver starts.)";

}  // namespace

int schedule(const Args& args) {
  return guarded("schedule", [&] {
    std::string req_path, policy_path, out, coverage_path;
    double time_limit = 50, gap = 0.005, aht = -1, patience = -1, answer_within = 20, shrinkage = 0, target_sl = 0.8,
           assert_sl = -1;
    int reps = 10;
    std::uint64_t seed = 1;
    po::options_description options("options");
    options.add_options()
      ("requirements", po::value(&req_path)->required(), "per-interval plan: timestamp,...,agents_scheduled,... (from `staff`)")
      ("policy", po::value(&policy_path)->required(), "shift policy (YAML, docs/wfm.md)")
      ("out", po::value(&out)->required(), "roster CSV (written atomically)")
      ("coverage", po::value(&coverage_path), "coverage CSV per interval")
      ("json", "print the summary as JSON")
      ("time-limit", po::value(&time_limit)->default_value(50), "solver time limit, wall-clock seconds")
      ("gap", po::value(&gap)->default_value(0.005), "stop when within this relative gap of optimal")
      ("verbose", "show the solver's log")
      ("verify", "simulate the roster against the plan's calls and print the service level it reaches")
      ("aht", po::value(&aht), "--verify: average handle time, seconds")
      ("patience", po::value(&patience), "--verify: mean patience, seconds")
      ("answer-within", po::value(&answer_within)->default_value(20), "--verify: service-level threshold T")
      ("shrinkage", po::value(&shrinkage)->default_value(0), "--verify: share of scheduled time off the phones")
      ("target-sl", po::value(&target_sl)->default_value(0.8), "--verify: an interval below this is under target")
      ("assert-sl", po::value(&assert_sl), "--verify: exit 1 unless the mean simulated service level is at least this")
      ("reps", po::value(&reps)->default_value(10), "--verify: replications")
      ("seed", po::value(&seed)->default_value(1), "--verify: seed");
    po::variables_map vm;
    if (!parse_args(kUsage, args, options, po::positional_options_description(), vm)) return kExitOk;
    require_flag(time_limit > 0 && time_limit <= 86400, "--time-limit", "seconds, > 0");
    require_flag(gap >= 0 && gap < 1, "--gap", "a relative gap in [0, 1)");
    const bool verify = vm.count("verify") > 0;
    for (const char* flag : {"aht", "patience", "assert-sl"})
      require_flag(verify || !vm.count(flag), std::string("--") + flag, "--verify with it");
    if (verify) {
      require_flag(vm.count("aht") && aht > 0, "--aht", "the average handle time in seconds (needed by --verify)");
      require_flag(!vm.count("patience") || patience > 0, "--patience", "seconds, > 0");
      require_flag(shrinkage >= 0 && shrinkage < 1, "--shrinkage", "a share in [0, 1)");
      require_flag(answer_within >= 0, "--answer-within", "seconds, >= 0");
      require_flag(target_sl > 0 && target_sl <= 1, "--target-sl", "a share above 0, at most 1");
      require_flag(!vm.count("assert-sl") || (assert_sl >= 0 && assert_sl <= 1), "--assert-sl", "a share from 0 to 1");
      require_flag(reps >= 1 && reps <= 10000, "--reps", "a whole number from 1 to 10000");
    }
    check_output_file(out, "--out");
    if (!coverage_path.empty()) check_output_file(coverage_path, "--coverage");

    // Every input is read and checked before the solver starts.
    const wfm::Requirements req = wfm::read_requirements(req_path);
    const IntervalSeries calls = verify ? read_interval_column(req_path, "calls") : IntervalSeries{};
    const wfm::ShiftPolicy policy = wfm::load_shift_policy(policy_path);
    wfm::check_policy_grid(policy, req, policy_path);

    wfm::SolverLimits limits{time_limit, gap, vm.count("verbose") > 0, {}};
    limits.progress = [](const wfm::SolverProgress& p) {
      std::cerr << fmt::format("switchboard schedule: {:.1f} s: a roster costing {:.2f} (no roster below {:.2f})\n", p.seconds,
                               p.best_cost, p.bound);
    };
    wfm::Schedule result;
    try {
      const SilencedStdout quiet(vm.count("verbose") == 0);
      result = wfm::solve_schedule(req, policy, limits);
    } catch (const std::invalid_argument& e) {
      throw InputError(Problem{policy_path, 0, 0, "", std::string("impossible: ") + e.what()});
    }
    std::cerr << fmt::format("switchboard schedule: solved in {:.1f} s{}\n", result.seconds,
                             result.time_limit_hit ? " (time limit reached)" : "");

    std::vector<std::pair<std::filesystem::path, std::string>> files{{out, wfm::roster_csv(result)}};
    if (!coverage_path.empty()) files.emplace_back(coverage_path, wfm::coverage_csv(req, result));
    write_files_atomically(files, "--out");  // the roster and its coverage together, or neither
    if (vm.count("json")) std::cout << wfm::summary_json(req, result).dump(2) << "\n";
    else std::cout << wfm::summary_text(req, result);

    if (!verify) return kExitOk;
    wfm::VerificationProblem problem;
    problem.queue.aht = aht;
    if (vm.count("patience")) problem.queue.patience = patience;
    problem.queue.targets.answer_within = answer_within;
    problem.queue.shrinkage = shrinkage;
    problem.target_sl = target_sl;
    problem.simulation = wfm::SimulationSettings{seed, reps, 1, 1};
    const wfm::Verification v = wfm::verify_roster(req, calls.calls, result, problem);
    std::cout << wfm::verification_text(v);
    if (vm.count("assert-sl") && v.mean_service_level < assert_sl) {
      std::cerr << "switchboard schedule: threshold missed: mean simulated service level below --assert-sl\n";
      return kExitThresholdMissed;
    }
    return kExitOk;
  });
}

}  // namespace switchboard::cli
