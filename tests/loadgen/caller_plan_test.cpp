// The load test's caller plan follows the scenario's behaviour models and the
// simulator's seeded streams.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "core/input_error.hpp"
#include "core/kpi.hpp"
#include "io/scenario_loader.hpp"
#include "loadgen/caller_plan.hpp"
#include "sim/behaviour.hpp"
#include "sim/event_list.hpp"
#include "sim/simulator.hpp"
#include "sim/world.hpp"

namespace switchboard::loadgen {
namespace {

// A welcome prompt, a menu whose behaviour model gives every kind of answer
// (three valid keys, a key the menu lacks, silence), exponential patience.
const char* kMenuScenario = R"(
name: plan-test
horizon: {start: "08:00", length: 8h, interval: 1h}
skills: [billing, tech]
agent_groups:
  - {name: team, skills: [billing, tech], agents: 40}
queues:
  - {name: billing, skill: billing}
  - {name: tech, skill: tech, callback: {offer_above_wait: 60s}}
ivr:
  - {id: welcome, type: prompt, duration: 5s, next: menu}
  - {id: menu, type: menu, duration: 10s, options: {"1": to_billing, "2": to_tech, "3": bye}, timeout: 5s, retries: 1, on_fail: to_billing}
  - {id: to_billing, type: queue, queue: billing}
  - {id: to_tech, type: queue, queue: tech}
  - {id: bye, type: hangup}
call_types:
  - name: customers
    arrivals: {process: poisson, rate: 1500}
    handle_time: {dist: exponential, mean: 60s}
    patience: {dist: exponential, mean: 240s}
    callback_accept: 0.3
    entry: {ivr: welcome}
    menus:
      menu: {"1": 0.5, "2": 0.3, "3": 0.1, invalid: 0.06, timeout: 0.04}
)";

Scenario menu_scenario() { return parse_scenario(kMenuScenario, "plan-test.yaml", "."); }

// Two-sided normal quantile for the Bonferroni-corrected level of each check.
double z_for(double family_alpha, int checks) {
  // Acklam-free: bisection on erfc, plenty for a test's critical value.
  const double target = family_alpha / checks;  // P(|Z| > z)
  double lo = 0, hi = 10;
  for (int i = 0; i < 100; ++i) {
    const double mid = (lo + hi) / 2;
    (std::erfc(mid / std::sqrt(2.0)) > target ? lo : hi) = mid;
  }
  return lo;
}

TEST(CallerPlan, SameSeedSamePlanOtherSeedOtherPlan) {
  const Scenario s = menu_scenario();
  const PlanWindow all{0, s.horizon.length};
  const Plan a = plan_calls(s, 7, all), b = plan_calls(s, 7, all), c = plan_calls(s, 8, all);
  ASSERT_EQ(a.calls.size(), b.calls.size());
  for (std::size_t i = 0; i < a.calls.size(); ++i) {
    EXPECT_EQ(a.calls[i].arrival, b.calls[i].arrival);
    EXPECT_EQ(a.calls[i].patience, b.calls[i].patience);
    ASSERT_EQ(a.calls[i].digits.size(), b.calls[i].digits.size());
    for (std::size_t d = 0; d < a.calls[i].digits.size(); ++d) EXPECT_EQ(a.calls[i].digits[d].digit, b.calls[i].digits[d].digit);
  }
  EXPECT_NE(a.calls.front().arrival, c.calls.front().arrival);
}

// The plan's arrivals are the simulator's (replication 0, same seed): as
// many calls as the simulated day offers, in every interval.
TEST(CallerPlan, ArrivalsAreTheSimulatorsOwn) {
  const Scenario s = menu_scenario();
  const Plan plan = plan_calls(s, 11, PlanWindow{0, s.horizon.length});
  sim::RunOptions options;
  options.seed = 11;
  const KpiReport sim = sim::simulate_once(s, options);
  std::vector<double> per_interval(sim.interval.size(), 0);
  for (const auto& c : plan.calls) per_interval[static_cast<std::size_t>(c.arrival / s.horizon.interval)] += 1;
  for (std::size_t i = 0; i < per_interval.size(); ++i)
    EXPECT_EQ(per_interval[i], sim.interval[i][static_cast<int>(CallKpi::offered)]) << "interval " << i;
}

// First-attempt answers at the menu: each share within sampling error of the
// scenario's probability. Six checks (five shares, the patience mean) share a
// family-wise error of 0.001, Bonferroni: each at 0.001 / 6, two-sided, on
// the normal approximation (n is about 12,000, every n*p above 400).
TEST(CallerPlan, DigitSharesAndPatienceFollowTheScenario) {
  const Scenario s = menu_scenario();
  const Plan plan = plan_calls(s, 3, PlanWindow{0, s.horizon.length});
  const double z = z_for(0.001, 6);
  // The welcome, the menu's prompt, then the response time (the loader's default: a constant 2 s).
  ASSERT_EQ(s.call_types[0].menu_response.kind, DistKind::constant);
  const double first_attempt = 5 + 10 + s.call_types[0].menu_response.value;
  std::map<char, double> count;
  double patience_sum = 0, patience_n = 0;
  for (const auto& c : plan.calls) {
    const bool pressed_first = !c.digits.empty() && c.digits.front().at == first_attempt;
    count[pressed_first ? c.digits.front().digit : 't'] += 1;
    if (c.queue != kNone) {  // only queued callers draw a patience
      ASSERT_TRUE(std::isfinite(c.patience));
      patience_sum += c.patience;
      ++patience_n;
    }
  }
  const double n = static_cast<double>(plan.calls.size());
  ASSERT_GT(n, 10000);
  // '?' is pressed as the first key the menu lacks: '0'.
  const std::map<char, double> expected{{'1', 0.5}, {'2', 0.3}, {'3', 0.1}, {'0', 0.06}, {'t', 0.04}};
  for (const auto& [key, p] : expected) {
    const double share = count[key] / n;
    EXPECT_NEAR(share, p, z * std::sqrt(p * (1 - p) / n)) << "key " << key;
  }
  // Exponential: sd = mean.
  EXPECT_NEAR(patience_sum / patience_n, 240, z * 240 / std::sqrt(patience_n));
}

TEST(CallerPlan, PathsFollowTheIvr) {
  const Scenario s = menu_scenario();
  const Plan plan = plan_calls(s, 5, PlanWindow{0, s.horizon.length});
  bool saw_retry = false, saw_callback = false;
  for (const auto& c : plan.calls) {
    if (c.digits.empty()) {  // silent twice: the menu gives up to billing after its retry
      EXPECT_EQ(c.queue, 0);
      EXPECT_EQ(c.queue_entry, 5 + 10 + 5 + 10 + 5);
      continue;
    }
    const char last = c.digits.back().digit;
    if (c.digits.size() > 1 || c.digits.front().at > 5 + 10 + 2) saw_retry = true;
    if (last == '3') {
      EXPECT_EQ(c.queue, kNone);  // hangs up in the IVR: contained, no patience drawn
      EXPECT_FALSE(std::isfinite(c.patience));
    }
    if (last == '2') {
      EXPECT_EQ(c.queue, 1);
    }
    EXPECT_TRUE(!c.accepts_callback || c.queue == 1);  // only the tech queue offers callbacks
    saw_callback = saw_callback || c.accepts_callback;
  }
  EXPECT_TRUE(saw_retry);
  EXPECT_TRUE(saw_callback);
}

// A scenario where the simulator draws each caller's values in arrival
// order: every caller hears the same 5 s prompt, then the menu, presses a
// key (never silence, never a wrong key) 2 s later, and waits in a queue no
// agent serves. The world then draws menu keys (at the menu) and patience
// (on queueing) in the order calls arrived, as the plan does.
const char* kInOrderScenario = R"(
name: in-order
horizon: {start: "08:00", length: 2h, interval: 1h}
skills: [a, b]
agent_groups:
  - {name: nobody, skills: [a, b], agents: 0}
queues:
  - {name: qa, skill: a}
  - {name: qb, skill: b}
ivr:
  - {id: welcome, type: prompt, duration: 5s, next: menu}
  - {id: menu, type: menu, duration: 3s, options: {"1": to_a, "2": to_b}, timeout: 5s, retries: 0, on_fail: to_a}
  - {id: to_a, type: queue, queue: qa}
  - {id: to_b, type: queue, queue: qb}
call_types:
  - name: customers
    arrivals: {process: poisson, rate: 600}
    handle_time: {dist: exponential, mean: 60s}
    patience: {dist: lognormal, mean: 90s, sd: 40s}
    menu_response: {dist: constant, value: 2s}
    entry: {ivr: welcome}
    menus:
      menu: {"1": 0.7, "2": 0.3}
)";

