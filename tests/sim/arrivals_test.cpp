// Each arrival process of docs/scenario.md ("arrivals") as sim::ArrivalProcess
// generates it: Poisson with a rate per interval (and the warm-up at the first
// interval's rate), `scale`, Poisson-gamma's extra day-level variance,
// deterministic spacing, replayed counts (exact counts, uniform positions,
// fractional scale) and replayed timestamps.
//
// The random ones are compared with their exact laws by counting arrivals in
// 4,000 independent runs (one stream each), grouped in 40 batches of 100: a
// batch's mean count and its unbiased variance are replicates of the mean
// and the variance, each checked by a Student t test over the 40 batches.
// Error control: the 15 checks of `RandomProcessesFollowTheirLaws` are one
// family at FWER 0.001 (Bonferroni, sim/check_family.hpp). Power:
// `FivePercentRateErrorAndMissingBusynessAreRejected`.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "sim/arrivals.hpp"
#include "sim/check_family.hpp"

using namespace switchboard;

namespace {

constexpr double kFwer = 0.001;
constexpr int kFamily = 15;
constexpr int kBatches = 40;
constexpr int kRunsPerBatch = 100;
constexpr double kNever = std::numeric_limits<double>::infinity();

ArrivalSpec rated(ArrivalKind kind, std::vector<double> rates) {
  ArrivalSpec a;
  a.kind = kind;
  a.rate_per_hour = std::move(rates);
  return a;
}

Horizon hour_of_quarters(double warmup = 0) {
  Horizon h;
  h.length = 3600;
  h.interval = 900;
  h.warmup = warmup;
  return h;
}

// Every arrival instant of one run, checked to be non-decreasing and on
// [-warmup, length).
std::vector<double> arrivals(const ArrivalSpec& spec, const Horizon& h, std::uint64_t run) {
  sim::ArrivalProcess p(spec, h, -h.warmup, sim::RandomStream(2026, run, sim::Stream::arrivals, 0));
  std::vector<double> t;
  for (double at = p.next(); at != kNever; at = p.next()) {
    EXPECT_GE(at, -h.warmup);
    EXPECT_LT(at, h.length);
    if (!t.empty()) {
      EXPECT_GE(at, t.back());
    }
    t.push_back(at);
  }
  return t;
}

// Batch means and variances of `measure(run)` over 40 x 100 runs.
struct Replicates {
  std::vector<double> means, variances;
};
template <class Measure>
Replicates batches(Measure measure) {
  Replicates r;
  std::uint64_t run = 0;
  for (int b = 0; b < kBatches; ++b) {
    std::vector<double> x;
    for (int i = 0; i < kRunsPerBatch; ++i) x.push_back(measure(run++));
    double mean = 0, ss = 0;
    for (const double v : x) mean += v / kRunsPerBatch;
    for (const double v : x) ss += (v - mean) * (v - mean);
    r.means.push_back(mean);
    r.variances.push_back(ss / (kRunsPerBatch - 1));
  }
  return r;
}

int count_in(const std::vector<double>& t, double from, double to) {
  int n = 0;
  for (const double x : t) n += x >= from && x < to;
  return n;
}

// Counts per interval of a Poisson process with rates [80, 120, 0, 200]/h
// over an hour of quarters after a 10-minute warm-up (index 4: the warm-up).
std::vector<Replicates> poisson_counts(const ArrivalSpec& spec) {
  const Horizon h = hour_of_quarters(600);
  std::vector<Replicates> out;
  for (int i = 0; i <= 4; ++i) {
    const double from = i < 4 ? i * 900.0 : -600, to = i < 4 ? from + 900 : 0;
    out.push_back(batches([&](std::uint64_t run) { return count_in(arrivals(spec, h, run), from, to); }));
  }
  return out;
}

const ArrivalSpec kPoisson = rated(ArrivalKind::poisson, {80, 120, 0, 200});
// Exact mean (= variance) count per interval; the warm-up runs at interval 0's rate.
const double kPoissonMean[5] = {80 / 4.0, 120 / 4.0, 0, 200 / 4.0, 80 / 6.0};

ArrivalSpec busy_day(double shape) {
  ArrivalSpec a = rated(ArrivalKind::poisson_gamma, {300});
  a.busyness_shape = shape;
  return a;
}

int total(const ArrivalSpec& spec, std::uint64_t run) {
  return static_cast<int>(arrivals(spec, hour_of_quarters(), run).size());
}

ArrivalSpec replayed(double scale) {
  ArrivalSpec a;
  a.kind = ArrivalKind::replay_counts;
  a.scale = scale;
  a.bins = {{0, 900, 10}, {900, 900, 0}, {1800, 900, 3}};
  return a;
}

}  // namespace

