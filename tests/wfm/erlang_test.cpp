// Erlang B, C and A against exact values: closed forms and published
// figures, and independent computations in higher precision — 128-bit
// floating point (__float128) for the stationary laws, summed from state 0
// with other formulas than wfm/erlang.cpp uses, and 80-bit long double for
// a service level found by uniformization of the waiting caller's own
// Markov chain rather than by the incomplete beta function.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_support.hpp"
#include "wfm/erlang.hpp"

using namespace switchboard;

namespace {

using Quad = __float128;
static_assert(std::numeric_limits<long double>::digits >= 64, "the uniformization reference needs 80-bit long double");

Quad quad_abs(Quad x) { return x < 0 ? -x : x; }

// Relative error, except where the exact value is too small to matter as a
// double: there the computed one must be that small too.
double relative_error(double value, Quad exact, double tiny = 1e-300) {
  if (!std::isfinite(value)) return INFINITY;
  if (exact < static_cast<Quad>(tiny)) return std::fabs(value) < tiny ? 0.0 : 1.0;
  return static_cast<double>(quad_abs(static_cast<Quad>(value) - exact) / exact);
}

// 2^e in quad, exactly.
Quad power_of_two(int e) {
  Quad p = 1;
  for (int i = 0; i < (e < 0 ? -e : e); ++i) p = e < 0 ? p / 2 : p * 2;
  return p;
}

// Erlang B straight from its definition, B = (A^N/N!) / sum_{k<=N} A^k/k!,
// summed downward from k = N as t_k = N! / (k! A^(N-k)): no recurrence in B.
// Returns 0 when B is below what even quad can hold.
Quad erlang_b_quad(double traffic, int lines) {
  const Quad a = traffic, big = power_of_two(12000);
  Quad t = 1, sum = 1;
  int scaled = 0;
  for (int k = lines; k >= 1; --k) {
    t = t * k / a;
    sum += t;
    if (sum > big) {
      sum /= big;
      t /= big;
      ++scaled;
    }
  }
  return scaled > 0 ? 0 : 1 / sum;
}

// Erlang C from its textbook definition:
// C = [A^N/N! * N/(N-A)] / [sum_{k<N} A^k/k! + A^N/N! * N/(N-A)].
Quad erlang_c_quad(double traffic, int agents) {
  const Quad a = traffic, big = power_of_two(12000);
  const Quad last = static_cast<Quad>(agents) / (agents - a);
  Quad t = 1, below = 0;
  for (int k = agents; k >= 1; --k) {
    t = t * k / a;
    below += t;
    if (below > big) return 0;
  }
  return last / (below + last);
}

// Everything about M/M/N+M computed independently of wfm/erlang.cpp:
// the chain summed from state 0 (all quantities below in quad), P(abandon)
// from the abandonment rate, the mean wait by Little's law, occupancy as
// busy agents, P(answered | j ahead) and E[wait; answered | j] from the
// Laplace transform L_j(s) = prod_{i=0..j} (N mu + i theta) / (N mu + i theta + s)
// of the virtual wait (its value and numerical derivative at s = theta),
// and the service level by uniformization (below).
struct ExactA {
  Quad p_wait, p_abandon, service_level, asa, mean_wait, occupancy;
};

// P(answered within T | j ahead) for j = 0..J, by uniformizing the tagged
// caller's chain: j ahead moves to j-1 (or to answered from 0) at rate
// N mu + j theta, to abandoned at rate theta. h_j(T) = sum_k Poisson(k; Lambda T)
// P(answered within k steps | j), in long double.
std::vector<long double> answered_within_uniformized(int ahead, double n_mu, double theta, double within) {
  int j_max = ahead;
  long double rate = 0, x = 0;
  int steps = 0;
  for (int pass = 0; pass < 3; ++pass) {  // states beyond `steps` ahead cannot be answered in time
    rate = n_mu + (j_max + 1) * static_cast<long double>(theta);
    x = rate * within;
    steps = static_cast<int>(std::ceil(x + 14 * std::sqrt(x) + 60));
    j_max = std::min(j_max, steps);
  }
  if (x > 11000) throw std::logic_error("uniformization test case too large for long double");
  std::vector<long double> g(j_max + 1, 0), h(j_max + 1, 0);
  long double poisson = std::exp(-x);
  for (int k = 1; k <= steps; ++k) {
    for (int i = j_max; i >= 0; --i) {
      const long double down = (n_mu + i * static_cast<long double>(theta)) / rate;
      const long double stay = 1 - (n_mu + (i + 1) * static_cast<long double>(theta)) / rate;
      g[i] = stay * g[i] + down * (i == 0 ? 1.0L : g[i - 1]);
    }
    poisson *= x / k;
    for (int i = 0; i <= j_max; ++i) h[i] += poisson * g[i];
  }
  h.resize(ahead + 1, 0);
  return h;
}

ExactA erlang_a_exact(double rate, double aht, int agents, double patience, double within) {
  const Quad lambda = rate, mu = 1 / static_cast<Quad>(aht), theta = 1 / static_cast<Quad>(patience);
  const Quad n_mu = agents * mu, big = power_of_two(12000);
  std::vector<Quad> pi{1};
  Quad peak_waiting = 0;  // the tail is cut relative to the waiting states, however rare they are
  for (int n = 1;; ++n) {
    const Quad death = n <= agents ? n * mu : n_mu + (n - agents) * theta;
    pi.push_back(pi.back() * lambda / death);
    if (pi.back() > big) {
      for (auto& p : pi) p /= big;  // far below the largest: these fall to 0, harmlessly
      peak_waiting /= big;
    }
    if (n >= agents) peak_waiting = std::max(peak_waiting, pi.back());
    if (n > agents && death > lambda && pi.back() < static_cast<Quad>(1e-45) * peak_waiting) break;
  }
  Quad total = 0, waiting = 0, abandon_rate = 0, queue = 0, busy = 0, answered = 0, wait_answered = 0;
  for (std::size_t n = 0; n < pi.size(); ++n) {
    const int k = static_cast<int>(n);
    total += pi[n];
    busy += std::min(k, agents) * pi[n];
    if (k < agents) answered += pi[n];
  }
  // Arrival sees j = n - N ahead (PASTA).
  const Quad s = theta, h = theta * static_cast<Quad>(1e-10);
  Quad l0 = 1, lp = 1, lm = 1;  // L_j at theta, theta + h, theta - h
  std::vector<Quad> p_ahead;
  for (std::size_t n = agents; n < pi.size(); ++n) {
    const int j = static_cast<int>(n) - agents;
    const Quad r = n_mu + j * theta;
    l0 *= r / (r + s);
    lp *= r / (r + s + h);
    lm *= r / (r + s - h);
    waiting += pi[n];
    abandon_rate += j * theta * pi[n];
    queue += j * pi[n];
    answered += pi[n] * l0;
    wait_answered += pi[n] * (lm - lp) / (2 * h);  // E[V e^{-theta V}] = -L_j'(theta)
    p_ahead.push_back(pi[n] / total);
  }
  ExactA e;
  e.p_wait = waiting / total;
  e.p_abandon = abandon_rate / total / lambda;
  e.mean_wait = queue / total / lambda;
  e.asa = wait_answered / answered;
  e.occupancy = busy / total / agents;
  Quad sl = (total - waiting) / total;
  if (within > 0) {
    const auto hit = answered_within_uniformized(static_cast<int>(p_ahead.size()) - 1, static_cast<double>(n_mu),
                                                 static_cast<double>(theta), within);
    for (std::size_t j = 0; j < p_ahead.size(); ++j) sl += p_ahead[j] * static_cast<Quad>(hit[j]);
  }
  e.service_level = sl;
  return e;
}

const std::vector<int> kAgentGrid{1, 2, 5, 10, 100, 1000, 5000, 20000};

}  // namespace

