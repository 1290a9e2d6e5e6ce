// An agent's pieces of work (a conversation, a wrap-up) have handles like
// calls do: an end that arrives after it stopped mattering (a virtual agent's
// scheduled end of a talk the caller already ended with a BYE) is ignored by
// the core, so no driver has to cancel or count anything. And agents who log
// in take waiting calls as the queue's routing policy says.
#include <gtest/gtest.h>

#include "core/call_center.hpp"
#include "support/recording_driver.hpp"
#include "support/scenarios.hpp"

using namespace switchboard;
using test::RecordingDriver;

TEST(AgentWork, AStaleTalkEndDoesNotEndTheAgentsNextCall) {
  const Scenario s = test::mmc(60, 100, 1, 0, 1);
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle first = cc.on_call_arrived(10, 0, 0);
  cc.on_agent_answered(10, 0, first);
  const AgentHandle first_talk = d.talk(0);
  cc.on_talk_ended(20, cc.current(0));  // the caller hung up (a BYE): the talk ends now
  ASSERT_EQ(d.releases.back().first, first);
  const CallHandle second = cc.on_call_arrived(30, 0, 0);
  cc.on_agent_answered(30, 0, second);
  ASSERT_NE(d.talk(0), first_talk);
  // The first talk's scheduled end comes now, while the agent talks with the second caller.
  cc.on_talk_ended(110, first_talk);
  EXPECT_EQ(cc.agents()[0].state, AgentState::talking);
  EXPECT_EQ(cc.agents()[0].call, second);
  EXPECT_EQ(d.releases.size(), 1u);
  cc.on_talk_ended(130, d.talk(0));
  ASSERT_EQ(d.releases.size(), 2u);
  EXPECT_EQ(d.releases.back().first, second);
  EXPECT_EQ(d.releases.back().second, EndReason::handled);
  EXPECT_EQ(cc.agents()[0].state, AgentState::idle);
}

TEST(AgentWork, AStaleWrapUpEndDoesNotCutTheNextWrapUpShort) {
  Scenario s = test::mmc(60, 100, 1, 0, 1);
  s.groups[0].wrap_up = Distribution::constant_of(30);
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle first = cc.on_call_arrived(10, 0, 0);
  cc.on_agent_answered(10, 0, first);
  cc.on_talk_ended(20, d.talk(0));
  const AgentHandle first_wrap_up = d.wrap_up(0);
  cc.on_wrap_up_ended(50, first_wrap_up);
  const CallHandle second = cc.on_call_arrived(60, 0, 0);
  cc.on_agent_answered(60, 0, second);
  cc.on_talk_ended(70, d.talk(0));
  ASSERT_EQ(d.wrap_ups.size(), 2u);
  ASSERT_NE(d.wrap_up(0), first_wrap_up);
  cc.on_wrap_up_ended(75, first_wrap_up);  // delivered twice by a confused driver: stale
  EXPECT_EQ(cc.agents()[0].state, AgentState::wrap_up);
  cc.on_wrap_up_ended(100, d.wrap_up(0));
  EXPECT_EQ(cc.agents()[0].state, AgentState::idle);
}

TEST(AgentWork, AHandleOfAnotherAgentOrNoAgentIsIgnored) {
  const Scenario s = test::mmc(60, 100, 2, 0, 1);
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle call = cc.on_call_arrived(10, 0, 0);
  const AgentId agent = d.rings.back().agent;
  cc.on_agent_answered(10, agent, call);
  const AgentHandle talk = d.talk(agent);
  cc.on_talk_ended(20, AgentHandle{1 - agent, talk.token});  // the other agent is idle
  cc.on_talk_ended(20, AgentHandle{99, talk.token});         // no such agent
  EXPECT_EQ(cc.agents()[agent].state, AgentState::talking);
  EXPECT_TRUE(d.releases.empty());
}

// Staffing goes from one agent to four while a call waits. The queue routes
// round-robin, so the agents who log in take waiting calls in the queue's
// rotation, and the rotation goes on from there: the next call goes to the
// agent after the one the waiting call got, not to that one again.
TEST(AgentWork, AgentsLoggingInTakeWaitingCallsByTheQueuesPolicy) {
  Scenario s = test::mmc(60, 100, 4, 0, 1);
  s.horizon.interval = 900;
  s.groups[0].staffing = {1, 4, 4, 4};
  s.queues[0].routing = RoutingPolicy::round_robin;
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle first = cc.on_call_arrived(10, 0, 0);
  ASSERT_EQ(d.rings.back().agent, 0u);
  cc.on_agent_answered(10, 0, first);
  const CallHandle second = cc.on_call_arrived(20, 0, 0);
  ASSERT_EQ(d.rings.size(), 1u);  // it waits
  cc.set_staffing(900, 0, 4);      // agents 1, 2, 3 log in
  ASSERT_EQ(d.rings.size(), 2u);
  EXPECT_EQ(d.rings.back().call, second);
  EXPECT_EQ(d.rings.back().agent, 1u);
  cc.on_agent_answered(900, 1, second);
  cc.on_talk_ended(910, d.talk(1));  // agent 1 idle again, since 910
  cc.on_call_arrived(920, 0, 0);
  // Round-robin after agent 1: agent 2 (longest idle would say 2 as well, but
  // a rotation that had not moved on would give agent 1 the call again).
  EXPECT_EQ(d.rings.back().agent, 2u);
  cc.on_agent_answered(920, 2, d.rings.back().call);
  cc.on_call_arrived(930, 0, 0);
  EXPECT_EQ(d.rings.back().agent, 3u);
}
