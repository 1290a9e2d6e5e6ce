// The series a running call center publishes: every counter of the KPI table
// (core/kpi.hpp) per queue, the wait histogram, agent-time integrals per
// group, and live gauges (calls waiting, longest wait, agents by state,
// callbacks pending, tickets). One layout serves /metrics (sip/metrics.cpp)
// and a simulated day's OpenMetrics file (sim/openmetrics.cpp), so both carry
// the same names with the same meaning.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/kpi.hpp"
#include "core/scenario.hpp"

namespace switchboard {

class CallCenter;

enum class MetricType { counter, gauge, histogram };

struct MetricFamily {
  std::string name;  // counters with their _total; a histogram's base name
  MetricType type;
  std::string help;
};

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

struct MetricSeries {
  int family = 0;
  MetricLabels labels;
  // Where its numbers are in a value vector: one for a counter or gauge; for
  // a histogram the cumulative count at each of kWaitBuckets, then +Inf
  // (the count), then the sum.
  std::size_t slot = 0;
};

class KpiLayout {
 public:
  explicit KpiLayout(const Scenario& scenario);

  const std::vector<MetricFamily>& families() const { return families_; }
  const std::vector<MetricSeries>& series() const { return series_; }
  std::size_t size() const { return size_; }  // numbers in a value vector
  static constexpr std::size_t kHistogramSlots = std::size(kWaitBuckets) + 2;

  // The numbers of every series at `now`, in layout order (`out` is resized
  // to size(); no allocation once it has that size). Calls counted under
  // queue="none" are those that ended without entering a queue; each series
  // only grows while calls are only added (a call re-queued after its agent
  // was lost takes its answer back).
  void fill(const CallCenter& core, double now, std::vector<double>& out) const {
    out.resize(size_);
    fill(core, now, out.data());
  }
  void fill(const CallCenter& core, double now, double* out) const;  // size() numbers

 private:
  int add_family(std::string name, MetricType type, std::string help);
  void add_series(int family, MetricLabels labels, std::size_t slots = 1);

  const Scenario& scenario_;
  std::vector<MetricFamily> families_;
  std::vector<MetricSeries> series_;
  std::size_t size_ = 0;
};

}  // namespace switchboard
