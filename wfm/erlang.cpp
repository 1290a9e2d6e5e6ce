#include "wfm/erlang.hpp"

#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace switchboard::wfm {

double erlang_b(double traffic, int lines) {
  if (traffic < 0 || lines < 0) throw std::domain_error("erlang_b: traffic and lines must be >= 0");
  // B(E, n) = E B(E, n-1) / (n + E B(E, n-1)): every step stays in [0, 1].
  double b = 1;
  for (int n = 1; n <= lines; ++n) b = traffic * b / (n + traffic * b);
  return b;
}

QueueMetrics erlang_c(double rate, double aht, int agents, double answer_within) {
  const double a = rate * aht;
  if (!(a < agents)) throw std::domain_error("erlang_c: offered load must be below the number of agents");
  const double b = erlang_b(a, agents);
  QueueMetrics m;
  m.p_wait = agents * b / (agents - a * (1 - b));
  m.service_level = 1 - m.p_wait * std::exp(-(agents - a) * answer_within / aht);
  m.asa = m.p_wait * aht / (agents - a);
  m.mean_wait = m.asa;
  m.occupancy = a / agents;
  return m;
}

// Erlang A. With j calls already waiting ahead of it, a new caller's
// *virtual* wait (until an agent would take it, were it infinitely patient)
// is a sum of exponentials of rates Nmu + i*theta, i = j..0, whose density is
// c e^{-Nmu t} (1 - e^{-theta t})^j. Its own patience is independent, so
//   P(answered within T | j) = Nmu / (Nmu + (j+1) theta) * I_U(j+1, Nmu/theta + 1),
//   U = 1 - e^{-theta T}, I the regularized incomplete beta function;
// and, given it is answered, it spends Exp(Nmu + (i+1) theta) at each stage,
// so E[wait | answered, j] = sum_{i=0..j} 1 / (Nmu + (i+1) theta).
QueueMetrics erlang_a(double rate, double aht, int agents, double patience, double answer_within) {
  if (!(patience > 0)) throw std::domain_error("erlang_a: patience must be > 0");
  if (agents < 1 || !(rate > 0) || !(aht > 0)) throw std::domain_error("erlang_a: rate, aht and agents must be > 0");
  const double mu = 1 / aht, theta = 1 / patience;
  const double a = rate * aht;
  const double n_mu = agents * mu;
  // Stationary probabilities relative to state N. With B = Erlang B(a, N),
  // the states up to N weigh 1/B times pi_N; above N, w_j = pi_{N+j} / pi_N.
  // Everything is scaled by B so that a B too small for a double (light
  // load, thousands of agents) degrades gracefully to "nobody waits".
  const double b = erlang_b(a, agents);
  // w_j until the tail cannot change a double any more: past
  // j > (rate - Nmu) / theta every ratio is below one and falls fast.
  std::vector<double> w{1.0};
  double tail = 1;
  for (int j = 1;; ++j) {
    const double next = w.back() * rate / (n_mu + j * theta);
    w.push_back(next);
    tail += next;
    if (n_mu + j * theta > rate && next < 1e-18 * tail) break;
    if (j > 50'000'000) throw std::domain_error("erlang_a: tail did not converge");
  }
  const double total = 1 - b + b * tail;  // sum over all states, times B / pi_N
  const double u = -std::expm1(-theta * answer_within);
  const double b_shape = n_mu / theta + 1;
  QueueMetrics m;
  const double no_wait = (1 - b) / total;
  double within = no_wait;
  double wait_served = 0, waiting_ahead = 0, stage_sum = 0;
  for (std::size_t j = 0; j < w.size(); ++j) {
    const double p = w[j] * b / total;       // an arrival finds N + j in the system
    const double abandon_rate = (j + 1) * theta;
    const double answered = n_mu / (n_mu + abandon_rate);
    stage_sum += 1 / (n_mu + abandon_rate);
    m.p_wait += p;
    m.p_abandon += p * abandon_rate / (n_mu + abandon_rate);
    wait_served += p * answered * stage_sum;
    if (answer_within > 0 && u > 0) within += p * answered * boost::math::ibeta(static_cast<double>(j + 1), b_shape, u);
    waiting_ahead += p * static_cast<double>(j);  // queue length seen by arrivals = time average (PASTA)
  }
  const double served = 1 - m.p_abandon;
  m.service_level = within;
  m.asa = served > 0 ? wait_served / served : 0;
  m.mean_wait = waiting_ahead / rate;  // Little: Lq = lambda * E[W]
  m.occupancy = rate * (1 - m.p_abandon) * aht / agents;
  return m;
}

}  // namespace switchboard::wfm
