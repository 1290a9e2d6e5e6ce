// The moments of every distribution a scenario may use (docs/scenario.md,
// "Distributions"), as sim::sample draws them, against their exact mean and
// variance: the lognormal's and the gamma's `sd` is the variable's own, the
// Weibull's moments are λΓ(1 + 1/k) and λ²Γ(1 + 2/k) − mean², an empirical
// list is resampled uniformly.
//
// Each distribution gets 200,000 draws in 40 batches of 5,000; a batch's
// mean and unbiased variance are independent replicates of the mean and the
// variance, so each moment is one Student t test over 40 values. Error
// control: the 14 checks (7 distributions x 2 moments) are one family at
// FWER 0.001 (Bonferroni, sim/check_family.hpp). Power:
// `FivePercentErrorsAreRejected` shows that draws 5% too large (mean off)
// and draws spread 5% too wide (variance off by 10%, mean right) fail.
#include <gtest/gtest.h>

#include <cmath>
#include <iterator>
#include <string>
#include <vector>

#include "sim/behaviour.hpp"
#include "sim/check_family.hpp"

using namespace switchboard;

namespace {

constexpr double kFwer = 0.001;
constexpr int kBatches = 40;
constexpr int kBatchSize = 5000;

struct Case {
  std::string name;
  Distribution dist;
  double mean, variance;  // exact, computed here independently of the product
};

Distribution lognormal(double mean, double sd) {
  Distribution d;
  d.kind = DistKind::lognormal;
  d.mean = mean;
  d.sd = sd;
  return d;
}

Distribution gamma(double mean, double sd) {
  Distribution d = lognormal(mean, sd);
  d.kind = DistKind::gamma;
  return d;
}

Distribution weibull(double shape, double scale) {
  Distribution d;
  d.kind = DistKind::weibull;
  d.shape = shape;
  d.scale = scale;
  return d;
}

Case weibull_case(double k, double lambda) {
  const double m = lambda * std::tgamma(1 + 1 / k);
  return {"weibull k=" + std::to_string(k), weibull(k, lambda), m, lambda * lambda * std::tgamma(1 + 2 / k) - m * m};
}

std::vector<Case> cases() {
  Distribution empirical;
  empirical.kind = DistKind::empirical;
  empirical.samples = {10, 20, 60};  // mean 30; E[X^2] = 4100 / 3
  return {
      {"exponential", Distribution::exponential_of(240), 240, 240.0 * 240},
      {"lognormal", lognormal(240, 120), 240, 120.0 * 120},
      {"gamma shape 4", gamma(240, 120), 240, 120.0 * 120},
      {"gamma shape 0.44", gamma(100, 150), 100, 150.0 * 150},  // shape < 1: the boosted branch
      weibull_case(1.5, 200),
      weibull_case(0.8, 200),
      {"empirical", empirical, 30, 4100.0 / 3 - 900},
  };
}

struct Replicates {
  std::vector<double> means, variances;
};

// Batch means and variances of `transform(draw)`.
template <class Transform>
Replicates draw_batches(const Distribution& d, std::uint32_t index, Transform transform) {
  sim::RandomStream rng(2026, 0, sim::Stream::handle_time, index);
  Replicates r;
  for (int b = 0; b < kBatches; ++b) {
    double sum = 0, sum_sq = 0;
    std::vector<double> x(kBatchSize);
    for (double& v : x) {
      v = transform(sim::sample(d, rng));
      sum += v;
    }
    const double mean = sum / kBatchSize;
    for (const double v : x) sum_sq += (v - mean) * (v - mean);
    r.means.push_back(mean);
    r.variances.push_back(sum_sq / (kBatchSize - 1));
  }
  return r;
}

Replicates draw_batches(const Distribution& d, std::uint32_t index) {
  return draw_batches(d, index, [](double v) { return v; });
}

}  // namespace

TEST(Distributions, MeanAndVarianceOfEachKind) {
  const std::vector<Case> all = cases();
  test::CheckFamily family(2 * static_cast<int>(all.size()), kFwer);
  std::uint32_t index = 0;
  for (const Case& c : all) {
    const Replicates r = draw_batches(c.dist, index++);
    family.expect_mean(r.means, c.mean, c.name + " mean");
    family.expect_mean(r.variances, c.variance, c.name + " variance");
    // The scenario's own expected value (staffing's AHT) agrees too.
    EXPECT_NEAR(c.dist.expected(), c.mean, 1e-9 * c.mean) << c.name;
  }
}

TEST(Distributions, FivePercentErrorsAreRejected) {
  const std::vector<Case> all = cases();
  const int family_size = 2 * static_cast<int>(all.size());
  std::uint32_t index = 0;
  for (const Case& c : all) {
    const Replicates larger = draw_batches(c.dist, index, [](double v) { return 1.05 * v; });
    EXPECT_TRUE(test::family_rejects(family_size, kFwer, larger.means, c.mean))
        << c.name << ": a mean 5% too large passes, |t| = " << test::t_statistic(larger.means, c.mean);
    const double m = c.mean;
    const Replicates wider = draw_batches(c.dist, index, [m](double v) { return m + 1.05 * (v - m); });
    EXPECT_TRUE(test::family_rejects(family_size, kFwer, wider.variances, c.variance))
        << c.name << ": an sd 5% too wide passes, |t| = " << test::t_statistic(wider.variances, c.variance);
    ++index;
  }
}

