// `--assert` expressions: what parses, what is refused (and how the message
// says so), and how a verdict reads.
#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "io/scenario_loader.hpp"
#include "loadgen/assertions.hpp"

namespace switchboard::loadgen {
namespace {

Scenario two_queues() {
  return parse_scenario(R"(
name: two
horizon: {length: 1h}
skills: [billing, tech]
agent_groups:
  - {name: team, skills: [billing, tech], agents: 2}
queues:
  - {name: billing, skill: billing}
  - {name: tech, skill: tech}
call_types:
  - {name: calls, arrivals: {process: poisson, rate: 10}, handle_time: {dist: constant, value: 60s}, entry: {queue: billing}}
)",
                        "two.yaml", ".");
}

TEST(Assertions, ParseTheIssuesExamples) {
  const Scenario s = two_queues();
  Assertion a = parse_assertion("failed_calls==0", s);
  EXPECT_EQ(a.metric, "failed_calls");
  EXPECT_EQ(a.op, Comparison::equal);
  EXPECT_EQ(a.threshold, 0);
  a = parse_assertion("invite_p99_ms<50", s);
  EXPECT_EQ(a.metric, "invite_p99_ms");
  EXPECT_EQ(a.op, Comparison::less);
  EXPECT_EQ(a.threshold, 50);
  a = parse_assertion(" sl >= 0.8 ", s);
  EXPECT_EQ(a.op, Comparison::greater_equal);
  EXPECT_DOUBLE_EQ(a.threshold, 0.8);
  a = parse_assertion("abandon_rate<0.05", s);
  EXPECT_EQ(a.metric, "abandon_rate");
  a = parse_assertion("sl{queue=billing}>=0.9", s);
  EXPECT_EQ(a.queue, "billing");
  a = parse_assertion("asa{queue=\"tech\"}<=30", s);
  EXPECT_EQ(a.queue, "tech");
  EXPECT_EQ(a.op, Comparison::less_equal);
  EXPECT_EQ(parse_assertion("handled!=0", s).op, Comparison::not_equal);
  EXPECT_EQ(parse_assertion("handled>1e2", s).threshold, 100);
}

TEST(Assertions, BadExpressionsSayWhatWasExpected) {
  const Scenario s = two_queues();
  const std::pair<const char*, const char*> cases[] = {
      {"latency<50", "expected a metric"},
      {"sl=>0.8", "expected an operator"},
      {"sl>=", "expected a number"},
      {"sl>=0.8x", "expected a number"},
      {"sl{queue=sales}>=0.8", "a queue of the scenario (billing, tech)"},
      {"sl{group=team}>=0.8", "the label queue=NAME"},
      {"sl{queue=billing>=0.8", "'}'"},
      {"failed_calls{queue=billing}==0", "no {queue=...} on failed_calls"},
      {"", "expected a metric"},
  };
  for (const auto& [text, expected] : cases) {
    try {
      parse_assertion(text, s);
      ADD_FAILURE() << "'" << text << "' was accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.problems().front().field, "--assert");
      EXPECT_NE(e.problems().front().message.find(expected), std::string::npos)
          << text << ": " << e.problems().front().message;
    }
  }
}

TEST(Assertions, VerdictsSayWhichAndByHowMuch) {
  const Scenario s = two_queues();
  auto measured = [](double value) {
    return [value](const std::string&, const std::string&) { return std::optional<double>(value); };
  };
  Verdict v = check(parse_assertion("sl{queue=billing}>=0.9", s), measured(0.85));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, "sl{queue=billing}>=0.9: missed: measured 0.85, 0.05 below the threshold >= 0.9");
  v = check(parse_assertion("invite_p99_ms<50", s), measured(62));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, "invite_p99_ms<50: missed: measured 62, 12 above the threshold < 50");
  EXPECT_FALSE(check(parse_assertion("invite_p99_ms<50", s), measured(50)).passed);
  EXPECT_TRUE(check(parse_assertion("invite_p99_ms<=50", s), measured(50)).passed);
  EXPECT_TRUE(check(parse_assertion("failed_calls==0", s), measured(0)).passed);
  EXPECT_FALSE(check(parse_assertion("failed_calls==0", s), measured(3)).passed);
  EXPECT_TRUE(check(parse_assertion("handled!=0", s), measured(3)).passed);
  v = check(parse_assertion("sl>=0.8", s), [](const std::string&, const std::string&) { return std::optional<double>(); });
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.message, "sl>=0.8: not measured by this run");
}

}  // namespace
}  // namespace switchboard::loadgen
