// The core driven by hand: each test plays the outside world through the
// recording driver and checks the core's decisions and KPIs.
#include <gtest/gtest.h>

#include "core/call_center.hpp"
#include "support/recording_driver.hpp"

using namespace switchboard;
using test::RecordingDriver;

namespace {

AgentGroup group(const std::string& name, std::vector<SkillLevel> skills, int agents) {
  AgentGroup g;
  g.name = name;
  g.skills = std::move(skills);
  g.staffing = {agents};
  return g;
}

Queue queue(const std::string& name, int skill, RoutingPolicy policy = RoutingPolicy::longest_idle) {
  Queue q;
  q.name = name;
  q.skill = skill;
  q.routing = policy;
  return q;
}

CallType call_type(int entry_queue) {
  CallType t;
  t.name = "calls";
  t.arrivals.rate_per_hour = {60};
  t.handle_time = Distribution::exponential_of(100);
  t.entry_queue = entry_queue;
  return t;
}

// Skills a, b; one queue per skill; no agents until a test adds groups.
Scenario base() {
  Scenario s;
  s.name = "test";
  s.horizon.length = 3600;
  s.horizon.interval = 900;
  s.skills = {"a", "b"};
  s.priorities = {PriorityClass{"normal", 0, 1}};
  s.queues = {queue("qa", 0), queue("qb", 1)};
  s.call_types = {call_type(0), call_type(1)};
  return s;
}

double kpi(const KpiReport& r, CallKpi k) { return r.total[static_cast<int>(k)]; }

}  // namespace

TEST(CallCenter, LongestIdleAgentGetsTheCall) {
  Scenario s = base();
  s.groups = {group("g", {{0, 1}}, 3)};
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  // Agents 0,1,2 logged in at 0 in order: agent 0 has been idle longest.
  const CallHandle c1 = cc.on_call_arrived(10, 0, 0);
  ASSERT_EQ(d.rings.size(), 1u);
  EXPECT_EQ(d.rings[0].agent, 0u);
  cc.on_agent_answered(10, 0, c1);
  cc.on_talk_ended(50, d.talk(0));  // agent 0 idle again at 50: now the most recently idle
  cc.on_call_arrived(60, 0, 0);
  EXPECT_EQ(d.rings.back().agent, 1u);
  cc.on_call_arrived(61, 0, 0);
  EXPECT_EQ(d.rings.back().agent, 2u);
  cc.on_call_arrived(62, 0, 0);
  EXPECT_EQ(d.rings.back().agent, 0u);
}

TEST(CallCenter, BestSkillLevelFirstThenLongestIdle) {
  Scenario s = base();
  s.queues[0].routing = RoutingPolicy::best_skill;
  // Group "generalist" (level 2) logs in first, so its agent has been idle longest.
  s.groups = {group("generalist", {{0, 2}, {1, 1}}, 1), group("expert", {{0, 1}}, 2)};
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  cc.on_call_arrived(5, 0, 0);
  EXPECT_EQ(cc.agents()[d.rings.back().agent].group, 1);
  cc.on_call_arrived(6, 0, 0);
  EXPECT_EQ(cc.agents()[d.rings.back().agent].group, 1);
  cc.on_call_arrived(7, 0, 0);  // experts busy: the generalist takes it
  EXPECT_EQ(cc.agents()[d.rings.back().agent].group, 0);
}

TEST(CallCenter, LongestIdleIgnoresSkillLevel) {
  Scenario s = base();
  s.groups = {group("generalist", {{0, 2}}, 1), group("expert", {{0, 1}}, 1)};
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  cc.on_call_arrived(5, 0, 0);
  EXPECT_EQ(cc.agents()[d.rings.back().agent].group, 0);
}

