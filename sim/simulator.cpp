#include "sim/simulator.hpp"

namespace switchboard::sim {

Simulator::Simulator(const Scenario& scenario, RunOptions options) : world_(scenario, options, *this) {
  world_.answer_at_once();
  world_.take_back_patience();
}

KpiReport Simulator::run() {
  world_.start();
  RunStats& stats = world_.stats();  // the world counts events, calls and their peak
  const double hard_stop = world_.hard_stop();
  double now = 0;
  Event e;
  while (!events_.empty()) {
    events_.pop(e);
    if (e.time > hard_stop) break;
    now = e.time;
    world_.dispatch(now, e);
    if (world_.finished()) break;
  }
  stats.peak_event_list = events_.peak_size();
  return world_.report(now);
}

KpiReport simulate_once(const Scenario& scenario, const RunOptions& options, RunStats* stats) {
  Simulator sim(scenario, options);
  KpiReport report = sim.run();
  if (stats != nullptr) *stats = sim.stats();
  return report;
}

}  // namespace switchboard::sim
