// The IVR flow engine driven by hand.
#include <gtest/gtest.h>

#include "core/call_center.hpp"
#include "support/recording_driver.hpp"

using namespace switchboard;
using test::RecordingDriver;

namespace {

IvrNode node(const std::string& id, IvrKind kind) {
  IvrNode n;
  n.id = id;
  n.kind = kind;
  return n;
}

// welcome (prompt 5 s) -> menu (prompt 4 s, 1: lookup, 2: bot; retries 1, on_fail: q)
// lookup (vip -> priority 1) -> q ; bot (self-service, on_fail: q) ; ticket -> bye
enum : int { kWelcome, kMenu, kLookup, kBot, kQueue, kTicket, kBye };

Scenario ivr_scenario() {
  Scenario s;
  s.name = "ivr";
  s.horizon.length = 3600;
  s.skills = {"a"};
  s.tags = {"vip"};
  s.priorities = {PriorityClass{"normal", 0, 1}, PriorityClass{"vip", 90, 1}};
  AgentGroup g;
  g.name = "g";
  g.skills = {SkillLevel{0, 1}};
  g.staffing = {0};
  s.groups = {g};
  Queue q;
  q.name = "q";
  q.skill = 0;
  s.queues = {q};
  TicketCategory cat;
  cat.name = "follow_up";
  cat.owner_group = 0;
  cat.sla = 3600;
  cat.work_time = Distribution::exponential_of(600);
  s.ticket_categories = {cat};
  IvrNode welcome = node("welcome", IvrKind::prompt);
  welcome.duration = 5;
  welcome.next = kMenu;
  IvrNode menu = node("menu", IvrKind::menu);
  menu.duration = 4;
  menu.timeout = 3;
  menu.retries = 1;
  menu.options = {MenuOption{'1', kLookup}, MenuOption{'2', kBot}, MenuOption{'3', kTicket}};
  menu.on_fail = kQueue;
  IvrNode lookup = node("lookup", IvrKind::lookup);
  lookup.tag = 0;
  lookup.tagged_priority = 1;
  lookup.next = kQueue;
  IvrNode bot = node("bot", IvrKind::self_service);
  bot.success_probability = 0.6;
  bot.on_fail = kQueue;
  IvrNode to_queue = node("to_queue", IvrKind::queue);
  to_queue.queue = 0;
  IvrNode ticket = node("ticket", IvrKind::ticket);
  ticket.category = 0;
  ticket.next = kBye;
  s.ivr = {welcome, menu, lookup, bot, to_queue, ticket, node("bye", IvrKind::hangup)};
  CallType t;
  t.name = "calls";
  t.arrivals.rate_per_hour = {10};
  t.handle_time = Distribution::exponential_of(100);
  t.entry_node = kWelcome;
  s.call_types = {t};
  return s;
}

// Plays the welcome and the menu prompt: the menu now collects a digit.
CallHandle reach_menu(CallCenter& cc, RecordingDriver& d, double at) {
  const CallHandle c = cc.on_call_arrived(at, 0, 1u /* vip */);
  EXPECT_DOUBLE_EQ(d.last_call_timer_at(c), at + 5);
  cc.on_timer(at + 5, d.last_call_timer(c));
  EXPECT_DOUBLE_EQ(d.last_call_timer_at(c), at + 9);
  cc.on_timer(at + 9, d.last_call_timer(c));
  EXPECT_EQ(d.digits_asked.back(), c);
  return c;
}

double kpi(const KpiReport& r, CallKpi k) { return r.total[static_cast<int>(k)]; }

}  // namespace

TEST(Ivr, DigitRoutesThroughLookupToQueueWithVipPriority) {
  const Scenario s = ivr_scenario();
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle c = reach_menu(cc, d, 0);
  cc.on_digit(10, c, '1');
  EXPECT_EQ(cc.waiting_in_queue(0), 1);
  EXPECT_EQ(d.waiting.back(), c);
}

