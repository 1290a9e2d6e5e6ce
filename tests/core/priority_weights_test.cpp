// Priority classes' weights (docs/scenario.md, "priorities"): a freed agent
// takes the waiting call with the largest weight x time waited + head start.
// The head start alone is tested in call_center_test.cpp; here the weight,
// alone and with a head start, decides who goes first, and changes its
// mind as the calls age. Agents are logged in by hand (the roster mode), so
// "an agent frees up" is one login at a chosen instant.
#include <gtest/gtest.h>

#include "core/call_center.hpp"
#include "support/recording_driver.hpp"
#include "support/scenarios.hpp"

using namespace switchboard;
using test::RecordingDriver;

namespace {

constexpr CallCenterOptions kRosterByDriver{false, true};

// One queue served by one agent seat; call type 0 is class "normal"
// (weight 1), call type 1 is class "fast" with the given weight and head start.
Scenario two_classes(double fast_weight, double fast_head_start) {
  Scenario s = test::mmc(60, 100, 1, 0, 1);
  s.priorities = {PriorityClass{"normal", 0, 1}, PriorityClass{"fast", fast_head_start, fast_weight}};
  s.call_types.push_back(s.call_types[0]);
  s.call_types[1].name = "fast";
  s.call_types[1].priority = 1;
  return s;
}

struct Race {
  CallHandle normal, fast;
  CallHandle served;
};

// A normal call at `normal_at`, a fast one at `fast_at`, the agent comes at `free_at`.
Race race(const Scenario& s, double normal_at, double fast_at, double free_at) {
  RecordingDriver d;
  CallCenter cc(s, d, kRosterByDriver);
  cc.start(0);
  Race r;
  r.normal = cc.on_call_arrived(normal_at, 0, 0);
  r.fast = cc.on_call_arrived(fast_at, 1, 0);
  EXPECT_EQ(cc.waiting_in_queue(0), 2);
  cc.on_agent_login(free_at, 0);
  EXPECT_EQ(d.rings.size(), 1u);
  r.served = d.rings.empty() ? CallHandle{} : d.rings[0].call;
  return r;
}

}  // namespace

TEST(PriorityWeights, AHeavierClassCatchesUpAsItWaits) {
  const Scenario s = two_classes(2, 0);
  // Normal since 0, fast (weight 2) since 60. At 100: 100 against 2 x 40 = 80.
  const Race early = race(s, 0, 60, 100);
  EXPECT_EQ(early.served, early.normal);
  // At 200: 200 against 2 x 140 = 280.
  const Race late = race(s, 0, 60, 200);
  EXPECT_EQ(late.served, late.fast);
}

TEST(PriorityWeights, WeightOneIsFirstComeFirstServed) {
  const Scenario s = two_classes(1, 0);
  for (const double free_at : {100.0, 200.0, 5000.0}) {
    const Race r = race(s, 0, 60, free_at);
    EXPECT_EQ(r.served, r.normal) << "agent free at " << free_at;
  }
}

TEST(PriorityWeights, ALighterClassWithAHeadStartFallsBehindLater) {
  // Fast: weight 0.5, head start 100 s; both calls arrive at 0.
  // At 150: 0.5 x 150 + 100 = 175 against 150. At 250: 225 against 250.
  const Scenario s = two_classes(0.5, 100);
  const Race early = race(s, 0, 0, 150);
  EXPECT_EQ(early.served, early.fast);
  const Race late = race(s, 0, 0, 250);
  EXPECT_EQ(late.served, late.normal);
}
