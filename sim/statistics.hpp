// Estimates across independent replications: mean and the half-width of a
// 95% confidence interval from Student's t with n - 1 degrees of freedom.
#pragma once

#include <vector>

namespace switchboard::sim {

struct Estimate {
  double mean = 0;
  double half_width = 0;  // 0 with fewer than two replications
  double low() const { return mean - half_width; }
  double high() const { return mean + half_width; }
};

// Two-sided Student t quantile: P(|T| <= q) = confidence, with `dof` degrees of freedom.
double student_t_quantile(double confidence, int dof);
Estimate estimate(const std::vector<double>& values, double confidence = 0.95);

}  // namespace switchboard::sim
