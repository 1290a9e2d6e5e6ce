#include "core/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace switchboard {

double Distribution::expected() const {
  switch (kind) {
    case DistKind::none: return 0;
    case DistKind::constant: return value;
    case DistKind::exponential:
    case DistKind::lognormal:
    case DistKind::gamma: return mean;
    case DistKind::weibull: return scale * std::tgamma(1.0 + 1.0 / shape);
    case DistKind::empirical:
      return samples.empty() ? 0 : std::accumulate(samples.begin(), samples.end(), 0.0) / samples.size();
  }
  return 0;
}

int Horizon::intervals() const {
  if (length <= 0 || interval <= 0) return 0;
  // Saturates rather than overflow int: validate() refuses more than kMaxIntervals.
  return static_cast<int>(std::min(std::ceil(length / interval - 1e-9), static_cast<double>(std::numeric_limits<int>::max())));
}

int AgentGroup::staffed_at(int interval) const {
  if (staffing.empty()) return 0;
  if (staffing.size() == 1) return staffing[0];
  if (interval < 0) return staffing.front();
  if (interval >= static_cast<int>(staffing.size())) return staffing.back();
  return staffing[interval];
}

int BackOfficeGroup::staffed_at(int interval) const {
  if (staffing.empty()) return 0;
  if (interval < 0) return staffing.front();
  return staffing[std::min<std::size_t>(static_cast<std::size_t>(interval), staffing.size() - 1)];
}

}  // namespace switchboard
