#include "wfm/erlang.hpp"

#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace switchboard::wfm {

namespace {

void require(bool ok, const char* message) {
  if (!ok) throw std::domain_error(message);
}

// Neumaier's compensated sum. A heavily loaded Erlang A chain has up to
// millions of terms; plain summation could spend the whole 1e-9 error budget.
class Sum {
 public:
  void add(double x) {
    const double t = sum_ + x;
    carry_ += std::fabs(sum_) >= std::fabs(x) ? (sum_ - t) + x : (x - t) + sum_;
    sum_ = t;
  }
  double value() const { return sum_ + carry_; }

 private:
  double sum_ = 0;
  double carry_ = 0;
};

// Where the upper tail of the chain is cut: what is left is below this share
// of every sum a metric is made of (the brief allows 1e-16).
constexpr double kTail = 1e-17;
// Where the states below the most likely one are cut, relative to it: far
// enough that what is left could not be held in a normal double anyway, so
// even tiny probabilities (service level in a deep overload) keep their digits.
constexpr double kFloor = 1e-280;

// Boost evaluates in long double by default; double is accurate to a few
// dozen ulps here, far inside the 1e-9 budget, and several times faster.
using DoublePolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
constexpr DoublePolicy kDoublePolicy;

}  // namespace

double erlang_b(double traffic, int lines) {
  require(std::isfinite(traffic) && traffic >= 0, "erlang_b: traffic must be a number of Erlangs >= 0");
  require(lines >= 0, "erlang_b: lines must be >= 0");
  // B(E, n) = E B(E, n-1) / (n + E B(E, n-1)): every step stays in [0, 1]
  // and damps the rounding error of the previous one.
  double b = 1;
  for (int n = 1; n <= lines; ++n) b = traffic * b / (n + traffic * b);
  return b;
}

QueueMetrics erlang_c(double rate, double aht, int agents, double answer_within) {
  require(std::isfinite(rate) && rate >= 0, "erlang_c: the arrival rate must be a number >= 0");
  require(std::isfinite(aht) && aht > 0, "erlang_c: the handle time must be > 0");
  require(agents >= 1, "erlang_c: at least one agent");
  require(!std::isnan(answer_within) && answer_within >= 0, "erlang_c: the service-level threshold must be >= 0");
  const double a = rate * aht;
  const double n = agents;
  require(a < n, "erlang_c: offered load >= agents: every caller waits and the queue grows without bound");
  const double b = erlang_b(a, agents);
  // C = N B / (N - A (1 - B)); written with N - A + A B so that no two terms
  // of opposite sign meet, and 1 - C likewise, so that a service level close
  // to 0 (load just under N) keeps its relative precision.
  const double denominator = n - a + a * b;
  QueueMetrics m;
  m.p_wait = n * b / denominator;
  const double no_wait = (n - a) * (1 - b) / denominator;
  // P(W > T | W > 0) = exp(-(N - A) T / AHT).
  m.service_level = no_wait + m.p_wait * -std::expm1(-(n - a) * answer_within / aht);
  m.asa = m.p_wait * aht / (n - a);
  m.mean_wait = m.asa;
  m.occupancy = a / n;
  return m;
}

