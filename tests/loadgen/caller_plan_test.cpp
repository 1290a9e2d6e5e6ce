// The load test's caller plan follows the scenario's behaviour models and the
// simulator's seeded streams.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "core/input_error.hpp"
#include "core/kpi.hpp"
#include "io/scenario_loader.hpp"
#include "loadgen/caller_plan.hpp"
#include "sim/simulator.hpp"

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
