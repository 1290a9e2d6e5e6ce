// Agents who log in and out one by one (SIP agents registering), and rings
// that fail at once: the core's side of `switchboard serve --agents sip`.
#include <gtest/gtest.h>

#include "core/call_center.hpp"
#include "support/recording_driver.hpp"
#include "support/scenarios.hpp"

using namespace switchboard;
using test::RecordingDriver;

namespace {

// One queue, one group of three agent seats; the driver decides who is in.
Scenario roster_scenario(double no_answer_pause) {
  Scenario s = test::mmc(60, 100, 3, 0, 1);
  s.horizon.interval = 3600;
  AgentGroup& g = s.groups[0];
  g.ring_timeout = 15;
  g.no_answer_pause = no_answer_pause;
  g.wrap_up = Distribution::constant_of(10);
  return s;
}

constexpr CallCenterOptions kSipAgents{true, true};

}  // namespace

TEST(AgentRoster, NobodyIsLoggedInUntilTheDriverSaysSo) {
  const Scenario s = roster_scenario(60);
  RecordingDriver d;
  CallCenter cc(s, d, kSipAgents);
  cc.start(0);
  EXPECT_EQ(cc.agents().logged_in(0), 0);
  const CallHandle call = cc.on_call_arrived(1, 0, 0);
  EXPECT_TRUE(d.rings.empty());
  ASSERT_EQ(d.waiting.size(), 1u);
  cc.on_agent_login(5, 2);  // the waiting call goes to the agent who just came
  EXPECT_EQ(cc.agents().logged_in(0), 1);
  ASSERT_EQ(d.rings.size(), 1u);
  EXPECT_EQ(d.rings[0].agent, 2u);
  EXPECT_EQ(d.rings[0].call, call);
}

TEST(AgentRoster, LogoutWhileTalkingTakesEffectAfterWrapUp) {
  const Scenario s = roster_scenario(60);
  RecordingDriver d;
  CallCenter cc(s, d, kSipAgents);
  cc.start(0);
  cc.on_agent_login(0, 0);
  const CallHandle call = cc.on_call_arrived(1, 0, 0);
  cc.on_agent_answered(2, 0, call);
  cc.on_agent_logout(3, 0);
  EXPECT_EQ(cc.agents()[0].state, AgentState::talking);
  cc.on_talk_ended(50, d.talk(0));
  ASSERT_EQ(d.wrap_ups.size(), 1u);
  cc.on_wrap_up_ended(60, d.wrap_up(0));
  EXPECT_EQ(cc.agents()[0].state, AgentState::offline);
  EXPECT_EQ(cc.agents().logged_in(0), 0);
  cc.on_call_arrived(70, 0, 0);
  EXPECT_EQ(d.rings.size(), 1u);  // nobody left to ring
}

TEST(AgentRoster, IdleAgentLeavesAtOnceAndLoginAgainReturns) {
  const Scenario s = roster_scenario(60);
  RecordingDriver d;
  CallCenter cc(s, d, kSipAgents);
  cc.start(0);
  cc.on_agent_login(0, 1);
  cc.on_agent_logout(1, 1);
  EXPECT_EQ(cc.agents()[1].state, AgentState::offline);
  cc.on_agent_login(2, 1);
  cc.on_agent_login(3, 1);  // a repeated REGISTER changes nothing
  EXPECT_EQ(cc.agents()[1].state, AgentState::idle);
  EXPECT_EQ(cc.agents().logged_in(0), 1);
}

TEST(AgentRoster, RingFailureRequeuesTheCallAndPausesTheAgent) {
  const Scenario s = roster_scenario(60);
  RecordingDriver d;
  CallCenter cc(s, d, kSipAgents);
  cc.start(0);
  cc.on_agent_login(0, 0);
  cc.on_agent_login(0, 1);
  const CallHandle call = cc.on_call_arrived(1, 0, 0);
  ASSERT_EQ(d.rings.size(), 1u);
  const AgentId first = d.rings[0].agent;
  cc.on_ring_failed(2, first, call);
  EXPECT_EQ(cc.agents()[first].state, AgentState::away);
  ASSERT_EQ(d.rings.size(), 2u);
  EXPECT_NE(d.rings[1].agent, first);
  EXPECT_EQ(d.rings[1].call, call);
  cc.on_ring_failed(3, first, call);  // stale: the call rings someone else now
  EXPECT_EQ(d.rings.size(), 2u);
}

TEST(AgentRoster, RingNoAnswerOfAnAgentLeavingLogsThemOut) {
  const Scenario s = roster_scenario(0);  // no pause: a no-answer would make the agent idle again
  RecordingDriver d;
  CallCenter cc(s, d, kSipAgents);
  cc.start(0);
  cc.on_agent_login(0, 0);
  const CallHandle call = cc.on_call_arrived(1, 0, 0);
  cc.on_agent_logout(2, 0);
  const TimerRef ring_timeout = d.last_call_timer(call);  // always armed for SIP agents
  EXPECT_DOUBLE_EQ(d.last_call_timer_at(call), 16);
  cc.on_timer(16, ring_timeout);
  EXPECT_EQ(cc.agents()[0].state, AgentState::offline);
  EXPECT_EQ(d.waiting.size(), 1u);  // back in the queue
}

TEST(AgentRoster, ScenarioStaffingIsIgnored) {
  Scenario s = roster_scenario(60);
  s.horizon.interval = 900;
  s.groups[0].staffing = {1, 3, 2, 3};
  RecordingDriver d;
  CallCenter cc(s, d, kSipAgents);
  cc.start(0);
  for (const auto& t : std::vector<RecordingDriver::Timer>(d.timers))
    if (t.ref.kind == TimerKind::interval) cc.on_timer(t.at, t.ref);
  EXPECT_EQ(cc.agents().logged_in(0), 0);
}
