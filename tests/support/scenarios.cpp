#include "support/scenarios.hpp"

#include "sim/single_queue.hpp"

namespace switchboard::test {

Scenario mmc(double calls_per_hour, double aht, int agents, double patience_mean, double hours, double warmup_hours) {
  sim::SingleQueue m;
  m.calls_per_hour = {calls_per_hour};
  m.agents = {agents};
  m.length = hours * 3600;
  m.warmup = warmup_hours * 3600;
  m.aht = aht;
  if (patience_mean > 0) m.patience = patience_mean;
  Scenario s = sim::single_queue_scenario(m);
  s.name = "mmc";
  return s;
}

}  // namespace switchboard::test
