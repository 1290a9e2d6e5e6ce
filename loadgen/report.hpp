// The load test's measurements and report.json: KPIs as the server's
// /metrics counted them (differences between scrapes), SIP health as SIPp
// saw it, next to the simulator's prediction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/scenario.hpp"
#include "loadgen/assertions.hpp"
#include "loadgen/caller_plan.hpp"
#include "loadgen/metrics_scrape.hpp"
#include "loadgen/prediction.hpp"
#include "loadgen/sipp_results.hpp"

namespace switchboard::loadgen {

// What happened during a run, as collected.
struct RunRecord {
  bool complete = true;
  std::string stopped_because;     // why it is incomplete
  std::string target;              // udp:HOST:PORT
  double time_scale = 1;
  double lead = 0;                 // wall seconds from the first scrape's clock origin to the window's start
  double wall_seconds = 0;         // the run's length
  std::vector<Scrape> scrapes;     // in order; empty when no /metrics
  SippCounts sipp;
  std::vector<double> invite_ms;   // SIPp's INVITE -> 200 times
  std::map<std::string, double> unexpected;  // read_sipp_unexpected
  struct ServerSample {
    double wall = 0, cpu_percent = 0, rss_mb = 0;  // CPU: of one core, since the previous sample
  };
  std::vector<ServerSample> server;  // with --serve: the server's CPU and memory at each scrape
};

// The server's KPIs between two scrapes, for one queue (empty: all).
WindowKpis measured(const Scrape& from, const Scrape& to, const std::string& queue = {});

// The scrape of the run closest before wall time `t` (the first if none is).
const Scrape& scrape_at(const std::vector<Scrape>& scrapes, double t);

// Measured KPIs of interval i of the window's intervals: counted when the
// calls ended (a counter moves then), between the interval's wall bounds.
std::vector<WindowKpis> measured_intervals(const Scenario& s, const PlanWindow& w, const RunRecord& run);

// The value `--assert` names, or nothing when this run cannot tell.
std::optional<double> measure_for_assertion(const Scenario& s, const RunRecord& run, const std::string& metric,
                                            const std::string& queue);

struct ReportInputs {
  const Scenario& scenario;
  std::uint64_t seed;
  const Plan& plan;
  const RunRecord& run;
  const Prediction& prediction;
  const std::vector<Verdict>& verdicts;
  const std::vector<Agreement>& agreements;  // empty without --agreement
};
nlohmann::json report_json(const ReportInputs& in);

}  // namespace switchboard::loadgen
