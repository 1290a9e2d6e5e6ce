#include <gtest/gtest.h>

#include "core/input_error.hpp"
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

// An unstable scenario (calls arrive far faster than agents serve them and
// never hang up) stops with an InputError naming the call types once a
// million calls are in the system, instead of taking the machine's memory.
TEST(SimSmoke, ARunawayQueueStopsWithAnInputError) {
  const Scenario s = test::mmc(1e9, 300, 2, 0, 8);  // no patience
  try {
    sim::simulate_once(s, sim::RunOptions{});
    FAIL() << "ran an unbounded queue to the end";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].field, "call_types");
    EXPECT_NE(e.problems()[0].message.find("more than 1000000 calls in the system at once"), std::string::npos) << e.what();
  }
  // Below the bound it runs: about 900,000 calls (Poisson, sd 950) in 3.24 s.
  const Scenario busy = test::mmc(1e9, 300, 2, 0, 9e-4);
  EXPECT_NO_THROW(sim::simulate_once(busy, sim::RunOptions{}));
}