TEST(CallCenter, LeastOccupiedAgentGetsTheCall) {
  Scenario s = base();
  s.queues[0].routing = RoutingPolicy::least_occupied;
  s.groups = {group("g", {{0, 1}}, 2)};
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  // Agent 0 talks 0..90, agent 1 talks 80..85: at 100 agent 1 is the less
  // occupied (and, here, also the longest idle).
  const CallHandle c1 = cc.on_call_arrived(0, 0, 0);
  cc.on_agent_answered(0, 0, c1);
  const CallHandle c2 = cc.on_call_arrived(80, 0, 0);
  ASSERT_EQ(d.rings.back().agent, 1u);
  cc.on_agent_answered(80, 1, c2);
  cc.on_talk_ended(85, d.talk(1));   // agent 1: busy 5 of 100 s, idle since 85
  cc.on_talk_ended(90, d.talk(0));   // agent 0: busy 90 of 100 s, idle since 90
  cc.on_call_arrived(100, 0, 0);
  EXPECT_EQ(d.rings.back().agent, 1u);
  // Now the less occupied agent is *not* the longest idle one.
  RecordingDriver d2;
  CallCenter cc2(s, d2);
  cc2.start(0);
  const CallHandle e1 = cc2.on_call_arrived(0, 0, 0);
  ASSERT_EQ(d2.rings.back().agent, 0u);
  cc2.on_agent_answered(0, 0, e1);
  cc2.on_talk_ended(60, d2.talk(0));   // agent 0: busy 60 s, idle since 60
  const CallHandle e2 = cc2.on_call_arrived(90, 0, 0);
  ASSERT_EQ(d2.rings.back().agent, 1u);  // never busy yet
  cc2.on_agent_answered(90, 1, e2);
  cc2.on_talk_ended(95, d2.talk(1));   // agent 1: busy 5 s, idle since 95
  cc2.on_call_arrived(100, 0, 0);
  EXPECT_EQ(d2.rings.back().agent, 1u);  // longest idle would have chosen agent 0
}

TEST(CallCenter, RoundRobinCyclesThroughAgents) {
  Scenario s = base();
  s.queues[0].routing = RoutingPolicy::round_robin;
  s.groups = {group("g", {{0, 1}}, 3)};
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  std::vector<CallHandle> calls;
  for (int i = 0; i < 3; ++i) {
    calls.push_back(cc.on_call_arrived(i, 0, 0));
    EXPECT_EQ(d.rings.back().agent, static_cast<AgentId>(i));
    cc.on_agent_answered(i, i, calls.back());
  }
  cc.on_talk_ended(5, d.talk(2));   // agent 2 idle since 5
  cc.on_talk_ended(20, d.talk(0));  // agent 0 idle since 20; agent 1 still talking
  cc.on_call_arrived(30, 0, 0);
  // The turn comes back round to agent 0; longest idle would have chosen agent 2.
  EXPECT_EQ(d.rings.back().agent, 0u);
  cc.on_agent_answered(30, 0, d.rings.back().call);
  cc.on_call_arrived(31, 0, 0);
  EXPECT_EQ(d.rings.back().agent, 2u);  // next after 0 that is free (1 is talking)
}

TEST(CallCenter, FreedAgentTakesOldestWeightedWaitWithHeadStart) {
  Scenario s = base();
  s.priorities = {PriorityClass{"normal", 0, 1}, PriorityClass{"vip", 90, 1}};
  s.groups = {group("g", {{0, 1}, {1, 1}}, 1)};
  s.call_types[1].priority = 1;  // callers to qb are VIPs
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle busy = cc.on_call_arrived(0, 0, 0);
  cc.on_agent_answered(0, 0, busy);
  const CallHandle normal = cc.on_call_arrived(10, 0, 0);   // waits 190 s by t=200
  const CallHandle vip = cc.on_call_arrived(150, 1, 0);     // waits 50 + 90 credit = 140
  const CallHandle normal2 = cc.on_call_arrived(160, 0, 0);
  cc.on_talk_ended(200, d.talk(0));
  EXPECT_EQ(d.rings.back().call, normal);
  cc.on_agent_answered(200, 0, normal);
  // At 220: vip 70 + 90 = 160 beats normal2's 60.
  cc.on_talk_ended(220, d.talk(0));
  EXPECT_EQ(d.rings.back().call, vip);
  (void)normal2;
}

