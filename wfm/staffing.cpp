#include "wfm/staffing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace switchboard::wfm {

bool meets_targets(const QueueMetrics& m, const StaffingTargets& t) {
  if (!std::isfinite(m.asa)) return false;
  if (t.service_level && m.service_level < *t.service_level) return false;
  if (t.asa && m.asa > *t.asa) return false;
  if (t.max_abandon && m.p_abandon > *t.max_abandon) return false;
  if (t.max_occupancy && m.occupancy > *t.max_occupancy) return false;
  return true;
}

QueueMetrics queue_metrics(double rate, double aht, std::optional<double> patience, int agents, double answer_within,
                           StaffingMethod method) {
  switch (method) {
    case StaffingMethod::erlang_c:
      if (rate * aht >= agents) {
        constexpr double inf = std::numeric_limits<double>::infinity();
        return QueueMetrics{1, 0, inf, inf, 0, 1};
      }
      return erlang_c(rate, aht, agents, answer_within);
    case StaffingMethod::erlang_a:
      if (!patience) throw std::invalid_argument("Erlang A needs the callers' mean patience");
      return erlang_a(rate, aht, agents, *patience, answer_within);
    case StaffingMethod::simulation:
      break;
  }
  throw std::invalid_argument("queue_metrics: only Erlang C and Erlang A are analytic");
}

int fewest_agents(double rate, double aht, std::optional<double> patience, const StaffingTargets& targets,
                  StaffingMethod method) {
  if (!(rate > 0)) return 0;
  const double load = rate * aht;
  auto ok = [&](int n) { return meets_targets(queue_metrics(rate, aht, patience, n, targets.answer_within, method), targets); };
  const double bound = 4 * load + 1000;
  if (bound > std::numeric_limits<int>::max() / 2)
    throw std::invalid_argument("an offered load of " + std::to_string(load) + " Erlangs is beyond this calculator");
  const int limit = static_cast<int>(bound);
  // Erlang C is unstable up to the load itself: start above it.
  int low = method == StaffingMethod::erlang_c ? static_cast<int>(std::floor(load)) : 0;  // known to miss
  int high = std::max(low + 1, static_cast<int>(std::ceil(load)));
  while (!ok(high)) {
    if (high >= limit)
      throw std::invalid_argument("the targets cannot be met for " + std::to_string(load) + " Erlangs with up to " +
                                  std::to_string(limit) + " agents");
    low = high;
    high = std::min(limit, 2 * high);
  }
  while (high - low > 1) {
    const int mid = low + (high - low) / 2;
    (ok(mid) ? high : low) = mid;
  }
  return high;
}

void check_feasible(const StaffingProblem& p, StaffingMethod method) {
  const StaffingTargets& t = p.targets;
  if (!t.service_level && !t.asa && !t.max_abandon && !t.max_occupancy)
    throw std::invalid_argument("no target: give --target-sl, --target-asa, --max-abandon or --max-occupancy");
  if (t.service_level && *t.service_level >= 1)
    throw std::invalid_argument("a service level of 1 cannot be met: however many agents, some caller finds them all busy");
  if (t.asa && *t.asa <= 0) throw std::invalid_argument("an ASA of 0 cannot be met: some caller always waits");
  if (t.max_occupancy && *t.max_occupancy <= 0)
    throw std::invalid_argument("an occupancy of 0 cannot be met while calls arrive");
  if (method == StaffingMethod::erlang_a && !p.patience) throw std::invalid_argument("erlang-a needs --patience");
  if (t.max_abandon) {
    if (!p.patience)
      throw std::invalid_argument("--max-abandon needs --patience (callers who never hang up never abandon)");
    if (method == StaffingMethod::erlang_c)
      throw std::invalid_argument("--max-abandon needs erlang-a: Erlang C has no abandonment");
    if (*t.max_abandon <= 0)
      throw std::invalid_argument("no abandonment at all cannot be met with impatient callers (--patience)");
  }
}

QueueMetrics metrics_at(double calls, int agents, const StaffingProblem& p, StaffingMethod method) {
  if (calls <= 0) return QueueMetrics{0, 1, 0, 0, 0, 0};
  return queue_metrics(calls / p.interval, p.aht, p.patience, agents, p.targets.answer_within, method);
}

int scheduled_agents(int required, double shrinkage) {
  // The small epsilon keeps 10 / (1 - 0.2) = 12.5000000001 from becoming 13,
  // and 8 / (1 - 0.2) = 10.000000000000002 from becoming 11.
  return static_cast<int>(std::ceil(required / (1 - shrinkage) - 1e-9));
}

IntervalStaffing staff_interval(double calls, const StaffingProblem& p, StaffingMethod method) {
  IntervalStaffing s;
  s.calls = calls;
  s.workload = calls * p.aht / p.interval;
  s.required = fewest_agents(calls / p.interval, p.aht, p.patience, p.targets, method);
  s.scheduled = scheduled_agents(s.required, p.shrinkage);
  s.expected = metrics_at(calls, s.required, p, method);
  return s;
}

}  // namespace switchboard::wfm