// Runs the simulator's world (replication 0) and records, in the order the
// world schedules them, the digits its callers press and the patience each
// gets on queueing (a hangup scheduled `patience` after now).
class RecordingSink final : public sim::EventSink {
 public:
  void schedule(double at, sim::EventKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c) override {
    if (kind == sim::EventKind::digit) digits.push_back(static_cast<char>(c));
    if (kind == sim::EventKind::hangup) patience.push_back(at - now);
    events.push(at, kind, a, b, c);
  }
  sim::EventList events;
  double now = 0;
  std::vector<char> digits;
  std::vector<double> patience;
};

// Literally the simulator's draws: the plan and the world both ask
// sim::Callers, and here both ask in the same order, so the n-th caller's
// key and patience are the simulated day's n-th caller's, exactly.
TEST(CallerPlan, PerCallerDrawsAreTheSimulatorsWhenTheOrderIsTheSame) {
  const Scenario s = parse_scenario(kInOrderScenario, "in-order.yaml", ".");
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    sim::RunOptions options;
    options.seed = seed;
    RecordingSink sink;
    sim::World world(s, options, sink);
    world.start();
    while (!sink.events.empty() && !world.finished()) {
      const sim::Event e = sink.events.pop();
      sink.now = e.time;
      world.dispatch(e.time, e);
    }
    const Plan plan = plan_calls(s, seed, PlanWindow{0, s.horizon.length});
    ASSERT_GT(plan.calls.size(), 1000u);
    ASSERT_EQ(sink.digits.size(), plan.calls.size());
    ASSERT_EQ(sink.patience.size(), plan.calls.size());
    for (std::size_t i = 0; i < plan.calls.size(); ++i) {
      ASSERT_EQ(plan.calls[i].digits.size(), 1u);
      EXPECT_EQ(plan.calls[i].digits[0].digit, sink.digits[i]) << "caller " << i << ", seed " << seed;
      EXPECT_NEAR(plan.calls[i].patience, sink.patience[i], 1e-6 * sink.patience[i]) << "caller " << i << ", seed " << seed;
    }
  }
}

