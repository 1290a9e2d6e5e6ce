// `switchboard loadtest SCENARIO`: the scenario's callers on real SIP with
// SIPp, judged against thresholds and the simulator (loadgen/loadtest.hpp).
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "io/scenario_loader.hpp"
#include "loadgen/loadtest.hpp"

namespace po = boost::program_options;

namespace switchboard::cli {

namespace {
const char* kUsage = R"(usage: switchboard loadtest SCENARIO.yaml (--serve | --target udp:HOST:PORT) [options]

Places the scenario's calls on a SIP call center with SIPp: arrivals of
every call type as the simulator draws them (same seed), time-compressed by
--time-scale, each caller pressing the digits, waiting with the patience and
taking the callbacks the scenario's behaviour models give it. Scrapes the
server's /metrics during the run, then writes DIR/report.json: the run's
KPIs next to the simulator's prediction, SIP health, and the verdicts of
--assert and --agreement. docs/loadtest.md has the details.
Exit status: 0 ok, 1 a threshold or agreement missed, 2 bad input,
130 interrupted (the report is still written, marked incomplete).)";
}  // namespace

int loadtest(const Args& args) {
  return guarded("loadtest", [&] {
    loadgen::LoadtestOptions o;
    bool serve = false;
    po::options_description options("options");
    options.add_options()
      ("scenario", po::value(&o.scenario_path)->required(), "scenario file (YAML)")
      ("serve", po::bool_switch(&serve), "start `switchboard serve` on the scenario (loopback, free ports, virtual agents)")
      ("target", po::value(&o.target), "udp:HOST:PORT of a SIP call center that is already running")
      ("metrics", po::value(&o.metrics), "with --target: HOST:PORT of its Prometheus /metrics")
      ("time-scale", po::value(&o.time_scale)->default_value(1), "scenario seconds per wall second (the server runs with the same)")
      ("window", po::value(&o.window), "HH:MM-HH:MM: only this part of the scenario's day")
      ("seed", po::value(&o.seed)->default_value(1), "random seed of callers, virtual agents and the simulator's prediction")
      ("out", po::value(&o.out_dir)->default_value("loadtest-report"), "directory for report.json")
      ("assert", po::value(&o.assertions)->composing(), "threshold, e.g. failed_calls==0, invite_p99_ms<50, sl{queue=billing}>=0.9 (repeatable)")
      ("agreement", po::bool_switch(&o.agreement), "SL, ASA, abandonment and handled must lie within the simulator's 99% interval for one run")
      ("reps", po::value(&o.replications)->default_value(30), "replications of the simulator's prediction")
      ("sipp-processes", po::value(&o.sipp_processes), "SIPp processes sharing the calls (default: one per 10,000 callers, at most one per core)")
      ("drain", po::value(&o.drain)->default_value(120), "wall seconds after the last arrival for calls in progress to end");
    po::positional_options_description positional;
    positional.add("scenario", 1);
    po::variables_map vm;
    if (!parse_args(kUsage, args, options, positional, vm)) return kExitOk;
    require_flag(serve != !o.target.empty(), "--serve", "either --serve or --target udp:HOST:PORT");
    require_flag(o.metrics.empty() || !serve, "--metrics", "only with --target (--serve scrapes its own server)");
    require_flag(std::isfinite(o.time_scale) && o.time_scale > 0 && o.time_scale <= 10000, "--time-scale", "a factor > 0 and at most 10000");
    require_flag(o.replications >= 2 && o.replications <= 10000, "--reps", "a whole number from 2 to 10000");
    require_flag(vm.count("sipp-processes") == 0 || (o.sipp_processes >= 1 && o.sipp_processes <= 64), "--sipp-processes",
                 "a whole number from 1 to 64");
    require_flag(std::isfinite(o.drain) && o.drain >= 0, "--drain", "seconds >= 0");
    if (serve) o.serve_command = {std::filesystem::read_symlink("/proc/self/exe").string(), "serve"};
    const Scenario scenario = load_scenario(o.scenario_path);
    return loadgen::run_loadtest(scenario, o);
  });
}

}  // namespace switchboard::cli
