// Erlang B, C and A against exact values: rational cases worked by hand,
// published table values, and an independent computation in 128-bit
// floating point (different arithmetic, different formulation).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

#include "support/test_support.hpp"
#include "wfm/erlang.hpp"

using namespace switchboard;

namespace {

using Quad = __float128;

Quad erlang_b_quad(Quad traffic, int lines) {
  Quad b = 1;
  for (int n = 1; n <= lines; ++n) b = traffic * b / (n + traffic * b);
  return b;
}

// Relative error, except where the exact value is below the smallest normal
// double (light loads on thousands of lines): a double cannot hold those, and
// the absolute error is what is left to check.
double relative_error(double value, Quad exact) {
  if (exact < static_cast<Quad>(1e-300)) return value < 1e-300 ? 0.0 : 1.0;
  const Quad diff = static_cast<Quad>(value) - exact;
  const Quad abs_diff = diff < 0 ? -diff : diff;
  const Quad scale = exact < 0 ? -exact : exact;
  return static_cast<double>(scale > 0 ? abs_diff / scale : abs_diff);
}

// Erlang A's stationary distribution summed from state 0 in 128-bit
// arithmetic, with running rescaling instead of Erlang B: p_wait, p_abandon.
struct QuadA {
  double p_wait, p_abandon;
};
QuadA erlang_a_quad(double rate, double aht, int agents, double patience) {
  const Quad mu = 1 / static_cast<Quad>(aht), theta = 1 / static_cast<Quad>(patience), lambda = rate;
  std::vector<Quad> pi{1};
  for (int n = 1;; ++n) {
    const Quad death = n <= agents ? n * mu : agents * mu + (n - agents) * theta;
    pi.push_back(pi.back() * lambda / death);
    if (n > agents && death > lambda && pi.back() < static_cast<Quad>(1e-40) * pi[agents]) break;
    if (pi.back() > static_cast<Quad>(1e300)) for (auto& p : pi) p *= static_cast<Quad>(1e-300);  // stay in range
  }
  Quad total = 0, waiting = 0, abandon_rate = 0;
  for (std::size_t n = 0; n < pi.size(); ++n) {
    total += pi[n];
    if (static_cast<int>(n) >= agents) waiting += pi[n];
    if (static_cast<int>(n) > agents) abandon_rate += (static_cast<int>(n) - agents) * theta * pi[n];
  }
  return {static_cast<double>(waiting / total), static_cast<double>(abandon_rate / total / lambda)};
}

}  // namespace

TEST(ErlangB, RationalAndPublishedValues) {
  EXPECT_DOUBLE_EQ(wfm::erlang_b(2, 3), 4.0 / 19.0);     // (8/6) / (1 + 2 + 2 + 8/6)
  EXPECT_DOUBLE_EQ(wfm::erlang_b(1, 1), 0.5);
  EXPECT_EQ(wfm::erlang_b(5, 0), 1.0);
  // Erlang B table (e.g. Cooper, Introduction to Queueing Theory, table of B(N, E)).
  EXPECT_NEAR(wfm::erlang_b(10, 15), 0.03650, 5e-6);
  EXPECT_NEAR(wfm::erlang_b(5, 10), 0.01838, 5e-6);
  EXPECT_NEAR(wfm::erlang_b(20, 30), 0.0085, 5e-5);  // 1% blocking needs 20.34 E on 30 lines
}

TEST(ErlangB, MatchesQuadPrecisionUpTo20000LinesAnd15000Erlangs) {
  for (int lines : {1, 2, 5, 10, 100, 1000, 5000, 20000}) {
    for (double share : {0.1, 0.5, 0.9, 0.99, 1.0, 1.2, 3.0}) {
      const double traffic = std::min(15000.0, share * lines);
      const double b = wfm::erlang_b(traffic, lines);
      ASSERT_TRUE(std::isfinite(b));
      EXPECT_LE(relative_error(b, erlang_b_quad(traffic, lines)), 1e-9) << "E=" << traffic << " N=" << lines;
    }
  }
}

TEST(ErlangC, RationalCaseAndQuadPrecisionGrid) {
  // A = 2, N = 3: P(wait) = 4/9, ASA = P(wait) * AHT / (N - A).
  const auto m = wfm::erlang_c(2.0 / 100, 100, 3, 0);
  EXPECT_NEAR(m.p_wait, 4.0 / 9.0, 1e-15);
  EXPECT_NEAR(m.asa, 4.0 / 9.0 * 100, 1e-12);
  EXPECT_NEAR(m.service_level, 1 - 4.0 / 9.0, 1e-15);  // T = 0: answered at once
  for (int agents : {1, 2, 5, 10, 100, 1000, 5000, 20000}) {
    for (double load : {0.1, 0.5, 0.9, 0.99}) {
      const double a = std::min(15000.0, load * agents);
      const double aht = 180;
      const auto c = wfm::erlang_c(a / aht, aht, agents, 20);
      const Quad b = erlang_b_quad(a, agents);
      const Quad p_wait = agents * b / (agents - a * (1 - b));
      EXPECT_LE(relative_error(c.p_wait, p_wait), 1e-9) << agents << " " << load;
      EXPECT_LE(relative_error(c.asa, p_wait * aht / (agents - a)), 1e-9) << agents << " " << load;
      EXPECT_TRUE(std::isfinite(c.service_level));
    }
  }
  EXPECT_THROW(wfm::erlang_c(1, 10, 10, 20), std::domain_error);  // load = agents: unstable
}

