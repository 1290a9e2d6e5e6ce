// The simulator against queueing theory: M/M/c against Erlang C and
// M/M/c+M against Erlang A (solved exactly), over a grid from one agent to a
// thousand, light to heavy load. Each check is a 99% confidence interval over
// independent replications that must contain the exact value. Seeds are
// fixed, so a result is reproducible; a failure means a real disagreement
// (or, at 1% per check, a seed to look at — never a flaky test).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/replications.hpp"
#include "sim/statistics.hpp"
#include "support/scenarios.hpp"
#include "wfm/erlang.hpp"

using namespace switchboard;

namespace {

constexpr double kAht = 300;
constexpr double kAnswerWithin = 20;

struct Observed {
  std::vector<double> p_wait, service_level, asa, p_abandon;
};

// Replications long enough for ~`calls` calls each, after a warm-up of
// `warmup_hours` so each starts near steady state.
Observed simulate(int agents, double load, double patience, int reps, double calls, double warmup_hours) {
  const double per_hour = load * agents * 3600 / kAht;
  Scenario s = test::mmc(per_hour, kAht, agents, patience, calls / per_hour, warmup_hours);
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

void expect_within_99(const std::vector<double>& values, double exact, const std::string& what) {
  const sim::Estimate e = sim::estimate(values, 0.99);
  EXPECT_LE(e.low(), exact) << what << ": simulated " << e.mean << " ± " << e.half_width << ", exact " << exact;
  EXPECT_GE(e.high(), exact) << what << ": simulated " << e.mean << " ± " << e.half_width << ", exact " << exact;
}

struct Point {
  int agents;
  double load;
};

std::string label(const Point& p) { return "c=" + std::to_string(p.agents) + " load=" + std::to_string(p.load); }

}  // namespace

TEST(QueueingTheory, MmcAgreesWithErlangC) {
  for (const Point p : {Point{1, 0.5}, Point{1, 0.8}, Point{5, 0.5}, Point{5, 0.9}, Point{20, 0.7}, Point{20, 0.95},
                        Point{100, 0.8}, Point{100, 0.97}, Point{1000, 0.97}, Point{1000, 0.985}}) {
    // Heavy load mixes slowly, the more so with many agents: longer warm-up
    // and runs there, so each replication's mean is near normal.
    const bool heavy = p.load >= 0.9;
    const double calls = p.agents >= 1000 ? 200000 : heavy ? 40000 : 15000;
    const Observed o = simulate(p.agents, p.load, 0, 30, calls, heavy ? 20 : 4);
    const auto exact = wfm::erlang_c(p.load * p.agents / kAht, kAht, p.agents, kAnswerWithin);
    expect_within_99(o.p_wait, exact.p_wait, label(p) + " P(wait)");
    expect_within_99(o.service_level, exact.service_level, label(p) + " SL(20 s)");
    expect_within_99(o.asa, exact.asa, label(p) + " ASA");
  }
}

TEST(QueueingTheory, MmcPlusMAgreesWithErlangA) {
  struct APoint {
    Point point;
    double patience;
  };
  for (const APoint ap : {APoint{{1, 0.7}, 300}, APoint{{1, 1.2}, 150}, APoint{{10, 0.9}, 600}, APoint{{10, 1.3}, 300},
                          APoint{{100, 0.95}, 180}, APoint{{100, 1.1}, 600}, APoint{{1000, 1.0}, 300},
                          APoint{{1000, 1.05}, 120}}) {
    const Point p = ap.point;
    const Observed o = simulate(p.agents, p.load, ap.patience, 30, 15000, 4);
    const auto exact = wfm::erlang_a(p.load * p.agents / kAht, kAht, p.agents, ap.patience, kAnswerWithin);
    const std::string what = label(p) + " patience=" + std::to_string(ap.patience);
    expect_within_99(o.p_abandon, exact.p_abandon, what + " P(abandon)");
    expect_within_99(o.service_level, exact.service_level, what + " SL(20 s) of offered");
    expect_within_99(o.asa, exact.asa, what + " ASA");
    expect_within_99(o.p_wait, exact.p_wait, what + " P(wait)");
  }
}

TEST(QueueingTheory, ErlangAWithVeryLongPatienceIsErlangC) {
  const auto c = wfm::erlang_c(0.3, kAht, 100, kAnswerWithin);
  const auto a = wfm::erlang_a(0.3, kAht, 100, 1e9, kAnswerWithin);
  EXPECT_NEAR(a.p_wait, c.p_wait, 1e-5);
  EXPECT_NEAR(a.service_level, c.service_level, 1e-5);
  EXPECT_NEAR(a.asa, c.asa, 1e-3);
  EXPECT_LT(a.p_abandon, 1e-5);
}