TEST(Arrivals, RandomProcessesFollowTheirLaws) {
  test::CheckFamily family(kFamily, kFwer);

  // Poisson, rate per interval: count ~ Poisson(rate x 15 min), mean = variance.
  const std::vector<Replicates> poisson = poisson_counts(kPoisson);
  for (int i = 0; i <= 4; ++i) {
    const std::string what = i < 4 ? "poisson interval " + std::to_string(i) : "poisson warm-up";
    if (kPoissonMean[i] == 0) {
      for (const double m : poisson[i].means) EXPECT_EQ(m, 0) << what << ": a zero rate is a closed interval";
      continue;
    }
    family.expect_mean(poisson[i].means, kPoissonMean[i], what + " mean count");
    family.expect_mean(poisson[i].variances, kPoissonMean[i], what + " count variance");
  }

  // `scale` multiplies the rate: 100/h x 1.5 over an hour.
  ArrivalSpec scaled = rated(ArrivalKind::poisson, {100});
  scaled.scale = 1.5;
  const Replicates s = batches([&](std::uint64_t run) { return total(scaled, run); });
  family.expect_mean(s.means, 150, "scaled poisson mean count");
  family.expect_mean(s.variances, 150, "scaled poisson count variance");

  // Poisson-gamma: given the day's factor G ~ Gamma(20, 1/20) the count is
  // Poisson(300 G): mean 300, variance 300 + 300^2 / 20 = 4800.
  const Replicates g = batches([&](std::uint64_t run) { return total(busy_day(20), run); });
  family.expect_mean(g.means, 300, "poisson_gamma mean count");
  family.expect_mean(g.variances, 300 + 300.0 * 300 / 20, "poisson_gamma count variance");

  // Replayed counts: a bin's calls are uniform inside it, so the position
  // of a call within its bin, as a share of the bin, has mean 1/2 and
  // variance 1/12. One call per run, picked at random by another stream:
  // the calls come sorted, and the k-th of them alone is not uniform.
  const ArrivalSpec replay = replayed(1);
  const Horizon h = hour_of_quarters();
  const Replicates u = batches([&](std::uint64_t run) {
    const std::vector<double> t = arrivals(replay, h, run);
    EXPECT_EQ(count_in(t, 0, 900), 10);
    EXPECT_EQ(count_in(t, 900, 1800), 0);
    EXPECT_EQ(count_in(t, 1800, 2700), 3);
    EXPECT_EQ(t.size(), 13u);
    sim::RandomStream pick(99, run, sim::Stream::tags, 0);
    return t[static_cast<std::size_t>(pick.uniform() * 10)] / 900;
  });
  family.expect_mean(u.means, 0.5, "replayed position in bin, mean");
  family.expect_mean(u.variances, 1.0 / 12, "replayed position in bin, variance");

  // A fractional scale rounds each bin's scaled count up or down at random,
  // unbiased: 3 calls x 1.5 = 4.5, so 4 or 5 with mean 4.5.
  const ArrivalSpec half = replayed(1.5);
  const Replicates f = batches([&](std::uint64_t run) {
    const int n = count_in(arrivals(half, h, run), 1800, 2700);
    EXPECT_TRUE(n == 4 || n == 5) << n;
    return n;
  });
  family.expect_mean(f.means, 4.5, "replayed 3 calls x 1.5, mean count");
}

TEST(Arrivals, FivePercentRateErrorAndMissingBusynessAreRejected) {
  // The family's checks with a rate 5% too high, on the Poisson intervals...
  ArrivalSpec fast = kPoisson;
  for (double& r : fast.rate_per_hour) r *= 1.05;
  const std::vector<Replicates> poisson = poisson_counts(fast);
  for (int i : {1, 3})
    EXPECT_TRUE(test::family_rejects(kFamily, kFwer, poisson[i].means, kPoissonMean[i]))
        << "interval " << i << ": |t| = " << test::t_statistic(poisson[i].means, kPoissonMean[i]);
  // ...and a day-level busyness that is only half as variable as it should
  // be (shape 40 instead of 20: variance 2550 instead of 4800).
  const Replicates g = batches([&](std::uint64_t run) { return total(busy_day(40), run); });
  EXPECT_TRUE(test::family_rejects(kFamily, kFwer, g.variances, 4800)) << test::t_statistic(g.variances, 4800);
}

TEST(Arrivals, DeterministicIsEvenlySpacedAtEachIntervalsRate) {
  // 60/h then 120/h on two quarters: one call a minute from 0, then one
  // every 30 s from 900, and nothing after the horizon.
  Horizon h = hour_of_quarters();
  h.length = 1800;
  const std::vector<double> t = arrivals(rated(ArrivalKind::deterministic, {60, 120}), h, 0);
  ASSERT_EQ(t.size(), 15u + 30u);
  for (int i = 0; i < 15; ++i) EXPECT_NEAR(t[i], 60.0 * i, 1e-9);
  for (int i = 0; i < 30; ++i) EXPECT_NEAR(t[15 + i], 900 + 30.0 * i, 1e-9);
  // The same with any other stream: nothing random.
  EXPECT_EQ(arrivals(rated(ArrivalKind::deterministic, {60, 120}), h, 7), t);
}

TEST(Arrivals, ReplayedTimestampsAreReturnedAsRecorded) {
  ArrivalSpec a;
  a.kind = ArrivalKind::replay_timestamps;
  a.timestamps = {0, 0, 12.5, 899, 3599.9};
  EXPECT_EQ(arrivals(a, hour_of_quarters(), 3), a.timestamps);
}