TEST(ErlangB, ClosedFormsAndPublishedValues) {
  EXPECT_DOUBLE_EQ(wfm::erlang_b(2, 3), 4.0 / 19.0);  // (8/6) / (1 + 2 + 2 + 8/6)
  EXPECT_DOUBLE_EQ(wfm::erlang_b(1, 1), 0.5);         // A / (1 + A)
  EXPECT_EQ(wfm::erlang_b(5, 0), 1.0);
  EXPECT_EQ(wfm::erlang_b(0, 3), 0.0);
  // Erlang B tables: 10 Erlangs on 15 lines block 3.650% of calls.
  EXPECT_NEAR(wfm::erlang_b(10, 15), 0.03650, 5e-6);
  // Westbay's Erlang calculator manual, "How much traffic can a trunk group
  // handle" (erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm):
  // 15 lines at 1% blocking carry at most 8.108 Erlangs.
  EXPECT_LE(wfm::erlang_b(8.108, 15), 0.01);
  EXPECT_GT(wfm::erlang_b(8.109, 15), 0.01);
  EXPECT_THROW(wfm::erlang_b(-1, 3), std::domain_error);
  EXPECT_THROW(wfm::erlang_b(NAN, 3), std::domain_error);
  EXPECT_THROW(wfm::erlang_b(1, -1), std::domain_error);
}

