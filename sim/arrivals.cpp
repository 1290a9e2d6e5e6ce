#include "sim/arrivals.hpp"

#include <cmath>
#include <limits>

namespace switchboard::sim {

namespace {
constexpr double kNever = std::numeric_limits<double>::infinity();
}

ArrivalProcess::ArrivalProcess(const ArrivalSpec& spec, const Horizon& horizon, double start,
                               RandomStream rng)
    : spec_(spec), horizon_(horizon), rng_(rng), now_(start), factor_(spec.scale) {
  if (spec.kind == ArrivalKind::poisson_gamma) factor_ *= rng_.gamma(spec.busyness_shape, 1.0 / spec.busyness_shape);
}

double ArrivalProcess::rate_at(int interval) const {
  const auto& r = spec_.rate_per_hour;
  if (r.empty()) return 0;
  const std::size_t i = r.size() == 1 ? 0 : static_cast<std::size_t>(interval < 0 ? 0 : interval);
  return (i < r.size() ? r[i] : r.back()) * factor_ / 3600.0;
}

double ArrivalProcess::next() {
  switch (spec_.kind) {
    case ArrivalKind::poisson:
    case ArrivalKind::poisson_gamma: return next_poisson();
    case ArrivalKind::deterministic: return next_deterministic();
    case ArrivalKind::replay_counts: return next_replayed_count();
    case ArrivalKind::replay_timestamps:
      return index_ < spec_.timestamps.size() ? spec_.timestamps[index_++] : kNever;
  }
  return kNever;
}

// Piecewise-constant rate: spend one Exp(1) of "work" across intervals,
// which is exact (no thinning) and costs one draw per arrival.
double ArrivalProcess::next_poisson() {
  double work = rng_.standard_exponential();
  while (now_ < horizon_.length) {
    // The stretch of constant rate now_ is in (-1: the warm-up), its end
    // and rate worked out once per stretch rather than once per call.
    if (!(now_ >= stretch_start_ && now_ < stretch_end_)) {
      const int stretch = now_ < 0 ? -1 : static_cast<int>(now_ / horizon_.interval);
      stretch_start_ = stretch < 0 ? -std::numeric_limits<double>::infinity() : stretch * horizon_.interval;
      stretch_end_ = stretch < 0 ? 0.0 : std::min(horizon_.length, (stretch + 1) * horizon_.interval);
      stretch_rate_ = rate_at(stretch);
    }
    const double end = stretch_end_;
    const double rate = stretch_rate_;
    if (rate > 0 && now_ + work / rate < end) {
      now_ += work / rate;
      return now_;
    }
    if (rate > 0) work -= rate * (end - now_);
    now_ = end;
  }
  return kNever;
}

// Evenly spaced at the current interval's rate, as a load generator sends.
double ArrivalProcess::next_deterministic() {
  while (now_ < horizon_.length) {
    const int interval = now_ < 0 ? -1 : static_cast<int>(now_ / horizon_.interval);
    const double rate = rate_at(interval);
    if (rate > 0) {
      const double at = now_;
      now_ += 1.0 / rate;
      return at;
    }
    now_ = interval < 0 ? 0.0 : (interval + 1) * horizon_.interval;
  }
  return kNever;
}

// A recorded count per bin: that many arrivals spread uniformly over the bin
// (given the count, Poisson arrivals are uniform order statistics, drawn here
// one at a time: U(i) = 1 - (1 - U(i-1)) * V^(1/remaining)).
double ArrivalProcess::next_replayed_count() {
  while (true) {
    if (bin_left_ > 0 && index_ > 0) {
      const CountBin& bin = spec_.bins[index_ - 1];
      bin_position_ = 1 - (1 - bin_position_) * std::pow(rng_.uniform(), 1.0 / bin_left_);
      bin_left_ -= 1;
      return bin.start + bin_position_ * bin.length;
    }
    if (index_ >= spec_.bins.size()) return kNever;
    const CountBin& bin = spec_.bins[index_++];
    const double scaled = bin.calls * spec_.scale;
    bin_left_ = std::floor(scaled);
    if (rng_.uniform() < scaled - bin_left_) bin_left_ += 1;  // fractional scale, unbiased
    bin_position_ = 0;
  }
}

}  // namespace switchboard::sim