TEST(CallCenter, AbandonWhileQueuedCountsWaitAndShortAbandon) {
  Scenario s = base();
  s.targets.short_abandon = 5;
  s.groups = {group("g", {{0, 1}}, 0)};
  s.groups[0].staffing = {0};
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle c1 = cc.on_call_arrived(10, 0, 0);
  const CallHandle c2 = cc.on_call_arrived(20, 0, 0);
  ASSERT_EQ(d.waiting.size(), 2u);
  EXPECT_EQ(cc.waiting_in_queue(0), 2);
  cc.on_caller_hangup(13, c1);   // 3 s: short abandon
  cc.on_caller_hangup(80, c2);   // 60 s
  cc.on_caller_hangup(90, c2);   // stale: ignored
  const KpiReport r = cc.report(3600);
  EXPECT_EQ(kpi(r, CallKpi::offered), 2);
  EXPECT_EQ(kpi(r, CallKpi::abandoned), 2);
  EXPECT_EQ(kpi(r, CallKpi::short_abandoned), 1);
  EXPECT_EQ(kpi(r, CallKpi::max_wait), 60);
  EXPECT_DOUBLE_EQ(kpi(r, CallKpi::mean_wait), 31.5);
  EXPECT_EQ(cc.calls_in_system(), 0u);
}

TEST(CallCenter, ServiceLevelAndAsaFromAnswers) {
  Scenario s = base();
  s.targets.answer_within = 20;
  s.groups = {group("g", {{0, 1}}, 1)};
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle c1 = cc.on_call_arrived(0, 0, 0);
  cc.on_agent_answered(0, 0, c1);                 // wait 0
  const CallHandle c2 = cc.on_call_arrived(10, 0, 0);
  cc.on_talk_ended(40, d.talk(0));                        // c2 waited 30 s
  cc.on_agent_answered(40, 0, c2);
  cc.on_talk_ended(100, d.talk(0));
  const KpiReport r = cc.report(3600);
  EXPECT_EQ(kpi(r, CallKpi::handled), 2);
  EXPECT_DOUBLE_EQ(kpi(r, CallKpi::service_level), 0.5);
  EXPECT_DOUBLE_EQ(kpi(r, CallKpi::asa), 15);
  EXPECT_DOUBLE_EQ(kpi(r, CallKpi::aht), (40.0 + 60.0) / 2);
  // Occupancy: busy 0..100 s of the hour (no interval boundary was fired).
  EXPECT_NEAR(r.group[0][static_cast<int>(GroupKpi::occupancy)], 100.0 / 3600.0, 1e-12);
}

TEST(CallCenter, OverflowWidensToAnotherSkillAfterDelay) {
  Scenario s = base();
  OverflowStep step;
  step.after = 60;
  step.add_skills = {1};
  s.queues[0].overflow = {step};
  s.groups = {group("ga", {{0, 1}}, 1), group("gb", {{1, 1}}, 1)};
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle busy = cc.on_call_arrived(0, 0, 0);
  cc.on_agent_answered(0, 0, busy);
  const CallHandle waiting = cc.on_call_arrived(10, 0, 0);
  EXPECT_EQ(d.rings.size(), 1u);  // agent of gb may not take it yet
  EXPECT_DOUBLE_EQ(d.last_call_timer_at(waiting), 70);
  cc.on_timer(70, d.last_call_timer(waiting));
  ASSERT_EQ(d.rings.size(), 2u);
  EXPECT_EQ(d.rings.back().call, waiting);
  EXPECT_EQ(cc.agents()[d.rings.back().agent].group, 1);
  EXPECT_EQ(kpi(cc.report(3600), CallKpi::overflows), 1);
}

TEST(CallCenter, OverflowMovesToAnotherQueueKeepingItsWait) {
  Scenario s = base();
  OverflowStep step;
  step.after = 30;
  step.move_to_queue = 1;
  s.queues[0].overflow = {step};
  s.groups = {group("gb", {{1, 1}}, 1)};
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle c = cc.on_call_arrived(0, 0, 0);
  cc.on_timer(30, d.last_call_timer(c));
  ASSERT_EQ(d.rings.size(), 1u);
  cc.on_agent_answered(32, d.rings[0].agent, c);
  const KpiReport r = cc.report(3600);
  EXPECT_DOUBLE_EQ(kpi(r, CallKpi::asa), 32);
  EXPECT_EQ(r.queue[0][static_cast<int>(CallKpi::handled)], 1);  // attributed to its first queue
  EXPECT_EQ(d.waiting.size(), 1u);  // patience started once, not again on the move
}

