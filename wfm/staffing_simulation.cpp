#include "wfm/staffing_simulation.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/scenario.hpp"
#include "sim/replications.hpp"
#include "sim/single_queue.hpp"

namespace switchboard::wfm {

namespace {

Scenario day_scenario(const std::vector<double>& calls, const StaffingProblem& p, const std::vector<int>& staffing,
                      double warmup) {
  sim::SingleQueue m;
  for (double c : calls) m.calls_per_hour.push_back(c * 3600 / p.interval);
  m.agents = staffing;
  m.interval = p.interval;
  m.length = p.interval * static_cast<double>(calls.size());
  m.warmup = warmup;
  m.aht = p.aht;
  m.patience = p.patience;
  m.answer_within = p.targets.answer_within;
  return sim::single_queue_scenario(m);
}

using Evaluation = PlanEvaluation;

}  // namespace

namespace {

Evaluation evaluate_with(const Scenario& s, const std::vector<double>& calls, const StaffingProblem& p,
                         const SimulationSettings& settings, int replications) {
  const auto results = sim::run_replications(s, sim::ReplicationPlan{settings.seed, replications, settings.jobs});
  const sim::Summary summary = sim::summarize(results.reports);
  Evaluation e;
  e.replications = replications;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const auto& kpi = summary.interval[i];
    auto at = [&](CallKpi k) -> const sim::Estimate& { return kpi[static_cast<int>(k)]; };
    const sim::Estimate& occupancy = summary.interval_group[i][0][static_cast<int>(GroupKpi::occupancy)];
    const double offered = at(CallKpi::offered).mean;
    // Metrics at one end of the confidence intervals: +1 pessimistic, -1 optimistic, 0 the means.
    auto metrics_at = [&](int side) {
      auto pick = [&](const sim::Estimate& x, bool higher_is_better) {
        return x.mean + side * (higher_is_better ? -x.half_width : x.half_width);
      };
      QueueMetrics m;
      m.service_level = offered > 0 ? pick(at(CallKpi::service_level), true) : 1;
      m.asa = pick(at(CallKpi::asa), false);
      m.mean_wait = at(CallKpi::mean_wait).mean;
      m.p_abandon = offered > 0 ? pick(at(CallKpi::abandoned), false) / offered : 0;
      m.occupancy = pick(occupancy, false);
      return m;
    };
    const bool quiet = calls[i] <= 0;
    e.metrics.push_back(metrics_at(0));
    e.met.push_back(quiet || meets_targets(metrics_at(+1), p.targets));
    e.missed.push_back(!quiet && !meets_targets(metrics_at(-1), p.targets));
    e.none_missed = e.none_missed && !e.missed.back();
    e.all_met = e.all_met && e.met.back();
  }
  return e;
}

}  // namespace

PlanEvaluation evaluate_plan(const std::vector<double>& calls, const StaffingProblem& p, const std::vector<int>& staffing,
                             const SimulationSettings& settings) {
  const Scenario s = day_scenario(calls, p, staffing, settings.warmup);
  const int cap = settings.max_replications > 0 ? settings.max_replications : 64 * settings.replications;
  // More replications while an interval's confidence interval straddles a
  // target (neither met nor missed), up to the cap: the plan is then decided
  // by the simulation, not by how few replications happened to be asked for.
  for (int n = settings.replications;; n = std::min(2 * n, cap)) {
    Evaluation e = evaluate_with(s, calls, p, settings, n);
    bool undecided = false;
    for (std::size_t i = 0; i < calls.size(); ++i) undecided = undecided || (!e.met[i] && !e.missed[i]);
    if (!undecided || n >= cap) return e;
  }
}

std::vector<QueueMetrics> simulate_plan(const std::vector<double>& calls, const StaffingProblem& problem,
                                        const std::vector<int>& staffing, const SimulationSettings& settings) {
  SimulationSettings exactly = settings;  // the means of the replications asked for, no more
  exactly.max_replications = settings.replications;
  return evaluate_plan(calls, problem, staffing, exactly).metrics;
}

SimulatedStaffing staff_by_simulation(const std::vector<double>& calls, const StaffingProblem& p,
                                      const std::vector<int>& start, const SimulationSettings& settings) {
  SimulatedStaffing out;
  std::vector<int> staffing = start;
  // A round starts at the replications the previous one needed: plans one
  // agent apart are about as hard to decide, and the ladder up is not paid twice.
  SimulationSettings current = settings;
  if (current.max_replications <= 0) current.max_replications = 64 * settings.replications;
  auto run = [&] {
    if (++out.rounds > settings.max_rounds)
      throw std::invalid_argument("simulation staffing did not settle within " + std::to_string(settings.max_rounds) + " rounds");
    Evaluation e = evaluate_plan(calls, p, staffing, current);
    current.replications = std::max(current.replications, e.replications);
    return e;
  };
  // Every interval must meet its targets with confidence (the pessimistic
  // end of its confidence interval), here and, through the carried-over
  // queue, later: what a trial with `lowered` intervals must show to be kept.
  auto fails = [&](const Evaluation& e, const std::vector<bool>&, std::size_t i) { return !e.met[i]; };
  // Up: add an agent wherever the targets are not met with confidence, until all are.
  Evaluation e = run();
  while (!e.all_met) {
    for (std::size_t i = 0; i < calls.size(); ++i)
      if (!e.met[i]) ++staffing[i];
    e = run();
  }
  // Down: take an agent from every interval that may spare one; put it back
  // where that fails (here or in a later interval: the nearest earlier
  // lowered one is blamed) and stop trying that interval.
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
    for (;;) {
      bool failed = false, reverted = false;
      for (std::size_t i = 0; i < calls.size(); ++i) {
        if (!fails(trial, lowered, i)) continue;
        failed = true;
        for (std::size_t k = i + 1; k-- > 0;) {
          if (!lowered[k]) continue;
          ++staffing[k];
          lowered[k] = false;
          locked[k] = true;
          reverted = true;
          break;
        }
      }
      if (!failed) break;
      if (!reverted) {  // nothing explains the miss: give every lowered interval its agent back
        for (std::size_t k = 0; k < calls.size(); ++k)
          if (lowered[k]) {
            ++staffing[k];
            lowered[k] = false;
            locked[k] = true;
          }
      }
      bool still_lowered = false;
      for (bool l : lowered) still_lowered = still_lowered || l;
      // Every agent back: this is the plan `e` already showed feasible. Run
      // again, it would be judged on the replications asked for since (the
      // ladder only climbs), and a verdict on more of them can fall the
      // other way; `e` stands.
      if (!still_lowered) {
        trial = e;
        break;
      }
      trial = run();
    }
    e = trial;
  }
  // Polish: the batch above can lock an interval whose agent was blamed for
  // another's miss. Try each interval alone until no single agent can go.
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      while (staffing[i] > 0) {
        --staffing[i];
        std::vector<bool> lowered(calls.size(), false);
        lowered[i] = true;
        Evaluation trial = run();
        bool failed = false;
        for (std::size_t k = 0; k < calls.size(); ++k) failed = failed || fails(trial, lowered, k);
        if (failed) {
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