// One FIFO queue, no abandonment, a warm-up: every call is answered in
// arrival order, so the simulated day's n-th talk time is its n-th call's.
const char* kFifoScenario = R"(
name: fifo
horizon: {start: "08:00", length: 4h, interval: 1h, warmup: 1h}
skills: [general]
agent_groups:
  - {name: agents, skills: [general], agents: 11}
queues:
  - {name: main, skill: general}
call_types:
  - name: calls
    arrivals: {process: poisson, rate: 600}
    handle_time: {dist: lognormal, mean: 60s, sd: 45s}
    entry: {queue: main}
)";

// Records, in the order the world draws them, each conversation's talk
// time and each self-service visit's duration and outcome.
class DrawSink final : public sim::EventSink {
 public:
  void schedule(double at, sim::EventKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c) override {
    if (kind == sim::EventKind::talk_ended) talks.push_back(at - now);
    if (kind == sim::EventKind::self_service) bot.push_back({at - now, c != 0});
    events.push(at, kind, a, b, c);
  }
  void run(sim::World& world) {
    world.start();
    while (!events.empty() && !world.finished()) {
      const sim::Event e = events.pop();
      now = e.time;
      world.dispatch(e.time, e);
    }
  }
  sim::EventList events;
  double now = 0;
  std::vector<double> talks;
  std::vector<std::pair<double, bool>> bot;
};

// A window's calls get the talk times the simulated day gives the same
// calls: the plan counts the day's calls before the window (warm-up
// included), and virtual agents built with that count (serve
// --calls-before, sim::Behaviour) draw the day's next talk times, call by
// call, exactly. Without it (the agents' streams from their start) the
// window's first call would get the warm-up's first talk time.
TEST(CallerPlan, AWindowsCallsGetTheSimulatedDaysTalkTimes) {
  const Scenario s = parse_scenario(kFifoScenario, "fifo.yaml", ".");
  for (std::uint64_t seed : {1u, 2u}) {
    sim::RunOptions options;
    options.seed = seed;
    DrawSink sink;
    sim::World world(s, options, sink);
    sink.run(world);
    const PlanWindow w = parse_window("10:00-11:00", s.horizon);
    const Plan whole = plan_calls(s, seed, PlanWindow{-s.horizon.warmup, s.horizon.length});
    const Plan part = plan_calls(s, seed, w);
    ASSERT_EQ(sink.talks.size(), whole.calls.size());  // every call answered
    std::uint64_t before = 0;
    for (const auto& c : whole.calls) before += c.arrival < w.start;
    ASSERT_EQ(part.calls_before, std::vector<std::uint64_t>{before});
    ASSERT_GT(before, 1500u);  // the warm-up and two hours
    sim::Behaviour served(s, seed, 0, part.calls_before);
    sim::Behaviour fresh(s, seed, 0);
    ASSERT_GT(part.calls.size(), 500u);
    for (std::size_t i = 0; i < part.calls.size(); ++i) {
      const double talk = served.agents.talk(0).talk;
      EXPECT_NEAR(talk, sink.talks[before + i], 1e-9 * talk) << "window call " << i << ", seed " << seed;
      if (i == 0) {
        EXPECT_NE(fresh.agents.talk(0).talk, talk);
      }
    }
  }
}