TEST(ErlangB, MatchesTheDefinitionInQuadUpTo20000LinesAnd15000Erlangs) {
  for (int lines : kAgentGrid) {
    for (double share : {0.01, 0.1, 0.5, 0.9, 0.99, 1.0, 1.2, 3.0, 100.0}) {
      const double traffic = std::min(15000.0, share * lines);
      const double b = wfm::erlang_b(traffic, lines);
      ASSERT_TRUE(std::isfinite(b) && b >= 0 && b <= 1);
      EXPECT_LE(relative_error(b, erlang_b_quad(traffic, lines)), 1e-9) << "E=" << traffic << " N=" << lines;
    }
  }
}

TEST(ErlangC, ClosedForms) {
  // M/M/1 (any queueing text, e.g. Kleinrock, Queueing Systems I, 3.2):
  // P(wait) = rho, W_q = rho / (mu - lambda), P(W > t) = rho e^{-(mu - lambda) t}.
  {
    const double lambda = 0.75 / 60, aht = 60;
    const auto m = wfm::erlang_c(lambda, aht, 1, 30);
    EXPECT_NEAR(m.p_wait, 0.75, 1e-15);
    EXPECT_NEAR(m.asa, 0.75 / (1.0 / 60 - lambda), 1e-11);
    EXPECT_NEAR(m.service_level, 1 - 0.75 * std::exp(-(1.0 / 60 - lambda) * 30), 1e-15);
    EXPECT_NEAR(m.occupancy, 0.75, 1e-15);
  }
  // M/M/2: P(wait) = 2 rho^2 / (1 + rho) with rho = A / 2.
  for (double rho : {0.1, 0.5, 0.9, 0.999}) {
    const auto m = wfm::erlang_c(2 * rho / 100, 100, 2, 0);
    EXPECT_NEAR(m.p_wait, 2 * rho * rho / (1 + rho), 1e-14) << rho;
    EXPECT_NEAR(m.service_level, 1 - 2 * rho * rho / (1 + rho), 1e-14) << rho;  // T = 0: answered at once
  }
  // A = 2, N = 3: P(wait) = 4/9, ASA = P(wait) * AHT / (N - A).
  const auto m = wfm::erlang_c(2.0 / 100, 100, 3, 0);
  EXPECT_NEAR(m.p_wait, 4.0 / 9.0, 1e-15);
  EXPECT_NEAR(m.asa, 4.0 / 9.0 * 100, 1e-12);
  EXPECT_EQ(m.p_abandon, 0);
  EXPECT_EQ(m.mean_wait, m.asa);
}

TEST(ErlangC, MatchesTheDefinitionInQuadOnTheGrid) {
  const double aht = 180, within = 20;
  for (int agents : kAgentGrid) {
    for (double load : {0.01, 0.3, 0.8, 0.95, 0.99, 0.9999}) {
      const double a = std::min(15000.0, load * agents);
      const auto c = wfm::erlang_c(a / aht, aht, agents, within);
      const Quad p_wait = erlang_c_quad(a, agents);
      const Quad tail = static_cast<Quad>(std::exp(-static_cast<long double>(agents - a) * within / aht));
      const std::string where = "N=" + std::to_string(agents) + " A=" + std::to_string(a);
      EXPECT_LE(relative_error(c.p_wait, p_wait), 1e-9) << where;
      EXPECT_LE(relative_error(c.service_level, 1 - p_wait * tail), 1e-9) << where;
      EXPECT_LE(relative_error(c.asa, p_wait * aht / (agents - a)), 1e-9) << where;
      EXPECT_LE(relative_error(c.occupancy, static_cast<Quad>(a) / agents), 1e-15) << where;
    }
  }
}

