#include "sim/behaviour.hpp"

#include <cmath>
#include <limits>

namespace switchboard::sim {

double sample(const Distribution& d, RandomStream& rng) {
  switch (d.kind) {
    case DistKind::none: return std::numeric_limits<double>::infinity();
    case DistKind::constant: return d.value;
    case DistKind::exponential: return rng.exponential(d.mean);
    case DistKind::lognormal: {
      // Parameters of the underlying normal from the lognormal's mean and sd.
      const double s2 = std::log1p((d.sd * d.sd) / (d.mean * d.mean));
      const double mu = std::log(d.mean) - s2 / 2;
      return std::exp(mu + std::sqrt(s2) * rng.normal());
    }
    case DistKind::gamma: {
      const double shape = (d.mean * d.mean) / (d.sd * d.sd);
      return rng.gamma(shape, d.mean / shape);
    }
    case DistKind::weibull: return d.scale * std::pow(-std::log(rng.uniform()), 1.0 / d.shape);
    case DistKind::empirical: {
      const auto n = d.samples.size();
      auto i = static_cast<std::size_t>(rng.uniform() * static_cast<double>(n));
      return d.samples[i < n ? i : n - 1];
    }
  }
  return 0;
}

}  // namespace switchboard::sim
