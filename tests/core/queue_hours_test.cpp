// Queue hours and the routes out of a queue (docs/scenario.md, "queues"):
// `hours` follow the clock (horizon.start + t, across midnight and into the
// warm-up), open is inclusive and close exclusive; a closed queue sends a
// call to `when_closed` (or hangs up: blocked), a full one to `when_full`
// (or a busy signal: blocked), hop after hop, and a loop of queues routing
// to each other ends instead of bouncing forever. Then the same in the
// simulator over a day: every call of a closed interval is blocked, no call
// of an open one is.
#include <gtest/gtest.h>

#include "core/call_center.hpp"
#include "sim/replications.hpp"
#include "support/recording_driver.hpp"
#include "support/scenarios.hpp"

using namespace switchboard;
using test::RecordingDriver;

namespace {

constexpr double kHour = 3600;

// Queues "day" (open 08:00-20:00) and "night" (always open), one skill
// each; nobody logged in, so a call that gets in stays waiting.
Scenario day_and_night(double start_clock) {
  Scenario s = test::mmc(60, 100, 0, 0, 48);
  s.horizon.start_clock = start_clock;
  s.skills = {"day", "night"};
  s.queues[0].name = "day";
  s.queues[0].hours = OpenHours{false, 8 * kHour, 20 * kHour};
  Queue night = s.queues[0];
  night.name = "night";
  night.skill = 1;
  night.hours = OpenHours{};
  s.queues.push_back(night);
  s.groups[0].skills = {{0, 1}, {1, 1}};
  return s;
}

double kpi(const KpiReport& r, CallKpi k) { return r.total[static_cast<int>(k)]; }

// Where a call arriving at `t` ends up: "day", "night" or "closed"/"busy".
std::string fate(const Scenario& s, double t) {
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(t < 0 ? t : 0);
  cc.on_call_arrived(t, 0, 0);
  if (!d.releases.empty()) return d.releases[0].second == EndReason::closed ? "closed" : "busy";
  if (cc.waiting_in_queue(0) == 1) return "day";
  if (cc.waiting_in_queue(1) == 1) return "night";
  return "?";
}

}  // namespace

TEST(QueueHours, OpenIsInclusiveCloseIsExclusiveOnTheClock) {
  const Scenario s = day_and_night(7 * kHour);  // t = 0 is 07:00
  EXPECT_EQ(fate(s, kHour - 0.001), "closed");  // 07:59:59.999
  EXPECT_EQ(fate(s, kHour), "day");             // 08:00
  EXPECT_EQ(fate(s, 13 * kHour - 0.001), "day");
  EXPECT_EQ(fate(s, 13 * kHour), "closed");     // 20:00
  EXPECT_EQ(fate(s, 25 * kHour), "day");        // 08:00 the next day
  EXPECT_EQ(fate(s, 37 * kHour), "closed");     // 20:00 the next day
}

TEST(QueueHours, TheWarmUpIsOnTheClockToo) {
  const Scenario s = day_and_night(8 * kHour + 1800);  // t = 0 is 08:30
  EXPECT_EQ(fate(s, -1800), "day");                    // 08:00, in the warm-up
  EXPECT_EQ(fate(s, -1800.001), "closed");
  const Scenario midnight = day_and_night(0);           // t = 0 is 00:00
  EXPECT_EQ(fate(midnight, -4 * kHour - 1), "day");     // 19:59:59 the day before
  EXPECT_EQ(fate(midnight, -4 * kHour), "closed");      // 20:00 the day before
}

TEST(QueueHours, WhenClosedRoutesToAnotherQueue) {
  Scenario s = day_and_night(7 * kHour);
  s.queues[0].when_closed_queue = 1;
  EXPECT_EQ(fate(s, 0), "night");
  EXPECT_EQ(fate(s, kHour), "day");
  // Attributed to the queue it entered first, and not blocked.
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  cc.on_call_arrived(0, 0, 0);
  const KpiReport r = cc.report(10);
  EXPECT_EQ(kpi(r, CallKpi::blocked), 0);
  EXPECT_EQ(r.queue[0][static_cast<int>(CallKpi::offered)], 1);
  EXPECT_EQ(r.queue[1][static_cast<int>(CallKpi::offered)], 0);
}

