// An agent site lost mid-call: the call goes back to the queue, its answer
// taken back, and its caller's patience either continues (still running) or
// starts anew (it ran out while the caller talked).
#include <gtest/gtest.h>

#include "core/call_center.hpp"
#include "support/recording_driver.hpp"
#include "support/scenarios.hpp"

using namespace switchboard;
using test::RecordingDriver;

namespace {

// One queue served by one group of one agent, which the tests lose.
Scenario one_site() { return test::mmc(60, 100, 1, 0, 1); }

double kpi(const KpiReport& r, CallKpi k) { return r.total[static_cast<int>(k)]; }

}  // namespace

// The call waits (the driver starts its patience), then the site's agent
// logs in and answers it.
CallHandle waited_then_answered(CallCenter& cc, RecordingDriver& d) {
  cc.start(0);
  const CallHandle call = cc.on_call_arrived(1, 0, 0);
  EXPECT_EQ(d.waiting.size(), 1u);
  cc.on_agent_login(5, 0);
  EXPECT_EQ(d.rings.size(), 1u);
  cc.on_agent_answered(6, 0, call);
  return call;
}

constexpr CallCenterOptions kDriverRoster{false, true};

TEST(GroupLoss, CallerWhosePatienceRanOutWhileTalkingWaitsWithNewPatience) {
  const Scenario s = one_site();
  RecordingDriver d;
  CallCenter cc(s, d, kDriverRoster);
  const CallHandle call = waited_then_answered(cc, d);
  cc.on_caller_hangup(30, call);  // its patience ran out while it talked: ignored then
  EXPECT_EQ(cc.agents()[0].state, AgentState::talking);
  cc.on_group_lost(40, 0);
  EXPECT_EQ(cc.waiting_in_queue(0), 1);
  ASSERT_EQ(d.waiting.size(), 2u);  // the driver draws new patience from now
  EXPECT_EQ(d.waiting[1], call);
  cc.on_caller_hangup(50, call);  // that new patience runs out: an abandon
  EXPECT_EQ(cc.waiting_in_queue(0), 0);
  const KpiReport r = cc.report(3600);
  EXPECT_EQ(kpi(r, CallKpi::handled), 0);
  EXPECT_EQ(kpi(r, CallKpi::abandoned), 1);
}

TEST(GroupLoss, CallerWhosePatienceStillRunsKeepsItsDeadline) {
  const Scenario s = one_site();
  RecordingDriver d;
  CallCenter cc(s, d, kDriverRoster);
  const CallHandle call = waited_then_answered(cc, d);
  cc.on_group_lost(10, 0);  // before its patience ran out
  EXPECT_EQ(cc.waiting_in_queue(0), 1);
  EXPECT_EQ(d.waiting.size(), 1u);  // no second patience: the first still runs
  cc.on_caller_hangup(30, call);    // and ends the wait when it runs out
  EXPECT_EQ(cc.waiting_in_queue(0), 0);
  EXPECT_EQ(kpi(cc.report(3600), CallKpi::abandoned), 1);
}
