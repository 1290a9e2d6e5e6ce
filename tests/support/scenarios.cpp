#include "support/scenarios.hpp"

namespace switchboard::test {

Scenario mmc(double calls_per_hour, double aht, int agents, double patience_mean, double hours,
             double warmup_hours) {
  Scenario s;
  s.name = "mmc";
  s.horizon.length = hours * 3600;
  s.horizon.interval = 900;
  s.horizon.warmup = warmup_hours * 3600;
  s.skills = {"all"};
  s.priorities = {PriorityClass{"normal", 0, 1}};
  AgentGroup g;
  g.name = "agents";
  g.skills = {SkillLevel{0, 1}};
  g.staffing = {agents};
  s.groups = {g};
  Queue q;
  q.name = "main";
  q.skill = 0;
  s.queues = {q};
  CallType t;
  t.name = "calls";
  t.arrivals.kind = ArrivalKind::poisson;
  t.arrivals.rate_per_hour = {calls_per_hour};
  t.handle_time = Distribution::exponential_of(aht);
  if (patience_mean > 0) t.patience = Distribution::exponential_of(patience_mean);
  t.entry_queue = 0;
  s.call_types = {t};
  return s;
}

}  // namespace switchboard::test
