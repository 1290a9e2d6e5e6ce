// The simulator against queueing theory: M/M/c against Erlang C and
// M/M/c+M against Erlang A (solved exactly), over a grid from one agent to a
// thousand, light to heavy load. Each check is a Student t test over 30
// independent replications against the exact value.
//
// Error control: the 62 checks of this file (30 against Erlang C, 32 against
// Erlang A) are one family at a family-wise error rate of 0.001, Bonferroni:
// each check is two-sided at 0.001 / 62 (|t| <= 5.16 with 29 degrees of
// freedom), so a correct simulator whose random numbers are drawn in some
// other legitimate way fails this file with probability at most 0.001 (at
// 99% per check it was about 1 - 0.99^62 = 46%). Seeds are fixed, so a
// result is reproducible. Power: `FivePercentSlowerServiceFails` runs the
// simulator with a service rate 5% too low and shows the same checks reject.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/check_family.hpp"
#include "sim/replications.hpp"
#include "support/scenarios.hpp"
#include "wfm/erlang.hpp"

using namespace switchboard;

namespace {

constexpr double kAht = 300;
constexpr double kAnswerWithin = 20;
constexpr double kFwer = 0.001;
constexpr int kErlangCChecks = 30;  // 10 points x 3 KPIs
constexpr int kErlangAChecks = 32;  // 8 points x 4 KPIs
constexpr int kFamily = kErlangCChecks + kErlangAChecks;

struct Observed {
  std::vector<double> p_wait, service_level, asa, p_abandon;
};

// Replications long enough for ~`calls` calls each, after a warm-up of
// `warmup_hours` so each starts near steady state. The simulated handle time
// is kAht / service_rate_factor (1: the model the exact values are for).
Observed simulate(int agents, double load, double patience, int reps, double calls, double warmup_hours,
                  double service_rate_factor = 1) {
  const double per_hour = load * agents * 3600 / kAht;
  Scenario s = test::mmc(per_hour, kAht / service_rate_factor, agents, patience, calls / per_hour, warmup_hours);
  s.horizon.interval = s.horizon.length;
  s.targets.answer_within = kAnswerWithin;
  const auto results = sim::run_replications(s, sim::ReplicationPlan{2026, reps, 2});
  Observed o;
  for (const auto& r : results.reports) {
    const CallCounters& c = r.counters;
    o.p_wait.push_back(c.delayed / c.offered);
    o.service_level.push_back(c.answered_within / c.offered);
    o.asa.push_back(c.wait_answered_sum / c.wait_answered_count);
    o.p_abandon.push_back(c.abandoned / c.offered);
  }
  return o;
}

struct Point {
  int agents;
  double load;
};

struct APoint {
  Point point;
  double patience;
};

std::string label(const Point& p) { return "c=" + std::to_string(p.agents) + " load=" + std::to_string(p.load); }

}  // namespace

// The two tests share one family: each is sized for its own checks at its
// share of the file's error rate, so together they stay within kFwer.
TEST(QueueingTheory, MmcAgreesWithErlangC) {
  test::CheckFamily family(kErlangCChecks, kFwer * kErlangCChecks / kFamily);
  for (const Point p : {Point{1, 0.5}, Point{1, 0.8}, Point{5, 0.5}, Point{5, 0.9}, Point{20, 0.7}, Point{20, 0.95},
                        Point{100, 0.8}, Point{100, 0.97}, Point{1000, 0.97}, Point{1000, 0.985}}) {
    // Heavy load mixes slowly, the more so with many agents: longer warm-up
    // and runs there, so each replication's mean is near normal.
    const bool heavy = p.load >= 0.9;
    const double calls = p.agents >= 1000 ? 200000 : heavy ? 40000 : 15000;
    const Observed o = simulate(p.agents, p.load, 0, 30, calls, heavy ? 20 : 4);
    const auto exact = wfm::erlang_c(p.load * p.agents / kAht, kAht, p.agents, kAnswerWithin);
    family.expect_mean(o.p_wait, exact.p_wait, label(p) + " P(wait)");
    family.expect_mean(o.service_level, exact.service_level, label(p) + " SL(20 s)");
    family.expect_mean(o.asa, exact.asa, label(p) + " ASA");
  }
}