// Erlang A as a birth-death chain on the number in system n, with birth
// rate lambda and death rate n mu (n <= N) or N mu + (n - N) theta (n > N).
//
// Stationary law. Relative to state N, states below N weigh (1 - B) / B in
// total (B = Erlang B(A, N): the truncated chain 0..N is M/M/N/N), and state
// N + j weighs w_j = prod_{i=1..j} lambda / (N mu + i theta). Both can
// overflow a double: 1/B for light loads on thousands of agents, w_j for a
// heavy overload with patient callers (w peaks near j* = (lambda - N mu) /
// theta). So the sums are taken relative to the most likely waiting state
// `mode` and, when that is j = 0, multiplied through by B instead.
//
// What an arrival that finds N + j in system sees (PASTA). It joins behind j
// callers. Under FCFS only those ahead matter: with i ahead, its position
// improves at rate N mu + i theta (a service or one of them hanging up), so
// its virtual wait (until answered, were it infinitely patient) is
//   V_j = sum_{i=0..j} Exp(N mu + i theta), density
//   f(v) = [prod_{i=0..j} (N mu + i theta)] / (theta^j j!) e^{-N mu v} (1 - e^{-theta v})^j.
// Its own patience tau ~ Exp(theta) is independent, so
//   P(answered within T | j) = E[e^{-theta V} 1{V <= T}]
//     = N mu / (N mu + (j+1) theta) * I_U(j + 1, N mu / theta + 1),  U = 1 - e^{-theta T}
// (substitute u = 1 - e^{-theta v}; I is the regularized incomplete beta),
// and P(answered | j) is the same with I = 1. In each stage it waits
// Exp(N mu + (i+1) theta) whatever ends the stage, so given that it is
// answered, E[wait | answered, j] = sum_{i=0..j} 1 / (N mu + (i+1) theta).
//
// Truncation. Above the mode the ratios r_k = lambda / (N mu + k theta)
// fall with k, so everything beyond state j weighs at most w_j r / (1 - r)
// with r = r_{j+1} < 1; weighted by the queue length k or by the expected
// wait (which grows by at most 1 / (N mu + theta) per state), at most
// w_j (j q + q / (1 - r)) and w_j (stage_j q + q / ((1 - r)(N mu + theta)))
// with q = r / (1 - r). The chain stops at the first j where each such bound
// is below kTail times the sum it would join. Below the mode the factors
// (N mu + k theta) / lambda fall going down, so the states below j (and the
// states below N, at most (1 - B) / B times w_0) are bounded the same way;
// they are cut only where they are below kFloor of the mode, which carries
// at least that share of the mass. The incomplete beta, the costly part, is
// evaluated only while what it could still add is above kTail of the
// service level: both it and P(answered | j) fall with j.
QueueMetrics erlang_a(double rate, double aht, int agents, double patience, double answer_within) {
  require(std::isfinite(rate) && rate >= 0, "erlang_a: the arrival rate must be a number >= 0");
  require(std::isfinite(aht) && aht > 0, "erlang_a: the handle time must be > 0");
  require(agents >= 1, "erlang_a: at least one agent");
  require(std::isfinite(patience) && patience > 0, "erlang_a: the mean patience must be > 0");
  require(!std::isnan(answer_within) && answer_within >= 0, "erlang_a: the service-level threshold must be >= 0");
  QueueMetrics m;
  if (rate == 0) {
    m.service_level = 1;
    return m;
  }
  const double lambda = rate, n_mu = agents / aht, theta = 1 / patience;
  const double b = erlang_b(rate * aht, agents);
  auto death = [&](std::int64_t j) { return n_mu + static_cast<double>(j) * theta; };  // out of state N + j

  const double excess = (lambda - n_mu) / theta;
  if (!(excess < static_cast<double>(kErlangAMaxStates))) {
    char size[32];
    std::snprintf(size, sizeof size, "%.2g", excess);
    throw std::domain_error(std::string("erlang_a: the queue would hold about ") + size +
                            " callers (patience times the arrivals beyond the agents' capacity): too many states "
                            "to sum; with callers this patient, staff above the load and use Erlang C");
  }
  const std::int64_t mode = excess >= 1 ? static_cast<std::int64_t>(excess) : 0;

  // Pass 1: the mass of the chain relative to w_mode = 1, downward to where
  // the rest is negligible (lo), then upward.
  Sum mass;
  mass.add(1);
  std::int64_t lo = mode;
  double w_lo = 1;
  const double below_n = mode > 0 ? (1 - b) / b : 0;  // states 0..N-1 per unit of w_0; B > 0 since A > N here
  while (lo > 0) {
    w_lo *= death(lo) / lambda;
    --lo;
    mass.add(w_lo);
    const double f = death(lo) / lambda;  // the next step down
    if (lo > 0 && f < 1 && w_lo * (f / (1 - f) + below_n) < kFloor * mass.value()) break;
  }
  {
    double w = 1;
    for (std::int64_t j = mode;; ++j) {
      const double r = lambda / death(j + 1);
      if (w * r / (1 - r) <= kTail * 1e-3 * mass.value()) break;
      w *= r;
      mass.add(w);
      if (j - mode > kErlangAMaxStates) throw std::domain_error("erlang_a: the chain's tail did not converge");
    }
  }
  const double total_mass = mass.value();

  // States 0..N-1 and the scale of the waiting states, in one unit.
  const double kappa = mode == 0 ? b : 1;
  const double low = mode == 0 ? 1 - b : (lo == 0 ? below_n * w_lo : 0);

  // Pass 2: every sum, from lo upward.
  const double u = -std::expm1(-theta * answer_within);
  const double beta_b = n_mu / theta + 1;
  bool sl_open = u > 0;
  Sum stage;  // sum_{i=0..j} 1 / (N mu + (i+1) theta)
  for (std::int64_t i = 0; i < lo; ++i) stage.add(1 / death(i + 1));
  Sum s_mass, s_abandon, s_answered, s_within, s_wait_answered, s_length;
  double w = w_lo;
  for (std::int64_t j = lo;; ++j) {
    if (j > lo) w *= lambda / death(j);
    stage.add(1 / death(j + 1));
    const double answered = n_mu / death(j + 1);
    const double abandons = static_cast<double>(j + 1) * theta / death(j + 1);
    const double from_here = std::max(total_mass * (1 + 1e-12) - s_mass.value(), w);
    s_mass.add(w);
    s_abandon.add(w * abandons);
    s_answered.add(w * answered);
    s_wait_answered.add(w * answered * stage.value());
    s_length.add(w * static_cast<double>(j));
    double within = 0;
    if (sl_open) {
      within = boost::math::ibeta(static_cast<double>(j + 1), beta_b, u, kDoublePolicy);
      s_within.add(w * answered * within);
      if (within == 0 || kappa * answered * within * from_here <= kTail * (low + kappa * s_within.value()))
        sl_open = false;
    }
    if (j >= mode) {
      const double r = lambda / death(j + 1);
      const double q = r / (1 - r);
      const double rest = w * q;
      const bool done = rest <= kTail * s_mass.value() && rest <= kTail * s_abandon.value() &&
                        rest <= kTail * s_answered.value() &&
                        w * (static_cast<double>(j) * q + q / (1 - r)) <= kTail * s_length.value() &&
                        rest * stage.value() + w * q / ((1 - r) * (n_mu + theta)) <= kTail * s_wait_answered.value() &&
                        (!sl_open || kappa * rest * answered * within <= kTail * (low + kappa * s_within.value()));
      if (done) break;
    }
    if (j - lo > 2 * kErlangAMaxStates) throw std::domain_error("erlang_a: the chain did not converge");
  }

  const double total = low + kappa * s_mass.value();
  const double answered = low + kappa * s_answered.value();
  m.p_wait = kappa * s_mass.value() / total;
  m.p_abandon = kappa * s_abandon.value() / total;
  m.service_level = (low + kappa * s_within.value()) / total;
  m.asa = kappa * s_wait_answered.value() / answered;
  m.mean_wait = kappa * s_length.value() / total / lambda;  // Little: L_q = lambda E[W]
  m.occupancy = lambda * (answered / total) * aht / agents;
  return m;
}

}  // namespace switchboard::wfm