TEST(CallCenter, FullQueueGivesBusyOrRoutesElsewhere) {
  Scenario s = base();
  s.queues[0].max_length = 1;
  s.groups = {group("g", {{0, 1}}, 0)};
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  cc.on_call_arrived(0, 0, 0);
  const CallHandle busy = cc.on_call_arrived(1, 0, 0);
  ASSERT_EQ(d.releases.size(), 1u);
  EXPECT_EQ(d.releases[0].first, busy);
  EXPECT_EQ(d.releases[0].second, EndReason::busy);
  EXPECT_EQ(kpi(cc.report(10), CallKpi::blocked), 1);

  s.queues[0].when_full_queue = 1;
  RecordingDriver d2;
  CallCenter cc2(s, d2);
  cc2.start(0);
  cc2.on_call_arrived(0, 0, 0);
  cc2.on_call_arrived(1, 0, 0);
  EXPECT_TRUE(d2.releases.empty());
  EXPECT_EQ(cc2.waiting_in_queue(1), 1);
}

TEST(CallCenter, ClosedHoursRouteOrHangUp) {
  Scenario s = base();
  s.horizon.start_clock = 7 * 3600;  // t = 0 is 07:00
  s.queues[0].hours = OpenHours{false, 8 * 3600, 20 * 3600};
  s.groups = {group("g", {{0, 1}, {1, 1}}, 1)};
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  cc.on_call_arrived(100, 0, 0);  // 07:01: closed
  ASSERT_EQ(d.releases.size(), 1u);
  EXPECT_EQ(d.releases[0].second, EndReason::closed);
  cc.on_call_arrived(3600, 0, 0);  // 08:00: open
  EXPECT_EQ(d.rings.size(), 1u);
}

TEST(CallCenter, CallbackOfferedWhenExpectedWaitIsLong) {
  Scenario s = base();
  s.queues[0].callback = CallbackPolicy{true, 150};
  s.groups = {group("g", {{0, 1}}, 1)};  // AHT 100: the 2nd waiting call expects 200 s
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle talking = cc.on_call_arrived(0, 0, 0);
  cc.on_agent_answered(0, 0, talking);
  cc.on_call_arrived(1, 0, 0);  // expects (0+1) * 100 / 1 = 100 s: no offer
  EXPECT_TRUE(d.callbacks_offered.empty());
  const CallHandle second = cc.on_call_arrived(2, 0, 0);  // expects 200 s
  ASSERT_EQ(d.callbacks_offered.size(), 1u);
  cc.on_callback_answer(2, second, true);
  EXPECT_EQ(d.releases.back().second, EndReason::callback);
  cc.on_caller_hangup(50, second);  // off the line: patience no longer applies
  EXPECT_EQ(cc.calls_in_system(), 3u);
  cc.on_talk_ended(100, d.talk(0));
  cc.on_agent_answered(100, 0, d.rings.back().call);
  cc.on_talk_ended(150, d.talk(0));
  ASSERT_EQ(d.rings.back().call, second);
  EXPECT_TRUE(d.rings.back().callback);
  cc.on_agent_answered(150, 0, second);
  cc.on_talk_ended(200, d.talk(0));
  const KpiReport r = cc.report(3600);
  EXPECT_EQ(kpi(r, CallKpi::callbacks_offered), 1);
  EXPECT_EQ(kpi(r, CallKpi::callbacks_handled), 1);
  EXPECT_EQ(kpi(r, CallKpi::handled), 3);
  // SL and ASA leave the callback out: two calls, waits 0 and 99.
  EXPECT_DOUBLE_EQ(kpi(r, CallKpi::asa), 49.5);
}

TEST(CallCenter, RingNoAnswerRequeuesAndPausesTheAgent) {
  Scenario s = base();
  s.groups = {group("g", {{0, 1}}, 2)};
  s.groups[0].no_answer_probability = 0.1;
  s.groups[0].ring_timeout = 15;
  s.groups[0].no_answer_pause = 60;
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle c = cc.on_call_arrived(0, 0, 0);
  ASSERT_EQ(d.rings.size(), 1u);
  const AgentId first = d.rings[0].agent;
  cc.on_timer(15, d.last_call_timer(c));
  ASSERT_EQ(d.rings.size(), 2u);
  EXPECT_NE(d.rings[1].agent, first);
  EXPECT_EQ(cc.agents()[first].state, AgentState::away);
  cc.on_agent_answered(16, first, c);  // too late: ignored
  EXPECT_TRUE(d.bridges.empty());
  cc.on_agent_answered(17, d.rings[1].agent, c);
  EXPECT_EQ(d.bridges.size(), 1u);
}

