#include "wfm/staffing_simulation.hpp"

#include <stdexcept>

#include "core/scenario.hpp"
#include "sim/replications.hpp"
#include "sim/single_queue.hpp"

namespace switchboard::wfm {

namespace {

Scenario day_scenario(const std::vector<double>& calls, const StaffingProblem& p, const std::vector<int>& staffing) {
  sim::SingleQueue m;
  for (double c : calls) m.calls_per_hour.push_back(c * 3600 / p.interval);
  m.agents = staffing;
  m.interval = p.interval;
  m.length = p.interval * static_cast<double>(calls.size());
  m.aht = p.aht;
  m.patience = p.patience;
  m.answer_within = p.targets.answer_within;
  return sim::single_queue_scenario(m);
}

struct Evaluation {
  std::vector<QueueMetrics> metrics;
  std::vector<bool> ok;
  bool all_ok = true;
};

Evaluation evaluate(const std::vector<double>& calls, const StaffingProblem& p, const std::vector<int>& staffing,
                    const SimulationSettings& settings) {
  const Scenario s = day_scenario(calls, p, staffing);
  const auto results = sim::run_replications(s, sim::ReplicationPlan{settings.seed, settings.replications, settings.jobs});
  const sim::Summary summary = sim::summarize(results.reports);
  Evaluation e;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    auto mean = [&](CallKpi k) { return summary.interval[i][static_cast<int>(k)].mean; };
    QueueMetrics m;
    const double offered = mean(CallKpi::offered);
    m.service_level = offered > 0 ? mean(CallKpi::service_level) : 1;
    m.asa = mean(CallKpi::asa);
    m.mean_wait = mean(CallKpi::mean_wait);
    m.p_abandon = offered > 0 ? mean(CallKpi::abandoned) / offered : 0;
    m.occupancy = summary.interval_group[i][0][static_cast<int>(GroupKpi::occupancy)].mean;
    const StaffingTargets& t = p.targets;
    bool ok = calls[i] <= 0 || ((!t.service_level || m.service_level >= *t.service_level) &&
                                (!t.asa || m.asa <= *t.asa) && (!t.max_abandon || m.p_abandon <= *t.max_abandon) &&
                                (!t.max_occupancy || m.occupancy <= *t.max_occupancy));
    e.metrics.push_back(m);
    e.ok.push_back(ok);
    e.all_ok = e.all_ok && ok;
  }
  return e;
}

}  // namespace

std::vector<QueueMetrics> simulate_plan(const std::vector<double>& calls, const StaffingProblem& problem,
                                        const std::vector<int>& staffing, const SimulationSettings& settings) {
  return evaluate(calls, problem, staffing, settings).metrics;
}

SimulatedStaffing staff_by_simulation(const std::vector<double>& calls, const StaffingProblem& p,
                                      const std::vector<int>& start, const SimulationSettings& settings) {
  SimulatedStaffing out;
  std::vector<int> staffing = start;
  auto run = [&] {
    if (++out.rounds > settings.max_rounds)
      throw std::invalid_argument("simulation staffing did not settle within " + std::to_string(settings.max_rounds) + " rounds");
    return evaluate(calls, p, staffing, settings);
  };
  // Up: add an agent wherever a target is missed until every interval meets them.
  Evaluation e = run();
  while (!e.all_ok) {
    for (std::size_t i = 0; i < calls.size(); ++i)
      if (!e.ok[i]) ++staffing[i];
    e = run();
  }
  // Down: take an agent from every interval that may spare one; put it back
  // where that breaks a target (here or, through the carried-over queue, in
  // the next interval) and stop trying that interval.
  std::vector<bool> locked(calls.size(), false);
  for (;;) {
    std::vector<bool> lowered(calls.size(), false);
    bool any = false;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      if (locked[i] || staffing[i] == 0) continue;
      --staffing[i];
      lowered[i] = any = true;
    }
    if (!any) break;
    Evaluation trial = run();
    while (!trial.all_ok) {
      bool reverted = false;
      for (std::size_t i = 0; i < calls.size(); ++i) {
        if (trial.ok[i]) continue;
        // The interval itself, or the nearest earlier one that was lowered.
        for (std::size_t k = i + 1; k-- > 0;) {
          if (!lowered[k]) continue;
          ++staffing[k];
          lowered[k] = false;
          locked[k] = true;
          reverted = true;
          break;
        }
      }
      if (!reverted) {  // nothing explains the miss: give every lowered interval its agent back
        for (std::size_t k = 0; k < calls.size(); ++k)
          if (lowered[k]) {
            ++staffing[k];
            lowered[k] = false;
            locked[k] = true;
          }
      }
      trial = run();
      bool still_lowered = false;
      for (bool l : lowered) still_lowered = still_lowered || l;
      if (!still_lowered && !trial.all_ok) throw std::logic_error("simulation staffing lost a feasible plan");
    }
    e = trial;
  }
  // Polish: the batch above can lock an interval whose agent was blamed for
  // another's miss. Try each interval alone until no single agent can go —
  // with every metric worse for fewer agents, no set of agents can go then.
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      while (staffing[i] > 0) {
        --staffing[i];
        Evaluation trial = run();
        if (!trial.all_ok) {
          ++staffing[i];
          break;
        }
        e = trial;
        changed = true;
      }
    }
  }
  out.required = staffing;
  out.expected = e.metrics;
  return out;
}

}  // namespace switchboard::wfm