TEST(QueueingTheory, MmcPlusMAgreesWithErlangA) {
  test::CheckFamily family(kErlangAChecks, kFwer * kErlangAChecks / kFamily);
  for (const APoint ap : {APoint{{1, 0.7}, 300}, APoint{{1, 1.2}, 150}, APoint{{10, 0.9}, 600}, APoint{{10, 1.3}, 300},
                          APoint{{100, 0.95}, 180}, APoint{{100, 1.1}, 600}, APoint{{1000, 1.0}, 300},
                          APoint{{1000, 1.05}, 120}}) {
    const Point p = ap.point;
    const Observed o = simulate(p.agents, p.load, ap.patience, 30, 15000, 4);
    const auto exact = wfm::erlang_a(p.load * p.agents / kAht, kAht, p.agents, ap.patience, kAnswerWithin);
    const std::string what = label(p) + " patience=" + std::to_string(ap.patience);
    family.expect_mean(o.p_abandon, exact.p_abandon, what + " P(abandon)");
    family.expect_mean(o.service_level, exact.service_level, what + " SL(20 s) of offered");
    family.expect_mean(o.asa, exact.asa, what + " ASA");
    family.expect_mean(o.p_wait, exact.p_wait, what + " P(wait)");
  }
}

// Power of the family above: a service rate 5% too low (AHT 315.8 s instead
// of 300 s), on light and moderate loads where the effect on P(wait) is
// smallest, must be rejected by the checks at the family's level (|t| of
// P(wait) was 14.9, 13.2 and 9.2 against a limit of 5.16, and 20.7 for
// P(abandon): a miss would take a 4-sigma fluke). If the level were so loose
// that this passed, the tests above would mean little.
TEST(QueueingTheory, FivePercentSlowerServiceFails) {
  const auto rejects = [](const std::vector<double>& values, double exact) {
    return test::family_rejects(kFamily, kFwer, values, exact);
  };
  const double limit = test::bonferroni_critical_t(kFamily, kFwer, 30);
  for (const Point p : {Point{5, 0.5}, Point{20, 0.7}, Point{100, 0.8}}) {
    const Observed o = simulate(p.agents, p.load, 0, 30, 15000, 4, 0.95);
    const auto exact = wfm::erlang_c(p.load * p.agents / kAht, kAht, p.agents, kAnswerWithin);
    EXPECT_TRUE(rejects(o.p_wait, exact.p_wait)) << label(p) << " P(wait): |t| = "
        << test::t_statistic(o.p_wait, exact.p_wait) << " within " << limit;
  }
  const APoint ap{{10, 0.9}, 600};
  const Observed o = simulate(ap.point.agents, ap.point.load, ap.patience, 30, 15000, 4, 0.95);
  const auto exact = wfm::erlang_a(ap.point.load * ap.point.agents / kAht, kAht, ap.point.agents, ap.patience,
                                   kAnswerWithin);
  EXPECT_TRUE(rejects(o.p_abandon, exact.p_abandon)) << "Erlang A P(abandon): |t| = "
      << test::t_statistic(o.p_abandon, exact.p_abandon) << " within " << limit;
}

TEST(QueueingTheory, ErlangAWithVeryLongPatienceIsErlangC) {
  const auto c = wfm::erlang_c(0.3, kAht, 100, kAnswerWithin);
  const auto a = wfm::erlang_a(0.3, kAht, 100, 1e9, kAnswerWithin);
  EXPECT_NEAR(a.p_wait, c.p_wait, 1e-5);
  EXPECT_NEAR(a.service_level, c.service_level, 1e-5);
  EXPECT_NEAR(a.asa, c.asa, 1e-3);
  EXPECT_LT(a.p_abandon, 1e-5);
}