// A bot every caller reaches 5 s after arriving: callers enter it in
// arrival order, in the simulator as on the server.
const char* kBotScenario = R"(
name: bot
horizon: {start: "08:00", length: 4h, interval: 1h}
skills: [general]
agent_groups:
  - {name: agents, skills: [general], agents: 30}
queues:
  - {name: main, skill: general}
ivr:
  - {id: welcome, type: prompt, duration: 5s, next: bot}
  - {id: bot, type: self_service, service_time: {dist: lognormal, mean: 45s, sd: 20s}, success_probability: 0.6, on_fail: to_main}
  - {id: to_main, type: queue, queue: main}
call_types:
  - name: calls
    arrivals: {process: poisson, rate: 300}
    handle_time: {dist: exponential, mean: 120s}
    patience: {dist: exponential, mean: 200s}
    entry: {ivr: welcome}
)";

// The plan tells each caller the bot's outcome the server will draw, which
// is the simulated day's for the same caller: the bot's durations and
// successes equal the world's visit by visit, after the day's visits before
// the window (serve --self-service-before), and a caller the bot fails is
// queued when the drawn duration ends, not at the bot's mean (its patience
// then runs from where the simulator's does).
TEST(CallerPlan, TheBotsOutcomesAreTheSimulatedDaysAndQueueTheCallerWhenItEnds) {
  const Scenario s = parse_scenario(kBotScenario, "bot.yaml", ".");
  for (const char* window : {"08:00-09:00", "10:00-11:00"}) {
    sim::RunOptions options;
    options.seed = 5;
    DrawSink sink;
    sim::World world(s, options, sink);
    sink.run(world);
    const Plan plan = plan_calls(s, 5, parse_window(window, s.horizon));
    ASSERT_EQ(plan.self_service_before.size(), s.ivr.size());
    EXPECT_EQ(plan.self_service_before[1], plan.calls_before[0]) << window;  // every caller meets the bot
    ASSERT_GT(plan.calls.size(), 200u);
    double moved = 0;
    for (std::size_t i = 0; i < plan.calls.size(); ++i) {
      const PlannedCall& c = plan.calls[i];
      ASSERT_EQ(c.self_service, 1);
      EXPECT_EQ(c.self_service_entry, 5);
      const auto& [duration, success] = sink.bot.at(plan.self_service_before[1] + i);
      EXPECT_NEAR(c.self_service_duration, duration, 1e-9 * duration) << window << ", caller " << i;
      EXPECT_EQ(c.self_service_success, success) << window << ", caller " << i;
      EXPECT_NEAR(c.queue_entry, 5 + c.self_service_duration, 1e-9) << window << ", caller " << i;
      moved += std::fabs(c.queue_entry - 50);
    }
    EXPECT_GT(moved / plan.calls.size(), 5) << "queue entries at the bot's mean duration";
  }
}

