// The SimGrid engine: runs one replication of a scenario with SimGrid timing
// it on a platform. The world (behaviour models, core) is the same as the
// event-list engine's; this engine decides when each event happens:
// - signalling to and from an agent's site crosses the route between the
//   core host and that site (its latency, from SimGrid's routing);
// - every event the core handles costs switchboard.event_flops on the core
//   host: an execution on that host, so a saturated core falls behind;
// - a site whose link fails loses its agents; their calls go back to queue.
// With no platform (or an ideal one) the results equal the event-list
// engine's bit for bit.
//
// SimGrid's Engine is one per process: run one replication per process
// (replications in parallel run as separate processes).
#pragma once

#include <string>

#include "core/kpi.hpp"
#include "core/scenario.hpp"
#include "sim/world.hpp"

namespace switchboard::sim {

struct SimGridStats {
  RunStats run;
  double core_busy_seconds = 0;   // CPU time the core's events took
  double max_core_lag = 0;        // how far the core fell behind an event's time
};

// `platform`: a SimGrid XML file, or empty for an ideal single host.
// Throws InputError for a platform that does not parse or does not match
// the scenario.
KpiReport simulate_on_simgrid(const Scenario& scenario, const std::string& platform, const RunOptions& options,
                              SimGridStats* stats = nullptr);

}  // namespace switchboard::sim