TEST(ErlangC, UnstableOrInvalidInputThrows) {
  EXPECT_THROW(wfm::erlang_c(1, 10, 10, 20), std::domain_error);   // load = agents
  EXPECT_THROW(wfm::erlang_c(2, 10, 10, 20), std::domain_error);   // load > agents
  EXPECT_THROW(wfm::erlang_c(0.1, 10, 0, 20), std::domain_error);  // no agent
  EXPECT_THROW(wfm::erlang_c(-0.1, 10, 3, 20), std::domain_error);
  EXPECT_THROW(wfm::erlang_c(0.1, 0, 3, 20), std::domain_error);
  EXPECT_THROW(wfm::erlang_c(0.1, 10, 3, NAN), std::domain_error);
}

TEST(ErlangA, MatchesIndependentComputationsOnTheGrid) {
  const double aht = 240, within = 20;
  int cases = 0;
  for (int agents : kAgentGrid) {
    for (double load : {0.3, 0.8, 0.95, 1.0, 1.2, 2.0}) {
      if (load * agents > 15000) continue;
      for (double patience : {30.0, 600.0}) {
        const double rate = load * agents / aht;
        const auto a = wfm::erlang_a(rate, aht, agents, patience, within);
        const ExactA e = erlang_a_exact(rate, aht, agents, patience, within);
        const std::string where = "N=" + std::to_string(agents) + " load=" + std::to_string(load) +
                                  " patience=" + std::to_string(patience);
        // Probabilities cut below ~1e-280 of the most likely state may come back as 0.
        EXPECT_LE(relative_error(a.p_wait, e.p_wait, 1e-270), 1e-9) << where;
        EXPECT_LE(relative_error(a.p_abandon, e.p_abandon, 1e-270), 1e-9) << where;
        EXPECT_LE(relative_error(a.mean_wait, e.mean_wait, 1e-270), 1e-9) << where;
        EXPECT_LE(relative_error(a.asa, e.asa, 1e-270), 1e-9) << where;
        EXPECT_LE(relative_error(a.occupancy, e.occupancy), 1e-9) << where;
        // The uniformized reference is exact to ~1e-30 absolute: relative
        // accuracy is checked where the service level is not far below that.
        if (e.service_level > static_cast<Quad>(1e-15))
          EXPECT_LE(relative_error(a.service_level, e.service_level), 1e-9) << where;
        else
          EXPECT_LE(std::fabs(a.service_level - static_cast<double>(e.service_level)), 1e-24) << where;
        // For exponential patience, P(abandon) = theta E[wait of all calls].
        EXPECT_NEAR(a.p_abandon, a.mean_wait / patience, 1e-12 * std::max(a.p_abandon, 1e-300)) << where;
        ++cases;
      }
    }
  }
  EXPECT_GE(cases, 80);
}

TEST(ErlangA, ServiceLevelMatchesNumericalIntegration) {
  // A third formulation: integrate P(answered within T | j ahead) =
  // int_0^T e^{-theta v} f_{V_j}(v) dv with Simpson's rule, f_{V_j} the
  // hypoexponential density of the virtual wait.
  const double aht = 200, patience = 150, within = 30;
  const int agents = 4;
  const double rate = 1.1 * agents / aht;
  const double n_mu = agents / aht, theta = 1 / patience;
  const auto a = wfm::erlang_a(rate, aht, agents, patience, within);
  std::vector<long double> pi{1};
  for (int n = 1; n < 400; ++n) pi.push_back(pi.back() * rate / (n <= agents ? n / aht : n_mu + (n - agents) * theta));
  long double total = 0;
  for (auto p : pi) total += p;
  long double sl = 0;
  for (int n = 0; n < agents; ++n) sl += pi[n] / total;
  for (std::size_t j = 0; j + agents < pi.size(); ++j) {
    // f(v) = c_j e^{-Nmu v} (1 - e^{-theta v})^j, c_j = prod_{i=0..j}(Nmu + i theta) / (theta^j j!)
    long double c = n_mu;
    for (std::size_t i = 1; i <= j; ++i) c *= (n_mu + i * theta) / (theta * i);
    const int steps = 2000;
    const long double h = within / static_cast<long double>(steps);
    long double integral = 0;
    for (int k = 0; k <= steps; ++k) {
      const long double v = k * h;
      const long double f = c * std::exp(-(n_mu + theta) * v) * std::pow(1 - std::exp(-theta * v), static_cast<long double>(j));
      integral += (k == 0 || k == steps ? 1 : (k % 2 ? 4 : 2)) * f;
    }
    sl += pi[j + agents] / total * integral * h / 3;
  }
  EXPECT_NEAR(a.service_level, static_cast<double>(sl), 1e-9);
}