// Redials and tags: callers carry the call type's tags, and a caller who may
// abandon (queued, finite patience) redials with the model's probability
// after its delay, each redial drawn as a caller of its own. Two share
// checks at a family-wise error of 0.001 (Bonferroni: 0.0005 each,
// two-sided, normal approximation; n above 5,000, n*p above 1,000).
TEST(CallerPlan, CallersCarryTagsAndRedialAsTheModelSays) {
  Scenario s = menu_scenario();
  s.tags = {"vip"};
  s.call_types[0].tags = {TagProbability{0, 0.2}};
  s.call_types[0].redial = Redial{0.4, Distribution{}};
  s.call_types[0].redial.delay.kind = DistKind::constant;
  s.call_types[0].redial.delay.value = 300;
  const Plan plan = plan_calls(s, 4, PlanWindow{0, s.horizon.length});
  const double z = z_for(0.001, 2);
  double callers = 0, vip = 0, may_abandon = 0, redialling = 0;
  for (const auto& c : plan.calls) {
    callers += 1;
    vip += (c.tags & 1u) != 0;
    ASSERT_LE(c.redials.size() + 1, kMaxAttempts);
    // The redial is planned where it would arrive after an abandon at the
    // caller's patience; the last of the day's hour is left out (a redial
    // after the horizon is dropped, as the simulator drops it).
    const bool could_abandon = c.queue != kNone && std::isfinite(c.patience);
    if (could_abandon && c.arrival + c.queue_entry + c.patience + 300 < s.horizon.length) {
      may_abandon += 1;
      redialling += std::isfinite(c.redial_after);
    }
    if (!could_abandon) {
      EXPECT_FALSE(std::isfinite(c.redial_after));
    }
    if (std::isfinite(c.redial_after)) {
      EXPECT_EQ(c.redial_after, 300);
      ASSERT_EQ(c.redials.size() >= 1, true);
    } else {
      EXPECT_TRUE(c.redials.empty());
    }
    if (c.redials.size() == kMaxAttempts - 1) {
      EXPECT_FALSE(std::isfinite(c.redials.back().redial_after));
    }
  }
  ASSERT_GT(may_abandon, 5000);
  EXPECT_NEAR(vip / callers, 0.2, z * std::sqrt(0.2 * 0.8 / callers));
  EXPECT_NEAR(redialling / may_abandon, 0.4, z * std::sqrt(0.4 * 0.6 / may_abandon));
}

// A lookup sends tagged callers on its tagged branch, as the core does.
TEST(CallerPlan, TaggedCallersTakeTheLookupsTaggedBranch) {
  const Scenario s = parse_scenario(R"(
name: vip-route
horizon: {start: "08:00", length: 1h, interval: 1h}
skills: [general, gold]
tags: [vip]
agent_groups:
  - {name: team, skills: [general, gold], agents: 5}
queues:
  - {name: general, skill: general}
  - {name: gold, skill: gold}
ivr:
  - {id: who, type: lookup, tag: vip, tagged_next: to_gold, next: to_general}
  - {id: to_general, type: queue, queue: general}
  - {id: to_gold, type: queue, queue: gold}
call_types:
  - name: customers
    arrivals: {process: poisson, rate: 600}
    handle_time: {dist: exponential, mean: 60s}
    tags: {vip: 0.3}
    entry: {ivr: who}
)", "vip-route.yaml", ".");
  const Plan plan = plan_calls(s, 1, PlanWindow{0, s.horizon.length});
  std::size_t gold = 0;
  for (const auto& c : plan.calls) {
    EXPECT_EQ(c.queue, (c.tags & 1u) != 0 ? 1 : 0);
    gold += c.queue == 1;
  }
  EXPECT_GT(gold, 0u);
  EXPECT_LT(gold, plan.calls.size());
}

TEST(CallerPlan, AWindowIsTheDaysCallsInIt) {
  const Scenario s = menu_scenario();
  const Plan day = plan_calls(s, 9, PlanWindow{0, s.horizon.length});
  const PlanWindow w = parse_window("10:00-11:30", s.horizon);
  EXPECT_EQ(w.start, 2 * 3600);
  EXPECT_EQ(w.end, 3.5 * 3600);
  const Plan part = plan_calls(s, 9, w);
  std::vector<double> expected;
  for (const auto& c : day.calls)
    if (c.arrival >= w.start && c.arrival < w.end) expected.push_back(c.arrival);
  ASSERT_EQ(part.calls.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(part.calls[i].arrival, expected[i]);
}

TEST(CallerPlan, BadWindowsNameTheFlag) {
  const Scenario s = menu_scenario();
  for (const char* bad : {"10-11", "10:00-09:00", "07:00-09:00", "10:00-17:00", "10:00-11:00x", "10:70-11:00",
                          "10:5-11:00", "+10:00-11:00", " 10:00-11:00"}) {
    try {
      parse_window(bad, s.horizon);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.problems().front().field, "--window") << bad;
    }
  }
}

}  // namespace
}  // namespace switchboard::loadgen