TEST(CallCenter, StaffingFollowsIntervalsAndBusyAgentsFinishFirst) {
  Scenario s = base();
  s.groups = {group("g", {{0, 1}}, 0)};
  s.groups[0].staffing = {2, 1, 0, 0};
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  EXPECT_EQ(cc.agents().logged_in(0), 2);
  const CallHandle c = cc.on_call_arrived(10, 0, 0);
  cc.on_agent_answered(10, d.rings[0].agent, c);
  const auto interval_timer = [&] {
    for (auto it = d.timers.rbegin(); it != d.timers.rend(); ++it)
      if (it->ref.kind == TimerKind::interval) return *it;
    return RecordingDriver::Timer{};
  };
  auto t = interval_timer();
  EXPECT_DOUBLE_EQ(t.at, 900);
  cc.on_timer(900, t.ref);
  EXPECT_EQ(cc.agents().logged_in(0), 1);  // the idle one left
  t = interval_timer();
  EXPECT_DOUBLE_EQ(t.at, 1800);
  cc.on_timer(1800, t.ref);
  EXPECT_EQ(cc.agents().logged_in(0), 1);  // busy: leaves after the call
  cc.on_talk_ended(1900, d.talk(d.rings[0].agent));
  EXPECT_EQ(cc.agents().logged_in(0), 0);
}

TEST(CallCenter, StaleTimerOfAReusedSlotIsIgnored) {
  Scenario s = base();
  OverflowStep step;
  step.after = 30;
  step.move_to_queue = 1;
  s.queues[0].overflow = {step};
  s.groups = {group("g", {{1, 1}}, 0)};
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle first = cc.on_call_arrived(0, 0, 0);
  const TimerRef old = d.last_call_timer(first);
  cc.on_caller_hangup(5, first);
  const CallHandle second = cc.on_call_arrived(6, 0, 0);
  ASSERT_EQ(second.slot, first.slot);
  cc.on_timer(30, old);  // the first call's overflow: must not move the second
  EXPECT_EQ(cc.waiting_in_queue(0), 1);
  EXPECT_EQ(cc.waiting_in_queue(1), 0);
}

namespace {
// Answers every ring before ring_agent returns, as the event-list engine
// does for agents who answer without ringing.
class AnsweringDriver final : public RecordingDriver {
 public:
  CallCenter* core = nullptr;
  double now = 0;
  void ring_agent(CallHandle c, int type, AgentId a, bool cb) override {
    RecordingDriver::ring_agent(c, type, a, cb);
    core->on_agent_answered(now, a, c);
  }
};
}  // namespace

TEST(CallCenter, AnswerInsideRingAgentCountsAsAnAnswerAfterIt) {
  Scenario s = base();
  s.targets.answer_within = 20;
  s.groups = {group("g", {{0, 1}}, 1)};
  RecordingDriver later;
  CallCenter by_event(s, later);
  AnsweringDriver at_once;
  CallCenter inside(s, at_once);
  at_once.core = &inside;
  by_event.start(0);
  inside.start(0);
  // Each call is answered where it is rung: on arrival, and when the agent's
  // talk ends (the ring inside on_talk_ended's own step).
  const CallHandle c1 = by_event.on_call_arrived(0, 0, 0);
  by_event.on_agent_answered(0, 0, c1);
  inside.on_call_arrived(0, 0, 0);
  const CallHandle c2 = by_event.on_call_arrived(10, 0, 0);
  at_once.now = 10;
  inside.on_call_arrived(10, 0, 0);
  by_event.on_talk_ended(40, later.talk(0));
  by_event.on_agent_answered(40, 0, c2);
  at_once.now = 40;
  inside.on_talk_ended(40, at_once.talk(0));
  ASSERT_EQ(at_once.bridges.size(), 2u);
  by_event.on_talk_ended(100, later.talk(0));
  at_once.now = 100;
  inside.on_talk_ended(100, at_once.talk(0));
  const KpiReport a = by_event.report(3600), b = inside.report(3600);
  EXPECT_EQ(kpi(b, CallKpi::handled), 2);
  EXPECT_DOUBLE_EQ(kpi(b, CallKpi::asa), 15);
  EXPECT_EQ(a.total, b.total);
  EXPECT_EQ(a.group, b.group);
  EXPECT_EQ(inside.calls_in_system(), 0u);
}
