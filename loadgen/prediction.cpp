#include "loadgen/prediction.hpp"

#include <algorithm>
#include <cmath>

#include "sim/replications.hpp"
#include "sim/statistics.hpp"

namespace switchboard::loadgen {

const char* name(WindowKpi k) {
  static const char* names[] = {"offered", "handled", "abandoned", "contained", "sl", "asa", "abandon_rate", "aht"};
  return names[static_cast<int>(k)];
}

IntervalRange window_intervals(const Horizon& h, const PlanWindow& w) {
  const int n = h.intervals();
  IntervalRange r;
  r.first = std::clamp(static_cast<int>(std::floor(w.start / h.interval + 1e-9)), 0, n - 1);
  r.last = std::clamp(static_cast<int>(std::ceil(std::min(w.end, h.length) / h.interval - 1e-9)) - 1, r.first, n - 1);
  return r;
}

namespace {

double at(const CallKpis& k, CallKpi i) { return k[static_cast<int>(i)]; }

WindowKpis from_call_kpis(const CallKpis& k) {
  WindowKpis w{};
  w[static_cast<int>(WindowKpi::offered)] = at(k, CallKpi::offered);
  w[static_cast<int>(WindowKpi::handled)] = at(k, CallKpi::handled);
  w[static_cast<int>(WindowKpi::abandoned)] = at(k, CallKpi::abandoned);
  w[static_cast<int>(WindowKpi::contained)] = at(k, CallKpi::contained);
  w[static_cast<int>(WindowKpi::sl)] = at(k, CallKpi::service_level);
  w[static_cast<int>(WindowKpi::asa)] = at(k, CallKpi::asa);
  w[static_cast<int>(WindowKpi::aht)] = at(k, CallKpi::aht);
  const double offered = at(k, CallKpi::offered);
  w[static_cast<int>(WindowKpi::abandon_rate)] = offered > 0 ? at(k, CallKpi::abandoned) / offered : 0;
  return w;
}

std::array<Predicted, kWindowKpis> estimate_all(const std::vector<WindowKpis>& reps) {
  std::array<Predicted, kWindowKpis> out{};
  std::vector<double> values(reps.size());
  const double n = static_cast<double>(reps.size());
  for (int k = 0; k < kWindowKpis; ++k) {
    for (std::size_t r = 0; r < reps.size(); ++r) values[r] = reps[r][k];
    const sim::Estimate e95 = sim::estimate(values, 0.95), e99 = sim::estimate(values, 0.99);
    const double single = e99.half_width * std::sqrt(n + 1);  // t * s / sqrt(n) -> t * s * sqrt(1 + 1/n)
    // Counts cannot go below 0, rates above 1: the intervals stop there.
    const WindowKpi kpi = static_cast<WindowKpi>(k);
    const double top = kpi == WindowKpi::sl || kpi == WindowKpi::abandon_rate ? 1 : 1e300;
    auto clamp = [top](double v) { return std::clamp(v, 0.0, top); };
    out[k] = Predicted{e95.mean, clamp(e95.low()), clamp(e95.high()), clamp(e99.mean - single), clamp(e99.mean + single)};
  }
  return out;
}

}  // namespace

WindowKpis aggregate(const KpiReport& r, int first, int last) {
  WindowKpis w{};
  double sl_weight = 0, asa_weight = 0, sl = 0, asa = 0, aht = 0;
  for (int i = first; i <= last && i < static_cast<int>(r.interval.size()); ++i) {
    const CallKpis& k = r.interval[i];
    for (WindowKpi c : {WindowKpi::offered, WindowKpi::handled, WindowKpi::abandoned, WindowKpi::contained})
      w[static_cast<int>(c)] += from_call_kpis(k)[static_cast<int>(c)];
    const double d = at(k, CallKpi::handled) + at(k, CallKpi::abandoned) - at(k, CallKpi::short_abandoned);
    sl += at(k, CallKpi::service_level) * d;
    sl_weight += d;
    asa += at(k, CallKpi::asa) * at(k, CallKpi::handled);
    aht += at(k, CallKpi::aht) * at(k, CallKpi::handled);
    asa_weight += at(k, CallKpi::handled);
  }
  w[static_cast<int>(WindowKpi::sl)] = sl_weight > 0 ? sl / sl_weight : 0;
  w[static_cast<int>(WindowKpi::asa)] = asa_weight > 0 ? asa / asa_weight : 0;
  w[static_cast<int>(WindowKpi::aht)] = asa_weight > 0 ? aht / asa_weight : 0;
  const double offered = w[static_cast<int>(WindowKpi::offered)];
  w[static_cast<int>(WindowKpi::abandon_rate)] = offered > 0 ? w[static_cast<int>(WindowKpi::abandoned)] / offered : 0;
  return w;
}

Prediction predict(const Scenario& scenario, std::uint64_t seed, const PlanWindow& window, int replications) {
  const sim::ReplicationResults results = sim::run_replications(scenario, sim::ReplicationPlan{seed, replications, 1});
  const IntervalRange range = window_intervals(scenario.horizon, window);
  Prediction p;
  p.replications = replications;
  std::vector<WindowKpis> reps;
  for (const auto& r : results.reports) reps.push_back(aggregate(r, range.first, range.last));
  p.total = estimate_all(reps);
  p.same_day = reps.front();
  for (int i = range.first; i <= range.last; ++i) {
    reps.clear();
    for (const auto& r : results.reports) reps.push_back(aggregate(r, i, i));
    p.interval.push_back(estimate_all(reps));
  }
  const bool whole_day = window.start <= 0 && window.end >= scenario.horizon.length;
  if (whole_day) {
    for (std::size_t q = 0; q < scenario.queues.size(); ++q) {
      reps.clear();
      for (const auto& r : results.reports) reps.push_back(from_call_kpis(r.queue[q]));
      p.queue.push_back(estimate_all(reps));
    }
  }
  return p;
}

double agreement_tolerance(WindowKpi kpi, double calls) {
  // The simulator's interval already holds one run's spread; what it cannot
  // hold is the real run's own coarseness: a rate over n calls moves in
  // steps of 1/n, the server's clock in steps of its time scale's
  // milliseconds. One step of each, at least.
  const double n = std::max(1.0, calls);
  switch (kpi) {
    case WindowKpi::sl:
    case WindowKpi::abandon_rate: return std::max(0.01, 1.0 / n);
    case WindowKpi::asa: return 1.0;  // scenario seconds
    default: return 1.0;              // one call
  }
}

Agreement compare(WindowKpi kpi, const std::string& queue, double measured, const Predicted& p, double calls) {
  Agreement a;
  a.kpi = name(kpi);
  a.queue = queue;
  a.measured = measured;
  a.low = p.low99;
  a.high = p.high99;
  a.tolerance = agreement_tolerance(kpi, calls);
  a.agrees = measured >= a.low - a.tolerance && measured <= a.high + a.tolerance;
  return a;
}

}  // namespace switchboard::loadgen
