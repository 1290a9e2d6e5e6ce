#include <gtest/gtest.h>

#include "sim/simulator.hpp"
#include "support/scenarios.hpp"

using namespace switchboard;

TEST(SimSmoke, ConservationOnMmcPlusM) {
  const Scenario s = test::mmc(1000, 300, 80, 120, 8);
  sim::RunStats stats;
  const KpiReport r = sim::simulate_once(s, sim::RunOptions{}, &stats);
  auto at = [&](CallKpi k) { return r.total[static_cast<int>(k)]; };
  EXPECT_GT(at(CallKpi::offered), 7000);
  EXPECT_EQ(at(CallKpi::offered), at(CallKpi::handled) + at(CallKpi::abandoned) + at(CallKpi::contained) +
                                      at(CallKpi::blocked) + r.in_system_at_end);
  EXPECT_GT(at(CallKpi::abandoned), 0);
  EXPECT_GT(at(CallKpi::service_level), 0.1);
  EXPECT_LT(at(CallKpi::service_level), 1.0);
}