TEST(QueueHours, ClosedWithoutARouteIsBlockedInItsQueueAndInterval) {
  const Scenario s = day_and_night(7 * kHour);
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  cc.on_call_arrived(100, 0, 0);   // 07:01, interval 0
  cc.on_call_arrived(3700, 0, 0);  // 08:01, interval 4: waits
  const KpiReport r = cc.report(4000);
  EXPECT_EQ(kpi(r, CallKpi::offered), 2);
  EXPECT_EQ(kpi(r, CallKpi::blocked), 1);
  EXPECT_EQ(r.interval[0][static_cast<int>(CallKpi::blocked)], 1);
  EXPECT_EQ(r.interval[4][static_cast<int>(CallKpi::blocked)], 0);
  EXPECT_EQ(r.queue[0][static_cast<int>(CallKpi::blocked)], 1);
}

TEST(QueueHours, WhenFullThenClosedFollowsEachQueuesOwnRule) {
  // day is full (max 0) and routes to night; night is closed and hangs up.
  Scenario s = day_and_night(7 * kHour);
  s.queues[0].hours = OpenHours{};
  s.queues[0].max_length = 0;
  s.queues[0].when_full_queue = 1;
  s.queues[1].hours = OpenHours{false, 8 * kHour, 20 * kHour};
  EXPECT_EQ(fate(s, 0), "closed");       // full, then closed: the night queue's answer
  EXPECT_EQ(fate(s, kHour), "night");    // 08:00: night is open
  // night closed -> back to day, full -> night ...: the loop stops after a
  // few hops with a refusal, counted blocked once, the call gone.
  s.queues[1].when_closed_queue = 0;
  EXPECT_TRUE(fate(s, 0) == "busy" || fate(s, 0) == "closed") << fate(s, 0);
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  cc.on_call_arrived(0, 0, 0);
  EXPECT_EQ(d.releases.size(), 1u);
  EXPECT_EQ(cc.calls_in_system(), 0u);
  const KpiReport r = cc.report(10);
  EXPECT_EQ(kpi(r, CallKpi::offered), 1);
  EXPECT_EQ(kpi(r, CallKpi::blocked), 1);
}

TEST(QueueHours, SimulatedDayBlocksExactlyTheClosedIntervals) {
  // 07:00-10:00 in hours, the queue open 08:00-09:00, agents enough: each
  // closed interval's calls are all blocked, each open interval's none.
  Scenario s = test::mmc(120, 60, 10, 0, 3);
  s.horizon.start_clock = 7 * kHour;
  s.horizon.interval = 900;
  s.queues[0].hours = OpenHours{false, 8 * kHour, 9 * kHour};
  const auto results = sim::run_replications(s, sim::ReplicationPlan{5, 3, 1});
  for (const KpiReport& r : results.reports) {
    ASSERT_EQ(r.interval.size(), 12u);
    double offered = 0;
    for (int i = 0; i < 12; ++i) {
      const auto& k = r.interval[i];
      const bool open = i >= 4 && i < 8;
      offered += k[static_cast<int>(CallKpi::offered)];
      EXPECT_EQ(k[static_cast<int>(CallKpi::blocked)], open ? 0 : k[static_cast<int>(CallKpi::offered)])
          << "interval " << i;
      if (open) {
        EXPECT_EQ(k[static_cast<int>(CallKpi::handled)], k[static_cast<int>(CallKpi::offered)]) << i;
      }
    }
    EXPECT_GT(offered, 200);  // 120/h for 3 h: an empty run would pass the loop
  }
}
