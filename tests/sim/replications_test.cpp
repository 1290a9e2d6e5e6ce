// Reproducibility and the laws every run must obey.
#include <gtest/gtest.h>

#include "sim/replications.hpp"
#include "sim/summary_io.hpp"
#include "support/scenarios.hpp"

using namespace switchboard;

namespace {
double kpi(const KpiReport& r, CallKpi k) { return r.total[static_cast<int>(k)]; }
}  // namespace

TEST(Replications, SameSeedSameNumbersAnyJobs) {
  const Scenario s = test::mmc(900, 240, 62, 180, 4);
  const auto one = sim::run_replications(s, sim::ReplicationPlan{7, 8, 1});
  const auto four = sim::run_replications(s, sim::ReplicationPlan{7, 8, 4});
  const sim::RunInfo info{7, "event-list"};
  const std::string a = sim::to_json(s, info, sim::summarize(one.reports)).dump();
  const std::string b = sim::to_json(s, info, sim::summarize(four.reports)).dump();
  EXPECT_EQ(a, b);
  const auto other_seed = sim::run_replications(s, sim::ReplicationPlan{8, 8, 1});
  EXPECT_NE(a, sim::to_json(s, info, sim::summarize(other_seed.reports)).dump());
}

TEST(Replications, ReplicationsAreIndependentDraws) {
  const Scenario s = test::mmc(900, 240, 62, 180, 4);
  const auto r = sim::run_replications(s, sim::ReplicationPlan{7, 3, 1});
  EXPECT_NE(kpi(r.reports[0], CallKpi::offered), kpi(r.reports[1], CallKpi::offered));
  EXPECT_NE(kpi(r.reports[1], CallKpi::offered), kpi(r.reports[2], CallKpi::offered));
}

TEST(Replications, CommonRandomNumbersAcrossStaffing) {
  // Same seed, different staffing: the arrival stream is the same.
  const Scenario a = test::mmc(900, 240, 62, 180, 4);
  const Scenario b = test::mmc(900, 240, 70, 180, 4);
  const auto ra = sim::simulate_once(a, sim::RunOptions{3, 0});
  const auto rb = sim::simulate_once(b, sim::RunOptions{3, 0});
  EXPECT_EQ(kpi(ra, CallKpi::offered), kpi(rb, CallKpi::offered));
  EXPECT_GT(kpi(rb, CallKpi::service_level), kpi(ra, CallKpi::service_level));
}

TEST(Simulation, ConservationEveryInterval) {
  Scenario s = test::mmc(1200, 300, 90, 120, 6);
  s.queues[0].max_length = 20;
  const KpiReport r = sim::simulate_once(s, sim::RunOptions{11, 0});
  double offered = 0;
  for (const auto& row : r.interval) {
    auto k = [&](CallKpi m) { return row[static_cast<int>(m)]; };
    // The run drains: every call that arrived in the interval has an outcome.
    EXPECT_EQ(k(CallKpi::offered), k(CallKpi::handled) + k(CallKpi::abandoned) + k(CallKpi::contained) + k(CallKpi::blocked));
    offered += k(CallKpi::offered);
  }
  EXPECT_EQ(offered, kpi(r, CallKpi::offered));
  EXPECT_GT(kpi(r, CallKpi::blocked), 0);
  EXPECT_EQ(r.in_system_at_end, 0);
}

TEST(Simulation, LittlesLawForTheQueue) {
  // L = lambda * W over a long steady-state run: mean queue length equals the
  // arrival rate times the mean wait of all arrivals.
  const double per_hour = 1100;
  const Scenario s = test::mmc(per_hour, 300, 95, 300, 200, 2);
  const KpiReport r = sim::simulate_once(s, sim::RunOptions{5, 0});
  const double lambda = kpi(r, CallKpi::offered) / s.horizon.length;
  const double mean_wait = kpi(r, CallKpi::mean_wait);  // every call reached the queue
  const double mean_length = r.total_queue[static_cast<int>(QueueKpi::mean_length)];
  EXPECT_GT(mean_length, 1.0);
  EXPECT_NEAR(mean_length / (lambda * mean_wait), 1.0, 0.02);
}

TEST(Simulation, MemoryFollowsCallsInSystemNotCallsSimulated) {
  const Scenario shorter = test::mmc(1100, 300, 95, 300, 20);
  const Scenario longer = test::mmc(1100, 300, 95, 300, 200);
  sim::RunStats a, b;
  sim::simulate_once(shorter, sim::RunOptions{1, 0}, &a);
  sim::simulate_once(longer, sim::RunOptions{1, 0}, &b);
  EXPECT_GT(b.calls, 9 * a.calls);
  // Ten times the calls, about the same peak: the pools track the system, not history.
  EXPECT_LT(b.peak_calls_in_system, 2 * a.peak_calls_in_system);
  EXPECT_LT(b.peak_event_list, 2 * a.peak_event_list);
}
