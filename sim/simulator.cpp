#include "sim/simulator.hpp"

namespace switchboard::sim {

Simulator::Simulator(const Scenario& scenario, RunOptions options) : world_(scenario, options, *this) {
  world_.answer_at_once();
  world_.take_back_patience();
}

KpiReport Simulator::run() {
  world_.start();
  RunStats& stats = world_.stats();
  const double hard_stop = world_.hard_stop();
  double now = 0;
  Event e;
  while (!events_.empty()) {
    events_.pop(e);
    if (e.time > hard_stop) break;
    now = e.time;
    world_.dispatch(now, e);
    if (world_.core().calls_in_system() > stats.peak_calls_in_system)
      stats.peak_calls_in_system = world_.core().calls_in_system();
    if (events_.size() > stats.peak_event_list) stats.peak_event_list = events_.size();
    if (world_.finished()) break;
  }
  return world_.report(now);
}

KpiReport simulate_once(const Scenario& scenario, const RunOptions& options, RunStats* stats) {
  Simulator sim(scenario, options);
  KpiReport report = sim.run();
  if (stats != nullptr) *stats = sim.stats();
  return report;
}

}  // namespace switchboard::sim
