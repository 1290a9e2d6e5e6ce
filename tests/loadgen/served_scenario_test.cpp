// The scenario `loadtest --serve` gives the server: staffing rotated so the
// server's interval clock matches the window's.
#include <gtest/gtest.h>

#include "io/scenario_loader.hpp"
#include "loadgen/served_scenario.hpp"

namespace switchboard::loadgen {
namespace {

TEST(ServedScenario, StaffingIsRotatedAndArrivalsNeedNoFile) {
  const std::string path = SWITCHBOARD_SOURCE_DIR "/scenarios/bank-day.yaml";
  const Scenario day = load_scenario(path);
  ASSERT_TRUE(staffing_varies(day));
  // The window starts at the day's interval 8 (09:00); the server's interval 1 begins then.
  const Scenario served = parse_scenario(served_scenario_yaml(path, 8, 1), "served.yaml", "/nonexistent");
  const auto& before = day.groups[0].staffing;
  const auto& after = served.groups[0].staffing;
  ASSERT_EQ(after.size(), before.size());
  const std::size_t n = before.size();
  for (std::size_t j = 0; j < n; ++j) EXPECT_EQ(after[j], before[(j + 8 - 1) % n]) << j;
  EXPECT_EQ(after[1], before[8]);
  EXPECT_EQ(served.call_types[0].arrivals.kind, ArrivalKind::poisson);  // no replayed file to find
  EXPECT_EQ(served.queues.size(), day.queues.size());
  EXPECT_EQ(served.call_types[0].patience.mean, day.call_types[0].patience.mean);
}

TEST(ServedScenario, ConstantStaffingIsLeftAlone) {
  const std::string path = SWITCHBOARD_SOURCE_DIR "/scenarios/erlang-c.yaml";
  const Scenario day = load_scenario(path);
  EXPECT_FALSE(staffing_varies(day));
  const Scenario served = parse_scenario(served_scenario_yaml(path, 3, 2), "served.yaml", "/nonexistent");
  EXPECT_EQ(served.groups[0].staffing, day.groups[0].staffing);
}

}  // namespace
}  // namespace switchboard::loadgen
