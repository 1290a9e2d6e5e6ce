#include "sim/statistics.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

namespace switchboard::sim {

double student_t_quantile(double confidence, int dof) {
  const boost::math::students_t t(dof);
  return boost::math::quantile(t, 0.5 + confidence / 2);
}

Estimate estimate(const std::vector<double>& values, double confidence) {
  Estimate e;
  const auto n = values.size();
  if (n == 0) return e;
  double sum = 0;
  for (double v : values) sum += v;
  e.mean = sum / static_cast<double>(n);
  if (n < 2) return e;
  double ss = 0;
  for (double v : values) ss += (v - e.mean) * (v - e.mean);
  const double sd = std::sqrt(ss / static_cast<double>(n - 1));
  e.half_width = student_t_quantile(confidence, static_cast<int>(n - 1)) * sd / std::sqrt(static_cast<double>(n));
  return e;
}

}  // namespace switchboard::sim