TEST(Ivr, InvalidDigitRepromptsThenFailsOver) {
  const Scenario s = ivr_scenario();
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle c = reach_menu(cc, d, 0);
  cc.on_digit(10, c, '9');                            // invalid: the menu replays (retry 1 of 1)
  EXPECT_DOUBLE_EQ(d.last_call_timer_at(c), 14);
  cc.on_timer(14, d.last_call_timer(c));              // prompt over, collecting again
  EXPECT_EQ(d.digits_asked.size(), 2u);
  cc.on_timer(17, d.last_call_timer(c));              // timeout, no retries left: on_fail
  EXPECT_EQ(cc.waiting_in_queue(0), 1);
}

TEST(Ivr, EveryPromptAndMenuReplayIsPlayedForItsDuration) {
  const Scenario s = ivr_scenario();
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle c = reach_menu(cc, d, 0);
  cc.on_digit(10, c, '9');  // invalid: the menu's prompt again
  ASSERT_EQ(d.prompts.size(), 3u);
  EXPECT_EQ(d.prompts[0].node, kWelcome);
  EXPECT_DOUBLE_EQ(d.prompts[0].seconds, 5);
  EXPECT_EQ(d.prompts[1].node, kMenu);
  EXPECT_DOUBLE_EQ(d.prompts[1].seconds, 4);
  EXPECT_EQ(d.prompts[2].node, kMenu);
  for (const auto& p : d.prompts) EXPECT_EQ(p.call, c);
}

TEST(Ivr, SelfServiceSuccessIsContainedFailureQueues) {
  const Scenario s = ivr_scenario();
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle ok = reach_menu(cc, d, 0);
  cc.on_digit(10, ok, '2');
  ASSERT_EQ(d.self_service.back(), ok);
  cc.on_self_service_done(70, ok, true);
  EXPECT_EQ(d.releases.back().second, EndReason::contained);
  const CallHandle fail = reach_menu(cc, d, 100);
  cc.on_digit(110, fail, '2');
  cc.on_self_service_done(150, fail, false);
  EXPECT_EQ(cc.waiting_in_queue(0), 1);
  const KpiReport r = cc.report(3600);
  EXPECT_EQ(kpi(r, CallKpi::offered), 2);
  EXPECT_EQ(kpi(r, CallKpi::contained), 1);
}

TEST(Ivr, TicketNodeOpensTicketAndHangsUp) {
  const Scenario s = ivr_scenario();
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle c = reach_menu(cc, d, 0);
  cc.on_digit(10, c, '3');
  ASSERT_EQ(d.tickets.size(), 1u);
  EXPECT_EQ(d.releases.back().second, EndReason::contained);
  EXPECT_EQ(cc.tickets()[d.tickets[0]].state, TicketState::in_progress);
  EXPECT_DOUBLE_EQ(cc.tickets()[d.tickets[0]].due, 10 + 3600);
  cc.on_ticket_resolved(1000, d.tickets[0]);
  const KpiReport r = cc.report(3600);
  EXPECT_EQ(kpi(r, CallKpi::tickets_created), 1);
  EXPECT_EQ(r.tickets_resolved, 1);
  EXPECT_EQ(r.tickets_within_sla, 1);
  EXPECT_EQ(r.tickets_open_at_end, 0);
}

TEST(Ivr, HangupInIvrIsAbandoned) {
  const Scenario s = ivr_scenario();
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle c = cc.on_call_arrived(0, 0, 0);
  cc.on_caller_hangup(2, c);
  cc.on_timer(5, d.last_call_timer(c));  // the prompt timer of a gone call does nothing
  const KpiReport r = cc.report(3600);
  EXPECT_EQ(kpi(r, CallKpi::abandoned), 1);
  EXPECT_EQ(cc.calls_in_system(), 0u);
}

TEST(Tickets, TransitionsMustFollowTheLifecycle) {
  const Scenario s = ivr_scenario();
  RecordingDriver d;
  TicketBook book(s, d);
  const TicketId t = book.open(0, 0, 0, 0);
  ASSERT_EQ(d.tickets, std::vector<TicketId>{t});  // without a back office work starts at once
  EXPECT_EQ(book[t].state, TicketState::in_progress);
  book.work_done(7200, t);                          // late: SLA 3600
  EXPECT_THROW(book.work_done(7300, t), std::logic_error);  // closed: no work left
  EXPECT_EQ(book.resolved_count(), 1);
  EXPECT_EQ(book.resolved_within_sla(), 0);
  EXPECT_EQ(book.open_count(), 0u);
}
