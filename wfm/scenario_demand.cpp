#include "wfm/scenario_demand.hpp"

#include <algorithm>
#include <cmath>

#include "core/scenario_validation.hpp"

namespace switchboard::wfm {

namespace {

// What one call type asks of the agents.
struct TypeLoad {
  std::vector<double> calls;  // per scenario interval
  double aht = 0;
  std::optional<double> patience;
};

// Mean wrap-up of the groups with the skill of any queue the type reaches.
double wrap_up_of(const Scenario& s, const CallType& t) {
  double sum = 0;
  int groups = 0;
  const std::vector<int> queues = queues_reached(s, t);
  for (const auto& g : s.groups) {
    const bool serves = std::any_of(queues.begin(), queues.end(), [&](int q) {
      return std::any_of(g.skills.begin(), g.skills.end(), [&](const SkillLevel& sk) { return sk.skill == s.queues[q].skill; });
    });
    if (serves) {
      sum += g.wrap_up.expected();
      ++groups;
    }
  }
  return groups ? sum / groups : 0;
}

TypeLoad load_of(const Scenario& s, const CallType& t) {
  TypeLoad l;
  const int n = s.horizon.intervals();
  const double step = s.horizon.interval;
  l.calls.assign(n, 0);
  // The one place a horizon time becomes an interval index here.
  auto add_at = [&](double t_on_horizon, double calls) {
    const int i = static_cast<int>(std::floor(t_on_horizon / step));
    if (i >= 0 && i < n) l.calls[i] += calls;
  };
  const ArrivalSpec& a = t.arrivals;
  if (a.kind == ArrivalKind::poisson || a.kind == ArrivalKind::poisson_gamma || a.kind == ArrivalKind::deterministic) {
    for (int i = 0; i < n && !a.rate_per_hour.empty(); ++i) {
      const double rate = a.rate_per_hour[std::min<std::size_t>(static_cast<std::size_t>(i), a.rate_per_hour.size() - 1)];
      l.calls[i] = rate * a.scale * step / 3600;
    }
  }
  for (const auto& b : a.bins) add_at(b.start, b.calls * a.scale);
  for (double ts : a.timestamps) add_at(ts, 1);
  l.aht = t.handle_time.expected() + wrap_up_of(s, t);
  if (t.patience.kind != DistKind::none) l.patience = t.patience.expected();
  return l;
}

}  // namespace

std::vector<int> queues_reached(const Scenario& s, const CallType& t) {
  if (t.entry_queue != kNone) return {t.entry_queue};
  std::vector<int> queues;
  std::vector<bool> seen(s.ivr.size(), false);
  std::vector<int> todo{t.entry_node};
  while (!todo.empty()) {
    const int n = todo.back();
    todo.pop_back();
    if (n < 0 || n >= static_cast<int>(s.ivr.size()) || seen[n]) continue;
    seen[n] = true;
    const IvrNode& node = s.ivr[n];
    if (node.kind == IvrKind::queue && node.queue != kNone) queues.push_back(node.queue);
    for (int next : ivr_successors(node)) todo.push_back(next);
  }
  return queues;
}

Demand demand_of(const IntervalSeries& series) {
  return Demand{series.start, series.calls, static_cast<double>(series.step)};
}

ScenarioDemand demand_of(const Scenario& s, std::int64_t date) {
  ScenarioDemand out;
  Demand& d = out.demand;
  d.interval = s.horizon.interval;
  const int n = s.horizon.intervals();
  d.calls.assign(n, 0);
  for (int i = 0; i < n; ++i)
    d.start.push_back(date + static_cast<std::int64_t>(std::llround(s.horizon.start_clock + i * s.horizon.interval)));
  double calls = 0, work = 0, patience_sum = 0;
  bool all_patient = true;
  for (const auto& t : s.call_types) {
    const TypeLoad l = load_of(s, t);
    double type_calls = 0;
    for (int i = 0; i < n; ++i) {
      d.calls[i] += l.calls[i];
      type_calls += l.calls[i];
    }
    calls += type_calls;
    work += type_calls * l.aht;
    if (l.patience) patience_sum += type_calls * *l.patience;
    all_patient = all_patient && l.patience.has_value();
  }
  if (calls > 0) out.aht = work / calls;
  if (all_patient && calls > 0 && patience_sum > 0) out.patience = patience_sum / calls;
  return out;
}

}  // namespace switchboard::wfm