TEST(ErlangA, PatienceEqualToHandleTimeIsAnInfiniteServerQueue) {
  // With theta = mu every state n dies at rate n mu: the chain is M/M/inf,
  // whose stationary law is Poisson(A). So P(wait) = P(X >= N) and
  // P(abandon) = E[(X - N)^+] / A, X ~ Poisson(A).
  const double aht = 300, a_load = 10;
  const int agents = 8;
  const auto m = wfm::erlang_a(a_load / aht, aht, agents, aht, 20);
  long double p = std::exp(-static_cast<long double>(a_load)), at_least = 1, mean_excess = 0;
  for (int k = 0; k < 200; ++k) {
    if (k < agents) at_least -= p;
    else mean_excess += (k - agents) * p;
    p *= a_load / (k + 1);
  }
  EXPECT_NEAR(m.p_wait, static_cast<double>(at_least), 1e-14);
  EXPECT_NEAR(m.p_abandon, static_cast<double>(mean_excess / a_load), 1e-14);
}

TEST(ErlangA, TendsToErlangCAsPatienceGrows) {
  for (int agents : {1, 10, 100, 2000}) {
    for (double load : {0.5, 0.9}) {
      const double aht = 240, rate = load * agents / aht;
      const auto c = wfm::erlang_c(rate, aht, agents, 20);
      double previous = INFINITY;
      wfm::QueueMetrics a;
      for (double patience : {1e5, 1e7, 1e9}) {
        a = wfm::erlang_a(rate, aht, agents, patience, 20);
        const double gap = std::max({std::fabs(a.p_wait - c.p_wait) / c.p_wait,
                                     std::fabs(a.service_level - c.service_level) / c.service_level,
                                     std::fabs(a.asa - c.asa) / c.asa, std::fabs(a.occupancy - c.occupancy) / c.occupancy});
        EXPECT_LT(gap, previous / 50) << agents << " " << load << " " << patience;  // the gap shrinks like 1/patience
        previous = gap;
      }
      EXPECT_LT(previous, 1e-4) << agents << " " << load;
      // Abandonment vanishes like theta E[W], E[W] tending to Erlang C's.
      EXPECT_NEAR(a.p_abandon * 1e9 / c.asa, 1, 1e-4) << agents << " " << load;
    }
  }
}

TEST(ErlangA, FiniteAndExactInDeepOverload) {
  // 7,500 Erlangs on 5,000 agents with 10-minute patience: about 5,000
  // callers wait, the chain's weights reach 1e1000 relative to state N.
  const double aht = 300;
  const auto m = wfm::erlang_a(7500.0 / aht, aht, 5000, 600, 20);
  ASSERT_TRUE(std::isfinite(m.p_wait) && std::isfinite(m.asa) && std::isfinite(m.service_level));
  EXPECT_NEAR(m.p_abandon, 1.0 / 3.0, 1e-3);  // the excess third hangs up
  EXPECT_NEAR(m.occupancy, 1, 1e-9);
  EXPECT_NEAR(m.p_wait, 1, 1e-9);
  // One agent and 3,000 Erlangs of very patient callers.
  const auto one = wfm::erlang_a(3000.0 / aht, aht, 1, 3600, 20);
  EXPECT_NEAR(one.p_abandon, 1 - 1.0 / 3000, 1e-6);
  EXPECT_TRUE(std::isfinite(one.asa) && one.asa > 0);
  // The most extreme corner of the range: 15,000 Erlangs, 20,000 agents or 1.
  const auto light = wfm::erlang_a(15000.0 / aht, aht, 20000, 200, 20);
  EXPECT_TRUE(std::isfinite(light.asa) && light.service_level > 0.999999);
  const auto heavy = wfm::erlang_a(15000.0 / aht, aht, 1, 200, 20);
  EXPECT_TRUE(std::isfinite(heavy.asa) && heavy.p_abandon > 0.9999);
  // Patience so long that the queue would hold 1e10 callers is refused.
  EXPECT_THROW(wfm::erlang_a(0.1, 240, 20, 1e12, 20), std::domain_error);
}

