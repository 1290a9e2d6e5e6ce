// `switchboard simulate SCENARIO`: replications of a scenario in the
// discrete-event simulator, with KPIs and 95% confidence intervals.
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <cstdio>
#include <iostream>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/modules.hpp"
#include "io/scenario_loader.hpp"
#include "sim/openmetrics.hpp"
#include "sim/replications.hpp"
#include "sim/simgrid/simgrid_replications.hpp"
#include "sim/summary_io.hpp"

namespace po = boost::program_options;

namespace switchboard::cli {

namespace {

const char* kUsage = R"(usage: switchboard simulate SCENARIO.yaml [options]

Runs independent replications of the scenario and prints, for the whole
horizon and each interval, offered / handled / abandoned / contained calls,
service level, ASA, waits, AHT, occupancy, queue lengths, callbacks,
overflows and tickets, each with a 95% confidence interval (docs/kpis.md).
Exit status: 0 ok, 1 an --assert-* threshold missed, 2 bad input.)";

// A one-line bar on stderr, shown only on a terminal and only once the run
// has taken more than a second.
class ProgressBar {
 public:
  explicit ProgressBar(int total) : total_(total), enabled_(isatty(STDERR_FILENO) != 0) {}
  void update(int done) {
    if (!enabled_) return;
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    if (elapsed < std::chrono::seconds(1) && done < total_) return;
    if (!shown_ && done == total_) return;  // finished within a second: no bar at all
    shown_ = true;
    const int width = 30;
    const int filled = width * done / total_;
    std::fprintf(stderr, "\r[%s%s] %d/%d replications", std::string(filled, '#').c_str(),
                 std::string(width - filled, ' ').c_str(), done, total_);
    if (done == total_) std::fprintf(stderr, "\n");
  }

 private:
  int total_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

std::string today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

}  // namespace

int simulate(const Args& args) {
  return guarded("simulate", [&] {
    std::string scenario_path, format = "table", out_dir, engine = "event-list", platform, metrics_out, metrics_date;
    int reps = 30, jobs = 1;
    std::uint64_t seed = 1;
    double assert_sl = -1, assert_asa = -1, assert_abandon = -1;
    po::options_description options("options");
    options.add_options()
      ("scenario", po::value(&scenario_path)->required(), "scenario file (YAML)")
      ("reps", po::value(&reps)->default_value(30), "independent replications (>= 1)")
      ("seed", po::value(&seed)->default_value(1), "random seed; same seed, same numbers")
      ("jobs", po::value(&jobs)->default_value(1), "replications run in parallel (results identical to --jobs 1)")
      ("format", po::value(&format)->default_value("table"), "table | json")
      ("out", po::value(&out_dir), "also write totals.csv, intervals.csv, queues.csv, groups.csv, summary.json here")
      ("engine", po::value(&engine)->default_value("event-list"), "event-list | simgrid (docs/simgrid.md)")
      ("platform", po::value(&platform), "simgrid: platform file (default: the scenario's platform, else an ideal one)")
      ("metrics-out", po::value(&metrics_out), "also write the day as OpenMetrics with timestamps (/metrics' names, source=\"simulation\"; docs/dashboards.md)")
      ("metrics-date", po::value(&metrics_date), "with --metrics-out: the date (YYYY-MM-DD, UTC) the scenario's clock is placed on; default today")
      ("assert-sl", po::value(&assert_sl), "exit 1 unless the mean service level is at least this")
      ("assert-asa", po::value(&assert_asa), "exit 1 unless the mean ASA (seconds) is at most this")
      ("assert-abandon", po::value(&assert_abandon), "exit 1 unless abandoned / offered is at most this");
    po::positional_options_description positional;
    positional.add("scenario", 1);
    po::variables_map vm;
    if (!parse_args(kUsage, args, options, positional, vm)) return kExitOk;
    require_flag(reps >= 1 && reps <= 100000, "--reps", "a whole number from 1 to 100000");
    require_flag(jobs >= 1 && jobs <= 1024, "--jobs", "a whole number from 1 to 1024");
    require_flag(format == "table" || format == "json", "--format", "table or json");
    require_flag(engine == "event-list" || engine == "simgrid", "--engine", "event-list or simgrid");
    require_flag(platform.empty() || engine == "simgrid", "--platform", "--engine simgrid with a platform");
    require_flag(!vm.count("assert-sl") || (assert_sl >= 0 && assert_sl <= 1), "--assert-sl", "a fraction from 0 to 1");
    require_flag(!vm.count("assert-asa") || assert_asa >= 0, "--assert-asa", "seconds, >= 0");
    require_flag(!vm.count("assert-abandon") || (assert_abandon >= 0 && assert_abandon <= 1), "--assert-abandon",
                 "a fraction from 0 to 1");

    require_flag(metrics_date.empty() || !metrics_out.empty(), "--metrics-date", "--metrics-out with it");
    const double midnight = metrics_out.empty() ? 0 : sim::midnight_utc(metrics_date.empty() ? today_utc() : metrics_date, "--metrics-date");
    if (!metrics_out.empty()) check_output_file(metrics_out, "--metrics-out");
    if (!out_dir.empty()) check_output_dir(out_dir, sim::output_file_names(), "--out");

    const Scenario scenario = load_scenario(scenario_path);
    ProgressBar bar(reps);
    const sim::ReplicationPlan plan{seed, reps, jobs};
    const auto progress = [&](int done) { bar.update(done); };
    const sim::ReplicationResults results =
        engine == "simgrid" ? module_function<decltype(&sim::run_simgrid_replications)>("simgrid")(scenario, platform.empty() ? scenario.platform : platform, plan, progress)
                            : sim::run_replications(scenario, plan, progress);
    const sim::Summary summary = sim::summarize(results.reports);
    const sim::RunInfo info{seed, engine};
    if (!out_dir.empty()) write_files_atomically(out_dir, sim::to_files(scenario, info, summary));
    if (!metrics_out.empty()) write_file_atomically(metrics_out, sim::to_openmetrics(scenario, results.reports, midnight));
    if (format == "json") std::cout << sim::to_json(scenario, info, summary).dump(2) << "\n";
    else std::cout << sim::to_table(scenario, info, summary);

    auto mean = [&](CallKpi k) { return summary.total[static_cast<int>(k)].mean; };
    bool missed = false;
    auto check = [&](bool ok, const std::string& what) {
      if (!ok) {
        std::cerr << "switchboard simulate: threshold missed: " << what << "\n";
        missed = true;
      }
    };
    if (vm.count("assert-sl")) check(mean(CallKpi::service_level) >= assert_sl, "service level below --assert-sl");
    if (vm.count("assert-asa")) check(mean(CallKpi::asa) <= assert_asa, "ASA above --assert-asa");
    if (vm.count("assert-abandon")) {
      const double offered = mean(CallKpi::offered);
      check(offered <= 0 || mean(CallKpi::abandoned) / offered <= assert_abandon, "abandonment above --assert-abandon");
    }
    return missed ? kExitThresholdMissed : kExitOk;
  });
}

}  // namespace switchboard::cli
