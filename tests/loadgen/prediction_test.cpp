// The simulator's prediction over a window, and the agreement rule.
#include <gtest/gtest.h>

#include "loadgen/prediction.hpp"

namespace switchboard::loadgen {
namespace {

CallKpis row(double offered, double handled, double abandoned, double sl, double asa) {
  CallKpis k{};
  k[static_cast<int>(CallKpi::offered)] = offered;
  k[static_cast<int>(CallKpi::handled)] = handled;
  k[static_cast<int>(CallKpi::abandoned)] = abandoned;
  k[static_cast<int>(CallKpi::service_level)] = sl;
  k[static_cast<int>(CallKpi::asa)] = asa;
  return k;
}

TEST(Prediction, AWindowSumsCountsAndWeighsRates) {
  KpiReport r;
  r.interval = {row(10, 8, 2, 0.5, 10), row(30, 30, 0, 1.0, 2), row(100, 100, 0, 0, 0)};
  const WindowKpis w = aggregate(r, 0, 1);
  EXPECT_EQ(w[static_cast<int>(WindowKpi::offered)], 40);
  EXPECT_EQ(w[static_cast<int>(WindowKpi::handled)], 38);
  EXPECT_DOUBLE_EQ(w[static_cast<int>(WindowKpi::sl)], (0.5 * 10 + 1.0 * 30) / 40);  // weights: handled + abandoned
  EXPECT_DOUBLE_EQ(w[static_cast<int>(WindowKpi::asa)], (10.0 * 8 + 2.0 * 30) / 38);  // weights: handled
  EXPECT_DOUBLE_EQ(w[static_cast<int>(WindowKpi::abandon_rate)], 2.0 / 40);
}

TEST(Prediction, WindowIntervalsAreThoseItTouches) {
  Horizon h;
  h.length = 4 * 900;
  h.interval = 900;
  const IntervalRange a = window_intervals(h, PlanWindow{900, 2700});
  EXPECT_EQ(a.first, 1);
  EXPECT_EQ(a.last, 2);
  const IntervalRange b = window_intervals(h, PlanWindow{1000, 1100});
  EXPECT_EQ(b.first, 1);
  EXPECT_EQ(b.last, 1);
}

TEST(Prediction, AgreementIsTheRunIntervalWidenedByOneStep) {
  Predicted p;
  p.low99 = 0.7;
  p.high99 = 0.9;
  EXPECT_TRUE(compare(WindowKpi::sl, "", 0.8, p, 300).agrees);
  EXPECT_TRUE(compare(WindowKpi::sl, "", 0.695, p, 300).agrees);   // within the 0.01 step
  EXPECT_FALSE(compare(WindowKpi::sl, "", 0.68, p, 300).agrees);
  EXPECT_TRUE(compare(WindowKpi::sl, "", 0.66, p, 20).agrees);     // 20 calls: a step is 0.05
  EXPECT_FALSE(compare(WindowKpi::sl, "", 0.95, p, 300).agrees);
}

TEST(Prediction, RepeatsAndBracketsItsMean) {
  Scenario s;
  s.horizon.length = 3600;
  s.horizon.interval = 900;
  s.skills = {"s"};
  AgentGroup g;
  g.name = "g";
  g.skills = {{0, 1}};
  g.staffing = {3};
  s.groups = {g};
  Queue q;
  q.name = "q";
  q.skill = 0;
  s.queues = {q};
  s.priorities = {PriorityClass{"normal"}};
  CallType t;
  t.name = "c";
  t.arrivals.rate_per_hour = {60};
  t.handle_time = Distribution::exponential_of(120);
  t.entry_queue = 0;
  s.call_types = {t};
  const Prediction a = predict(s, 4, PlanWindow{0, 3600}, 10), b = predict(s, 4, PlanWindow{0, 3600}, 10);
  const auto& offered = a.total[static_cast<int>(WindowKpi::offered)];
  EXPECT_EQ(offered.mean, b.total[static_cast<int>(WindowKpi::offered)].mean);
  EXPECT_LT(offered.low99, offered.low95);
  EXPECT_LT(offered.low95, offered.mean);
  EXPECT_GT(offered.high99, offered.high95);
  EXPECT_EQ(a.interval.size(), 4u);
  EXPECT_EQ(a.queue.size(), 1u);  // the whole day: per-queue rows too
  EXPECT_TRUE(predict(s, 4, PlanWindow{900, 1800}, 3).queue.empty());
}

}  // namespace
}  // namespace switchboard::loadgen