TEST(ErlangA, MonotoneInAgents) {
  for (double patience : {30.0, 300.0}) {
    const double aht = 240, rate = 50.0 / aht;  // 50 Erlangs
    wfm::QueueMetrics previous = wfm::erlang_a(rate, aht, 1, patience, 20);
    for (int n = 2; n <= 120; ++n) {
      const auto m = wfm::erlang_a(rate, aht, n, patience, 20);
      // Up to rounding once the metric has reached its limit (SL 1, ASA 0).
      EXPECT_GE(m.service_level, previous.service_level - 1e-15) << n;
      EXPECT_LE(m.p_abandon, previous.p_abandon * (1 + 1e-12)) << n;
      EXPECT_LE(m.asa, previous.asa * (1 + 1e-12)) << n;
      EXPECT_LE(m.p_wait, previous.p_wait * (1 + 1e-12)) << n;
      previous = m;
    }
  }
}

TEST(ErlangA, ServiceLevelLimits) {
  // T = 0: answered within 0 s means answered at once; T = infinity: answered at all.
  for (double load : {0.5, 1.0, 1.5}) {
    const double aht = 240, rate = load * 30 / aht;
    const auto now = wfm::erlang_a(rate, aht, 30, 90, 0);
    EXPECT_NEAR(now.service_level, 1 - now.p_wait, 1e-15) << load;
    const auto ever = wfm::erlang_a(rate, aht, 30, 90, INFINITY);
    EXPECT_NEAR(ever.service_level, 1 - ever.p_abandon, 1e-15) << load;
    const auto c = wfm::erlang_c(0.5 * 30 / aht, aht, 30, INFINITY);
    EXPECT_EQ(c.service_level, 1);
  }
}

TEST(ErlangA, InvalidInputThrows) {
  EXPECT_THROW(wfm::erlang_a(0.1, 240, 20, 0, 20), std::domain_error);
  EXPECT_THROW(wfm::erlang_a(0.1, 240, 0, 60, 20), std::domain_error);
  EXPECT_THROW(wfm::erlang_a(-0.1, 240, 3, 60, 20), std::domain_error);
  EXPECT_THROW(wfm::erlang_a(0.1, 240, 3, 60, -1), std::domain_error);
  const auto none = wfm::erlang_a(0, 240, 3, 60, 20);
  EXPECT_EQ(none.p_wait, 0);
  EXPECT_EQ(none.service_level, 1);
}

TEST(ErlangCli, JsonHasExactlyTheDocumentedKeys) {
  const auto c = test::run_cli("erlang c --arrival-rate 360 --aht 240 --agents 27 --answer-within 20 --json");
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const auto jc = nlohmann::json::parse(c.out);
  EXPECT_EQ(jc.size(), 4u);
  for (const char* k : {"p_wait", "service_level", "asa_seconds", "occupancy"}) EXPECT_TRUE(jc[k].is_number()) << k;
  const auto exact = wfm::erlang_c(0.1, 240, 27, 20);
  EXPECT_DOUBLE_EQ(jc["p_wait"].get<double>(), exact.p_wait);
  EXPECT_DOUBLE_EQ(jc["service_level"].get<double>(), exact.service_level);
  EXPECT_NEAR(jc["p_wait"].get<double>(), 0.449763, 1e-6);  // scenarios/erlang-c.yaml
  const auto a = test::run_cli("erlang a --arrival-rate 360 --aht 240 --agents 27 --answer-within 20 --patience 120 --json");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto ja = nlohmann::json::parse(a.out);
  EXPECT_EQ(ja.size(), 5u);
  for (const char* k : {"p_wait", "service_level", "asa_seconds", "occupancy", "p_abandon"}) EXPECT_TRUE(ja[k].is_number()) << k;
  EXPECT_DOUBLE_EQ(ja["p_abandon"].get<double>(), wfm::erlang_a(0.1, 240, 27, 120, 20).p_abandon);
  const auto b = test::run_cli("erlang b --traffic 10 --lines 15 --json");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto jb = nlohmann::json::parse(b.out);
  EXPECT_EQ(jb.size(), 1u);
  EXPECT_NEAR(jb["blocking"].get<double>(), 0.0365, 5e-5);
}

