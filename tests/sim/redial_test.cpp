// Redials (docs/scenario.md, call_types[].redial; docs/simulate.md): a caller
// who abandons calls again with `probability` after `delay`; a redial is
// offered like any call; one that would fall after the horizon is dropped.
//
// The set-up makes every count exact or binomial: nobody staffs the queue,
// so every caller abandons after a constant 5 s; the first attempts are
// deterministic (60 in the first quarter hour, none after); the delay is a
// constant 895 s, so attempt k of a caller lands in quarter k. Then quarter
// k offers Binomial(60, p^k) calls (each caller's redial decisions are
// independent draws).
//
// Error control: the 4 checks of `RedialsFollowTheGeometricChain` (the mean
// of quarters 1-3 and the variance of quarter 1) are one family at FWER
// 0.001, Bonferroni (sim/check_family.hpp), over 1,600 replications (the
// variance over 160 batches of 10). Power: `FivePercentHigherProbabilityIsRejected`.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/check_family.hpp"
#include "sim/replications.hpp"
#include "support/scenarios.hpp"

using namespace switchboard;

namespace {

constexpr double kFwer = 0.001;
constexpr int kFamily = 4;
constexpr int kReps = 1600;
constexpr double kFirst = 60;  // first attempts, all in quarter 0

Scenario redialling(double probability) {
  Scenario s = test::mmc(0, 100, 0, 0, 1);
  s.horizon.interval = 900;
  CallType& t = s.call_types[0];
  t.arrivals.kind = ArrivalKind::deterministic;
  t.arrivals.rate_per_hour = {240, 0, 0, 0};  // one every 15 s in the first quarter
  t.patience = Distribution::constant_of(5);
  t.redial.probability = probability;
  t.redial.delay = Distribution::constant_of(895);
  return s;
}

// Offered calls per quarter, one vector per quarter, one value per replication.
std::vector<std::vector<double>> offered_per_quarter(double probability) {
  const auto results = sim::run_replications(redialling(probability), sim::ReplicationPlan{11, kReps, 2});
  std::vector<std::vector<double>> q(4);
  for (const KpiReport& r : results.reports) {
    EXPECT_EQ(r.interval.size(), 4u);
    for (int i = 0; i < 4; ++i) q[i].push_back(r.interval[i][static_cast<int>(CallKpi::offered)]);
    // Nobody answers: every offered call, redials included, is abandoned.
    EXPECT_EQ(r.total[static_cast<int>(CallKpi::abandoned)], r.total[static_cast<int>(CallKpi::offered)]);
    EXPECT_EQ(r.in_system_at_end, 0);
  }
  return q;
}

// Unbiased variances of consecutive batches of 10 values.
std::vector<double> batch_variances(const std::vector<double>& x) {
  std::vector<double> v;
  for (std::size_t b = 0; b + 10 <= x.size(); b += 10) {
    double mean = 0, ss = 0;
    for (std::size_t i = b; i < b + 10; ++i) mean += x[i] / 10;
    for (std::size_t i = b; i < b + 10; ++i) ss += (x[i] - mean) * (x[i] - mean);
    v.push_back(ss / 9);
  }
  return v;
}

}  // namespace

TEST(Redials, RedialsFollowTheGeometricChain) {
  const double p = 0.4;
  const auto q = offered_per_quarter(p);
  for (const double first : q[0]) EXPECT_EQ(first, kFirst) << "first attempts, deterministic";
  test::CheckFamily family(kFamily, kFwer);
  for (int k = 1; k < 4; ++k)
    family.expect_mean(q[k], kFirst * std::pow(p, k), "offered in quarter " + std::to_string(k));
  family.expect_mean(batch_variances(q[1]), kFirst * p * (1 - p), "variance of quarter 1");
}

TEST(Redials, FivePercentHigherProbabilityIsRejected) {
  const auto q = offered_per_quarter(0.42);  // against the exact values for 0.4
  for (int k = 1; k <= 2; ++k)
    EXPECT_TRUE(test::family_rejects(kFamily, kFwer, q[k], kFirst * std::pow(0.4, k)))
        << "quarter " << k << ": |t| = " << test::t_statistic(q[k], kFirst * std::pow(0.4, k));
}

TEST(Redials, EveryAbandonRedialsUntilTheHorizonEnds) {
  // Probability 1: each caller tries once per quarter, and the redial that
  // would come after the hour is dropped, so the run still ends.
  const auto q = offered_per_quarter(1);
  for (int k = 0; k < 4; ++k)
    for (const double n : q[k]) EXPECT_EQ(n, kFirst) << "quarter " << k;
}

TEST(Redials, NoRedialWithoutAnAbandon) {
  // Agents enough for everyone: nobody abandons, so nobody redials.
  Scenario s = redialling(1);
  s.groups[0].staffing = {100};
  const auto results = sim::run_replications(s, sim::ReplicationPlan{11, 5, 1});
  for (const KpiReport& r : results.reports) {
    EXPECT_EQ(r.total[static_cast<int>(CallKpi::offered)], kFirst);
    EXPECT_EQ(r.total[static_cast<int>(CallKpi::handled)], kFirst);
  }
}
