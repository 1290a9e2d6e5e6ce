// Seeded random streams (Boost.Random's MT19937-64: the standard's sequence,
// std::mt19937_64's too, with a draw that inlines). Every model component (arrivals of each call type,
// patience, handle times, ...) draws from its own stream, derived from the
// run's seed, the replication and the component, so that two scenarios run
// with the same seed share common random numbers, and a replication's
// numbers do not depend on which thread runs it.
#pragma once

#include <cmath>
#include <cstdint>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>

namespace switchboard::sim {

// splitmix64: decorrelates nearby (seed, replication, stream) triples.
inline std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

enum class Stream : std::uint32_t {
  arrivals, busyness, patience, handle_time, wrap_up, answer, menu, self_service,
  tags, redial, callback, disposition, ticket_work,
};

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint64_t replication, Stream stream, std::uint32_t index)
      : engine_(mix(mix(mix(seed) ^ replication) ^ (static_cast<std::uint64_t>(stream) << 32 | index))) {}

  // Uniform on (0, 1): never 0, so log() is always finite. The bit recipe is
  // ours rather than std::uniform_real_distribution's, whose output may
  // differ between standard libraries: results must not.
  double uniform() { return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53; }
  // Exp(1) by Boost.Random's ziggurat: one engine draw and a table lookup
  // nearly always, where -log(uniform()) paid glibc's log (a tenth of an
  // event-list run's time). Header code with fixed tables, so the same on
  // every platform; tests/sim/behaviour_test.cpp pins a run's figures, which
  // would show if another Boost drew otherwise.
  double standard_exponential() { return boost::random::exponential_distribution<double>()(engine_); }
  double exponential(double mean) { return mean * standard_exponential(); }
  bool bernoulli(double p) { return uniform() < p; }
  double normal();  // standard normal, Marsaglia polar method
  double gamma(double shape, double scale);  // Marsaglia–Tsang

 private:
  boost::random::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

inline double RandomStream::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2 * uniform() - 1;
    v = 2 * uniform() - 1;
    s = u * u + v * v;
  } while (s >= 1 || s == 0);
  const double f = std::sqrt(-2 * std::log(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return u * f;
}

inline double RandomStream::gamma(double shape, double scale) {
  if (shape < 1) {
    // Boost a shape below one: G(a) = G(a + 1) * U^(1/a).
    return gamma(shape + 1, scale) * std::pow(uniform(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9 * d);
  for (;;) {
    double x, v;
    do {
      x = normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = uniform();
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v * scale;
  }
}

}  // namespace switchboard::sim
