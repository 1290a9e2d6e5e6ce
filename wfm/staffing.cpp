#include "wfm/staffing.hpp"

#include <cmath>
#include <stdexcept>

namespace switchboard::wfm {

namespace {

bool meets(const QueueMetrics& m, const StaffingTargets& t) {
  if (t.service_level && m.service_level < *t.service_level) return false;
  if (t.asa && m.asa > *t.asa) return false;
  if (t.max_abandon && m.p_abandon > *t.max_abandon) return false;
  if (t.max_occupancy && m.occupancy > *t.max_occupancy) return false;
  return true;
}

}  // namespace

void check_feasible(const StaffingProblem& p, StaffingMethod method) {
  const StaffingTargets& t = p.targets;
  if (!t.service_level && !t.asa && !t.max_abandon && !t.max_occupancy)
    throw std::invalid_argument("no target: give --target-sl, --target-asa, --max-abandon or --max-occupancy");
  if (t.service_level && *t.service_level >= 1)
    throw std::invalid_argument("a service level of 1 cannot be met: some caller always finds every agent busy");
  if (t.asa && *t.asa <= 0) throw std::invalid_argument("an ASA of 0 cannot be met: some caller always waits");
  if (t.max_abandon && p.patience && *t.max_abandon <= 0)
    throw std::invalid_argument("no abandonment at all cannot be met with impatient callers (--patience)");
  if (method == StaffingMethod::erlang_a && !p.patience) throw std::invalid_argument("erlang-a needs --patience");
  if (method != StaffingMethod::erlang_a && t.max_abandon && !p.patience)
    throw std::invalid_argument("--max-abandon needs --patience (callers who never hang up never abandon)");
}

QueueMetrics metrics_at(double calls, int agents, const StaffingProblem& p, StaffingMethod method) {
  const double rate = calls / p.interval;
  if (calls <= 0) return QueueMetrics{0, 1, 0, 0, 0, 0};
  if (method == StaffingMethod::erlang_c) {
    if (rate * p.aht >= agents) return QueueMetrics{1, 0, INFINITY, INFINITY, 0, 1};
    return erlang_c(rate, p.aht, agents, p.targets.answer_within);
  }
  return erlang_a(rate, p.aht, agents, *p.patience, p.targets.answer_within);
}

int scheduled_agents(int required, double shrinkage) {
  // The small epsilon keeps 10 / (1 - 0.2) = 12.5000000001 from becoming 13.
  return static_cast<int>(std::ceil(required / (1 - shrinkage) - 1e-9));
}

IntervalStaffing staff_interval(double calls, const StaffingProblem& p, StaffingMethod method) {
  IntervalStaffing s;
  s.calls = calls;
  s.workload = calls * p.aht / p.interval;
  if (calls <= 0) {
    s.expected = metrics_at(0, 0, p, method);
    return s;
  }
  // Every metric improves with each added agent, so "meets the targets" is
  // monotone in N: find a staffing that meets them, then bisect down.
  const int limit = static_cast<int>(s.workload * 4) + 1000;
  int low = 0;  // does not meet (0 agents never do)
  int high = std::max(1, static_cast<int>(std::ceil(s.workload)));
  while (high <= limit && !meets(metrics_at(calls, high, p, method), p.targets)) {
    low = high;
    high = std::min(limit + 1, high * 2);
  }
  if (high <= limit) {
    while (high - low > 1) {
      const int mid = low + (high - low) / 2;
      if (meets(metrics_at(calls, mid, p, method), p.targets)) high = mid;
      else low = mid;
    }
    s.required = high;
    s.scheduled = scheduled_agents(high, p.shrinkage);
    s.expected = metrics_at(calls, high, p, method);
    return s;
  }
  throw std::invalid_argument("the targets cannot be met for " + std::to_string(calls) + " calls with up to " +
                              std::to_string(limit) + " agents");
}

}  // namespace switchboard::wfm
