// The ways a simulation summary leaves the program: a readable terminal
// table, one JSON document, and CSV files per interval, queue, group and
// for the totals. Every format uses the KPI names of docs/kpis.md.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/scenario.hpp"
#include "sim/replications.hpp"

namespace switchboard::sim {

struct RunInfo {
  std::uint64_t seed = 1;
  std::string engine = "event-list";
};

nlohmann::json to_json(const Scenario& scenario, const RunInfo& info, const Summary& summary);
std::string to_table(const Scenario& scenario, const RunInfo& info, const Summary& summary);
// The names to_files() writes, so that a command can check its output
// directory before any work starts: totals.csv, intervals.csv, queues.csv,
// groups.csv, summary.json.
const std::vector<std::string>& output_file_names();
// File name -> contents, in the order of output_file_names().
std::vector<std::pair<std::string, std::string>> to_files(const Scenario& scenario, const RunInfo& info,
                                                          const Summary& summary);

// "08:15" for a time on the horizon (clock = start_clock + t).
std::string clock_label(const Horizon& horizon, double t);

}  // namespace switchboard::sim