TEST(ErlangCli, TextIsOneKeyValuePerLine) {
  const auto b = test::run_cli("erlang b --traffic 10 --lines 15");
  EXPECT_EQ(b.exit_code, 0);
  EXPECT_EQ(b.out, "blocking 0.0364969454724\n");
  const auto c = test::run_cli("erlang c --arrival-rate 360 --aht 240 --agents 27 --answer-within 20");
  EXPECT_EQ(c.exit_code, 0);
  EXPECT_EQ(c.out.rfind("p_wait 0.44976329767", 0), 0u) << c.out;
  for (const char* k : {"p_wait ", "service_level ", "asa_seconds ", "occupancy "})
    EXPECT_NE(("\n" + c.out).find(std::string("\n") + k), std::string::npos) << k;
  EXPECT_EQ(std::count(c.out.begin(), c.out.end(), '\n'), 4);
  const auto a = test::run_cli("erlang a --arrival-rate 360 --aht 240 --agents 27 --answer-within 20 --patience 120");
  EXPECT_EQ(a.exit_code, 0);
  EXPECT_NE(a.out.find("\np_abandon "), std::string::npos) << a.out;
  // Overloaded Erlang A is fine: abandonment keeps it stable.
  const auto over = test::run_cli("erlang a --arrival-rate 90000 --aht 300 --agents 5000 --answer-within 20 --patience 600 --json");
  ASSERT_EQ(over.exit_code, 0) << over.err;
  EXPECT_NEAR(nlohmann::json::parse(over.out)["p_abandon"].get<double>(), 1.0 / 3.0, 1e-3);
}

TEST(ErlangCli, BadFlagsExitTwo) {
  struct Case {
    std::string args, message;
  };
  const std::string c_ok = "--aht 240 --agents 27 --answer-within 20";
  for (const Case& c : {
           Case{"c --arrival-rate -5 " + c_ok, "--arrival-rate"},
           Case{"c --arrival-rate abc " + c_ok, "arrival-rate"},
           Case{"c --arrival-rate nan " + c_ok, "--arrival-rate"},
           Case{"c " + c_ok, "--arrival-rate"},
           Case{"c --arrival-rate 360 --aht 0 --agents 27 --answer-within 20", "--aht"},
           Case{"c --arrival-rate 360 --aht -1 --agents 27 --answer-within 20", "--aht"},
           Case{"c --arrival-rate 360 --agents 27 --answer-within 20", "--aht"},
           Case{"c --arrival-rate 360 --aht 240 --agents 0 --answer-within 20", "--agents"},
           Case{"c --arrival-rate 360 --aht 240 --agents -3 --answer-within 20", "--agents"},
           Case{"c --arrival-rate 360 --aht 240 --agents 2.5 --answer-within 20", "agents"},
           Case{"c --arrival-rate 360 --aht 240 --answer-within 20", "--agents"},
           Case{"c --arrival-rate 360 --aht 240 --agents 27 --answer-within -1", "--answer-within"},
           Case{"c --arrival-rate 360 --aht 240 --agents 27", "--answer-within"},
           Case{"c --arrival-rate 360 --aht 240 --agents 24 --answer-within 20", "unstable"},
           Case{"c --arrival-rate 360 --aht 240 --agents 20 --answer-within 20", "p_wait = 1"},
           Case{"c --arrival-rate 360 " + c_ok + " --patience 60", "--patience"},
           Case{"a --arrival-rate 360 " + c_ok, "--patience"},
           Case{"a --arrival-rate 360 " + c_ok + " --patience 0", "--patience"},
           Case{"a --arrival-rate 360 " + c_ok + " --patience -5", "--patience"},
           Case{"a --arrival-rate 360 --aht 240 --agents 20 --answer-within 20 --patience 1e12", "too many states"},
           Case{"b --traffic 10", "--lines"},
           Case{"b --lines 15", "--traffic"},
           Case{"b --traffic -1 --lines 15", "--traffic"},
           Case{"b --traffic 10 --lines 0", "--lines"},
           Case{"b --traffic 10 --lines 15 --agents 3", "--agents"},
           Case{"z", "model"},
           Case{"", "model"},
           Case{"c --arrival-rate 360 " + c_ok + " --bogus", "bogus"},
       }) {
    const auto r = test::run_cli("erlang " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args << ": " << r.out;
  }
}