TEST(Distributions, ConstantAndNoneAreExact) {
  sim::RandomStream rng(2026, 0, sim::Stream::handle_time, 0);
  const Distribution constant = Distribution::constant_of(45);
  const Distribution none;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(sim::sample(constant, rng), 45);
    EXPECT_EQ(sim::sample(none, rng), std::numeric_limits<double>::infinity());
  }
}

TEST(Distributions, EmpiricalDrawsOnlyItsValuesEachEquallyOften) {
  // Each of the 3 values is drawn with probability 1/3: over 40 batches of
  // 3,000 draws each batch's share of each value is a replicate; 3 checks,
  // one family at FWER 0.001.
  Distribution d;
  d.kind = DistKind::empirical;
  d.samples = {10, 20, 60};
  sim::RandomStream rng(2026, 0, sim::Stream::handle_time, 99);
  std::vector<std::vector<double>> share(3);
  for (int b = 0; b < kBatches; ++b) {
    int count[3] = {0, 0, 0};
    for (int i = 0; i < 3000; ++i) {
      const double v = sim::sample(d, rng);
      ASSERT_TRUE(v == 10 || v == 20 || v == 60) << v;
      ++count[v == 10 ? 0 : v == 20 ? 1 : 2];
    }
    for (int k = 0; k < 3; ++k) share[k].push_back(count[k] / 3000.0);
  }
  test::CheckFamily family(3, kFwer);
  for (int k = 0; k < 3; ++k) family.expect_mean(share[k], 1.0 / 3, "share of value " + std::to_string(k));
}

TEST(Distributions, ChoicesAreDrawnWithTheirProbabilities) {
  // sim::choose draws menu choices, tags' and dispositions' outcomes: each
  // option's share over 40 batches of 5,000 draws is a replicate of its
  // probability; 4 checks, one family at FWER 0.001. A weight of 0 is
  // never chosen.
  const std::vector<double> weights = {0.6, 0.3, 0.0, 0.05, 0.05};
  sim::RandomStream rng(2026, 0, sim::Stream::menu, 0);
  std::vector<std::vector<double>> share(weights.size());
  for (int b = 0; b < kBatches; ++b) {
    std::vector<int> count(weights.size(), 0);
    for (int i = 0; i < kBatchSize; ++i) ++count[sim::choose(weights, [](double w) { return w; }, rng)];
    for (std::size_t k = 0; k < weights.size(); ++k) share[k].push_back(double(count[k]) / kBatchSize);
  }
  test::CheckFamily family(4, kFwer);
  for (std::size_t k = 0; k < weights.size(); ++k) {
    if (weights[k] == 0) {
      for (const double s : share[k]) EXPECT_EQ(s, 0) << "option " << k;
      continue;
    }
    family.expect_mean(share[k], weights[k], "share of option " + std::to_string(k));
  }
}

TEST(Distributions, ARoundingSliverFallsToTheLastPossibleChoice) {
  // Weights that sum to less than 1 (rounding in a file leaves a hair; here
  // a tenth, so that a tenth of the draws land beyond them): such a draw
  // takes the last option with a weight, never the one with none.
  const std::vector<double> weights = {0.5, 0.4, 0.0};
  sim::RandomStream rng(2026, 0, sim::Stream::menu, 1);
  int beyond = 0;
  for (int i = 0; i < 10000; ++i) {
    const int c = sim::choose(weights, [](double w) { return w; }, rng);
    ASSERT_TRUE(c == 0 || c == 1) << c;
    beyond += c == 1;
  }
  // 0.4 + the sliver's 0.1: ~5,000 of 10,000 (sd 50); ~4,000 if the sliver went elsewhere.
  EXPECT_GT(beyond, 4500);
}

namespace {

// Exp(1)'s survival P(X > x) at points from the body to the tail beyond the
// ziggurat's base strip (Boost's widest rectangle ends near x = 7.7; draws
// past it take the "shift" path): per batch of 50,000 draws, the share
// above each point is a replicate of exp(-x).
constexpr double kSurvivalAt[] = {0.05, 0.5, 1, 2, 4, 8};

std::vector<std::vector<double>> survival_shares(double stretch) {
  sim::RandomStream rng(2026, 0, sim::Stream::patience, 7);
  std::vector<std::vector<double>> share(std::size(kSurvivalAt));
  for (int b = 0; b < kBatches; ++b) {
    std::vector<int> above(std::size(kSurvivalAt), 0);
    for (int i = 0; i < 50000; ++i) {
      const double x = stretch * rng.standard_exponential();
      for (std::size_t k = 0; k < std::size(kSurvivalAt); ++k) above[k] += x > kSurvivalAt[k];
    }
    for (std::size_t k = 0; k < share.size(); ++k) share[k].push_back(above[k] / 50000.0);
  }
  return share;
}

}  // namespace

// The shape, not only the moments: 6 checks, one family at FWER 0.001
// (Bonferroni). Power: draws 5% too large fail it.
TEST(Distributions, TheExponentialFollowsItsSurvivalIntoTheTail) {
  const auto share = survival_shares(1.0);
  test::CheckFamily family(static_cast<int>(share.size()), kFwer);
  for (std::size_t k = 0; k < share.size(); ++k)
    family.expect_mean(share[k], std::exp(-kSurvivalAt[k]), "P(X > " + std::to_string(kSurvivalAt[k]) + ")");
  const auto stretched = survival_shares(1.05);
  bool rejected = false;
  for (std::size_t k = 0; k < stretched.size(); ++k)
    rejected = rejected || test::family_rejects(static_cast<int>(stretched.size()), kFwer, stretched[k], std::exp(-kSurvivalAt[k]));
  EXPECT_TRUE(rejected) << "draws 5% too large pass";
}
