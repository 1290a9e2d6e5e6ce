// `switchboard loadtest`: the scenario's callers on real SIP (SIPp), the
// server's /metrics scraped as it runs, then report.json with the run's KPIs
// next to the simulator's prediction, SIP health, and the verdicts of
// --assert and --agreement (docs/loadtest.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/scenario.hpp"

namespace switchboard::loadgen {

struct LoadtestOptions {
  std::string scenario_path;               // given to `serve` with --serve
  std::vector<std::string> serve_command;  // e.g. {"/path/to/switchboard", "serve"}; empty: --target
  std::string target;                      // "udp:HOST:PORT" without --serve
  std::string metrics;                     // HOST:PORT of the target's /metrics; empty: none (--serve sets its own)
  double time_scale = 1;
  std::string window;                      // "HH:MM-HH:MM"; empty: the whole horizon
  std::uint64_t seed = 1;
  std::string out_dir = "loadtest-report";
  std::vector<std::string> assertions;
  bool agreement = false;
  int sipp_processes = 0;  // 0: one per kCallersPerSipp callers of the plan, at most one per core
  int replications = 30;                   // the simulator's prediction
  double drain = 120;                      // wall seconds after the last arrival for calls to end
  bool progress = true;                    // the progress line (shown only on a terminal)
};

// Exit status: 0 ok, 1 a threshold or an agreement check missed, 130
// interrupted (the report is written, marked incomplete). Throws InputError
// for bad input (exit 2): flags, an empty window, SIPp missing, a target
// that does not answer OPTIONS, an --out that cannot be written.
int run_loadtest(const Scenario& scenario, const LoadtestOptions& options);

}  // namespace switchboard::loadgen
