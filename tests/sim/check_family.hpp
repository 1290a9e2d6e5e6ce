// A family of statistical checks whose family-wise error rate is controlled:
// the chance that a correct simulator fails *any* check of the family is at
// most `fwer` (Bonferroni: each of the `size` checks is a two-sided Student t
// test at level fwer / size). A single check at 99% is a coin that comes up
// "fail" once in a hundred; sixty of them fail about half the time after any
// legitimate change in how random numbers are drawn. A family at FWER 0.001
// fails once in a thousand such changes, and the power tests beside each
// family show that a real bias (a 5% error in a rate or a mean) still fails.
//
// Each check takes independent, identically distributed replicates (one per
// replication, or per batch of draws) whose expectation should be `exact`;
// with 20 or more replicates of long runs the t statistic is close to
// Student's law, which the level relies on.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "sim/statistics.hpp"

namespace switchboard::test {

// |t| of the replicates' mean against `exact` (0 when they agree exactly).
inline double t_statistic(const std::vector<double>& values, double exact) {
  const sim::Estimate e95 = sim::estimate(values, 0.95);
  const double se = e95.half_width / sim::student_t_quantile(0.95, static_cast<int>(values.size()) - 1);
  if (se == 0) return e95.mean == exact ? 0 : std::numeric_limits<double>::infinity();
  return std::fabs(e95.mean - exact) / se;
}

// The two-sided critical |t| of one check, with `replicates` values, in a
// family of `size` checks at family-wise error `fwer` (Bonferroni).
inline double bonferroni_critical_t(int size, double fwer, int replicates) {
  return sim::student_t_quantile(1 - fwer / size, replicates - 1);
}

// True when a check of such a family rejects (the data disagree with
// `exact`), without failing the test: what the power tests use.
inline bool family_rejects(int size, double fwer, const std::vector<double>& values, double exact) {
  return t_statistic(values, exact) > bonferroni_critical_t(size, fwer, static_cast<int>(values.size()));
}

class CheckFamily {
 public:
  // `size` is the number of checks the family will make: stated up front,
  // because the level of each depends on it, and verified when it ends.
  CheckFamily(int size, double fwer) : size_(size), fwer_(fwer) {}
  ~CheckFamily() {
    EXPECT_EQ(made_, size_) << "the family was sized for " << size_ << " checks but made " << made_
                            << ": correct its size, or each check's level is wrong";
  }
  CheckFamily(const CheckFamily&) = delete;
  CheckFamily& operator=(const CheckFamily&) = delete;

  // A check of the family: fails the test when it rejects.
  void expect_mean(const std::vector<double>& values, double exact, const std::string& what) {
    ++made_;
    const double t = t_statistic(values, exact);
    const double limit = bonferroni_critical_t(size_, fwer_, static_cast<int>(values.size()));
    const sim::Estimate e = sim::estimate(values, 0.95);
    EXPECT_LE(t, limit) << what << ": simulated " << e.mean << " (95% ± " << e.half_width << "), exact " << exact
                        << ", |t| = " << t << " beyond " << limit << " (family of " << size_ << " at FWER "
                        << fwer_ << ")";
  }

 private:
  int size_;
  double fwer_;
  int made_ = 0;
};

}  // namespace switchboard::test
