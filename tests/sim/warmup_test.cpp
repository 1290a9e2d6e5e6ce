// The warm-up (docs/simulate.md, "How a run goes"; docs/kpis.md): calls
// arriving before t = 0 are simulated but not counted — not offered, not
// handled when an agent answers them after 0, not in any wait — while they
// still hold the agents and the queue ahead of the counted calls.
//
// Deterministic, so every number is exact: one agent, a constant 1,000 s
// talk, one call every 100 s from -1,000 s (ten in the warm-up) to 900 s
// (ten counted). The agent serves in arrival order: the warm-up calls keep
// it busy until 9,000 s, so counted call k (arriving at 100k) is answered
// at 9,000 + 1,000k after waiting 9,000 + 900k.
#include <gtest/gtest.h>

#include "sim/replications.hpp"
#include "support/scenarios.hpp"

using namespace switchboard;

namespace {

Scenario backlog_from_the_warm_up(double warmup) {
  Scenario s = test::mmc(36, 1000, 1, 0, 1000.0 / 3600, warmup / 3600);
  s.horizon.interval = s.horizon.length;
  s.call_types[0].arrivals.kind = ArrivalKind::deterministic;
  s.call_types[0].handle_time = Distribution::constant_of(1000);
  return s;
}

double kpi(const KpiReport& r, CallKpi k) { return r.total[static_cast<int>(k)]; }

}  // namespace

TEST(WarmUp, CallsOfTheWarmUpAreNotCountedButStillQueueAhead) {
  const auto results = sim::run_replications(backlog_from_the_warm_up(1000), sim::ReplicationPlan{3, 2, 1});
  for (const KpiReport& r : results.reports) {
    EXPECT_EQ(kpi(r, CallKpi::offered), 10);
    EXPECT_EQ(kpi(r, CallKpi::handled), 10);  // the ten warm-up calls answered after 0 are not counted
    EXPECT_EQ(kpi(r, CallKpi::abandoned), 0);
    EXPECT_DOUBLE_EQ(kpi(r, CallKpi::asa), 9000 + 900 * 4.5);
    EXPECT_DOUBLE_EQ(kpi(r, CallKpi::max_wait), 9000 + 900 * 9);
    EXPECT_EQ(kpi(r, CallKpi::service_level), 0);
    EXPECT_EQ(r.in_system_at_end, 0);
  }
}

TEST(WarmUp, WithoutAWarmUpTheSameCallsWaitOnlyForEachOther) {
  // The control: no warm-up, so counted call k waits 900k (answered at 1,000k).
  const auto results = sim::run_replications(backlog_from_the_warm_up(0), sim::ReplicationPlan{3, 1, 1});
  const KpiReport& r = results.reports[0];
  EXPECT_EQ(kpi(r, CallKpi::offered), 10);
  EXPECT_EQ(kpi(r, CallKpi::handled), 10);
  EXPECT_DOUBLE_EQ(kpi(r, CallKpi::asa), 900 * 4.5);
  EXPECT_EQ(kpi(r, CallKpi::service_level), 0.1);  // only the first, answered at once
}

TEST(WarmUp, TimeWeightedNumbersCoverTheHorizonOnly) {
  // Agents staffed is a time average over [0, length): one agent, exactly 1,
  // whatever the warm-up; occupancy is 1 (busy with warm-up calls all along).
  const auto results = sim::run_replications(backlog_from_the_warm_up(1000), sim::ReplicationPlan{3, 1, 1});
  const KpiReport& r = results.reports[0];
  EXPECT_DOUBLE_EQ(r.group[0][static_cast<int>(GroupKpi::agents_staffed)], 1);
  EXPECT_DOUBLE_EQ(r.group[0][static_cast<int>(GroupKpi::occupancy)], 1);
  // Nine warm-up calls wait at 0 and one more joins every 100 s: the
  // waiting count rises from 9 by one per 100 s, a mean of 9 + 4.5 over [0, 1000).
  EXPECT_DOUBLE_EQ(r.total_queue[static_cast<int>(QueueKpi::mean_length)], 13.5);
}
