// What the simulator predicts for the load test's window, and whether the
// real run agrees. The prediction is sim::run_replications on the same
// scenario and seed (replication 0's arrivals are the plan's), each
// replication's KPIs aggregated over the window's intervals.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/kpi.hpp"
#include "core/scenario.hpp"
#include "loadgen/caller_plan.hpp"

namespace switchboard::loadgen {

// The KPIs the load test measures and compares, in report order.
enum class WindowKpi : int { offered, handled, abandoned, contained, sl, asa, abandon_rate, aht, count };
inline constexpr int kWindowKpis = static_cast<int>(WindowKpi::count);
const char* name(WindowKpi k);
using WindowKpis = std::array<double, kWindowKpis>;

// The intervals of the horizon the window touches: [first, last].
struct IntervalRange {
  int first = 0, last = -1;
};
IntervalRange window_intervals(const Horizon& h, const PlanWindow& w);

// One replication over intervals [first, last]: counts summed; SL weighted
// by each interval's handled + abandoned - short abandons (its service-level
// denominator, near enough), ASA and AHT by its handled calls.
WindowKpis aggregate(const KpiReport& r, int first, int last);

struct Predicted {
  double mean = 0;
  double low95 = 0, high95 = 0;  // 95% confidence interval of the mean
  double low99 = 0, high99 = 0;  // 99% interval for one run: mean +- t * s * sqrt(1 + 1/n)
};

struct Prediction {
  int replications = 0;
  std::array<Predicted, kWindowKpis> total{};
  std::vector<std::array<Predicted, kWindowKpis>> interval;  // window intervals, in order
  // Per queue, only when the window is the whole horizon (the simulator's
  // queue rows cover the whole day): empty otherwise.
  std::vector<std::array<Predicted, kWindowKpis>> queue;
  // Replication 0 alone: the simulated day whose arrivals the plan places.
  WindowKpis same_day{};
};

Prediction predict(const Scenario& scenario, std::uint64_t seed, const PlanWindow& window, int replications);

// One comparison of --agreement: inside the single-run 99% interval widened
// by `tolerance` (absolute; for when the compressed run has few calls).
struct Agreement {
  std::string kpi, queue;  // queue empty: the whole window
  double measured = 0, low = 0, high = 0, tolerance = 0;
  bool agrees = false;
};

// The tolerance of docs/loadtest.md for `kpi` when the real run has `calls` calls in scope.
double agreement_tolerance(WindowKpi kpi, double calls);
Agreement compare(WindowKpi kpi, const std::string& queue, double measured, const Predicted& p, double calls);

}  // namespace switchboard::loadgen
