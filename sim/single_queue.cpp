#include "sim/single_queue.hpp"

#include "core/scenario_validation.hpp"

namespace switchboard::sim {

Scenario single_queue_scenario(const SingleQueue& m) {
  Scenario s;
  s.name = "single-queue";
  s.horizon.length = m.length;
  s.horizon.interval = m.interval;
  s.horizon.warmup = m.warmup;
  s.targets.answer_within = m.answer_within;
  s.skills = {"calls"};
  s.priorities = {PriorityClass{"normal", 0, 1}};
  AgentGroup g;
  g.name = "agents";
  g.skills = {SkillLevel{0, 1}};
  g.staffing = m.agents;
  s.groups = {g};
  Queue q;
  q.name = "calls";
  q.skill = 0;
  s.queues = {q};
  CallType t;
  t.name = "calls";
  t.arrivals.kind = ArrivalKind::poisson;
  t.arrivals.rate_per_hour = m.calls_per_hour;
  t.handle_time = Distribution::exponential_of(m.aht);
  if (m.patience) t.patience = Distribution::exponential_of(*m.patience);
  t.entry_queue = 0;
  s.call_types = {t};
  // Built from numbers a caller (staffing by simulation, a test) computed:
  // held to the same checks as a scenario file, so a bad one is an
  // InputError naming the field rather than a simulation of nonsense.
  if (std::vector<Problem> problems = validate(s); !problems.empty()) throw InputError(std::move(problems));
  return s;
}

}  // namespace switchboard::sim