TEST(ErlangA, MatchesAnIndependentChainSolution) {
  for (int agents : {1, 3, 10, 50, 200, 1000}) {
    for (double load : {0.5, 0.95, 1.3}) {
      for (double patience : {60.0, 300.0, 1800.0}) {
        const double aht = 240, rate = load * agents / aht;
        const auto a = wfm::erlang_a(rate, aht, agents, patience, 20);
        const QuadA q = erlang_a_quad(rate, aht, agents, patience);
        EXPECT_LE(relative_error(a.p_wait, q.p_wait), 1e-9) << agents << " " << load << " " << patience;
        EXPECT_LE(relative_error(a.p_abandon, q.p_abandon), 1e-9) << agents << " " << load << " " << patience;
      }
    }
  }
}

TEST(ErlangA, ServiceLevelMatchesNumericalIntegration) {
  // Independent of the incomplete beta: integrate the answered-within-T
  // probability e^{-theta v} f_{V_j}(v) over [0, T] with Simpson's rule.
  const double aht = 200, patience = 150, within = 30;
  const int agents = 4;
  const double rate = 1.1 * agents / aht;
  const double n_mu = agents / aht, theta = 1 / patience;
  const auto a = wfm::erlang_a(rate, aht, agents, patience, within);
  // Arrival-state probabilities from the chain.
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

TEST(ErlangA, StableAtTwentyThousandAgents) {
  const auto a = wfm::erlang_a(15000.0 / 300, 300, 20000, 200, 20);
  EXPECT_TRUE(std::isfinite(a.service_level) && std::isfinite(a.asa) && std::isfinite(a.p_abandon));
  EXPECT_GT(a.service_level, 0.999);
  const auto over = wfm::erlang_a(15000.0 / 300, 300, 14000, 200, 20);
  EXPECT_NEAR(over.p_abandon, 1 - 14000.0 / 15000.0, 0.01);  // overloaded: about the excess abandons
}

TEST(ErlangCli, JsonHasExactlyTheDocumentedKeys) {
  const auto c = test::run_cli("erlang c --arrival-rate 360 --aht 240 --agents 27 --answer-within 20 --json");
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const auto jc = nlohmann::json::parse(c.out);
  EXPECT_EQ(jc.size(), 4u);
  for (const char* k : {"p_wait", "service_level", "asa_seconds", "occupancy"}) EXPECT_TRUE(jc[k].is_number()) << k;
  EXPECT_NEAR(jc["p_wait"].get<double>(), 0.449763, 1e-6);
  const auto a = test::run_cli("erlang a --arrival-rate 360 --aht 240 --agents 27 --answer-within 20 --patience 120 --json");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto ja = nlohmann::json::parse(a.out);
  EXPECT_EQ(ja.size(), 5u);
  EXPECT_TRUE(ja["p_abandon"].is_number());
  const auto b = test::run_cli("erlang b --traffic 10 --lines 15");
  EXPECT_EQ(b.exit_code, 0);
  EXPECT_EQ(b.out.rfind("blocking 0.0364969", 0), 0u) << b.out;
}

TEST(ErlangCli, BadFlagsExitTwo) {
  struct Case {
    std::string args, flag;
  };
  for (const Case& c : {Case{"c --arrival-rate -5 --aht 240 --agents 27 --answer-within 20", "--arrival-rate"},
                        Case{"c --arrival-rate 360 --aht 0 --agents 27 --answer-within 20", "--aht"},
                        Case{"c --arrival-rate 360 --aht 240 --agents 0 --answer-within 20", "--agents"},
                        Case{"c --arrival-rate 360 --aht 240 --agents 20 --answer-within 20", "more agents than the offered load"},
                        Case{"c --arrival-rate abc --aht 240 --agents 27 --answer-within 20", "arrival-rate"},
                        Case{"c --aht 240 --agents 27 --answer-within 20", "--arrival-rate"},
                        Case{"a --arrival-rate 360 --aht 240 --agents 27 --answer-within 20", "--patience"},
                        Case{"b --traffic 10", "--lines"}, Case{"z", "model"}}) {
    const auto r = test::run_cli("erlang " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.flag), std::string::npos) << c.args << ": " << r.err;
  }
}
