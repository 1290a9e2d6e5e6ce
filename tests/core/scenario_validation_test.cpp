// validate() on Scenario values: a scenario built in code is checked like a
// file, each problem naming its field; the same mistake in a file names the
// file, line and field.
#include <gtest/gtest.h>

#include <string>

#include "core/input_error.hpp"
#include "core/scenario_validation.hpp"
#include "io/scenario_loader.hpp"
#include "support/scenarios.hpp"
#include "support/test_support.hpp"

using namespace switchboard;

namespace {

std::string listing(const std::vector<Problem>& ps) {
  std::string all;
  for (const auto& p : ps) all += "\n  " + p.format();
  return all;
}

// The one problem of `ps`, which must name `field` and say `words`.
void expect_only(const std::vector<Problem>& ps, const std::string& field, const std::string& words) {
  ASSERT_EQ(ps.size(), 1u) << listing(ps);
  EXPECT_EQ(ps[0].field, field) << listing(ps);
  EXPECT_NE(ps[0].message.find(words), std::string::npos) << listing(ps);
}

std::vector<Problem> file_problems(const std::string& text) {
  try {
    parse_scenario(text, "s.yaml", ".");
  } catch (const InputError& e) {
    return e.problems();
  }
  return {};
}

Scenario base() { return test::mmc(100, 180, 6, 120, 2); }

// The same call center as base(), as a file; line 7 is the call type.
const char* kFile = R"(name: mmc
horizon: {length: 2h}
skills: [s]
agent_groups: [{name: g, skills: [s], agents: 6}]
queues: [{name: q, skill: s}]
call_types:
  - {name: c, arrivals: {process: poisson, rate: 100}, handle_time: 3m, entry: {queue: q}, %s}
)";

std::string file_with(const std::string& extra) {
  std::string text = kFile;
  text.replace(text.find("%s"), 2, extra);
  return text;
}

}  // namespace

TEST(ScenarioValidation, AScenarioBuiltInCodeIsSound) {
  EXPECT_TRUE(validate(base()).empty()) << listing(validate(base()));
  EXPECT_TRUE(file_problems(file_with("patience: 2m")).empty()) << listing(file_problems(file_with("patience: 2m")));
}

TEST(ScenarioValidation, ABadFieldInCodeIsNamed) {
  {
    Scenario s = base();
    s.queues[0].skill = 3;  // the scenario has one skill
    expect_only(validate(s), "queues[0].skill", "index 3, but it has 1");
  }
  {
    Scenario s = base();
    s.call_types[0].callback_accept = 1.5;
    expect_only(validate(s), "call_types[0].callback_accept", "a probability from 0 to 1");
  }
  {
    Scenario s = base();
    s.call_types[0].entry_queue = kNone;
    expect_only(validate(s), "call_types[0].entry", "exactly one of");
  }
  {
    Scenario s = base();
    s.groups[0].staffing = {6, 6, 6};  // two hours of 15-minute intervals: 8 values, or one
    expect_only(validate(s), "agent_groups[0].agents", "one per horizon interval: 8, got 3");
  }
  {
    Scenario s = base();
    s.horizon.interval = 0;
    EXPECT_EQ(validate(s).at(0).field, "horizon.interval") << listing(validate(s));
  }
  {
    // More reporting intervals than the KPI tables may take: refused
    // before any table is made (100000000 hours of hours took 7 GB).
    Scenario s = base();
    s.horizon.length = 100000000.0 * 3600;
    s.horizon.interval = 3600;
    expect_only(validate(s), "horizon.interval", "at most 200000 reporting intervals over horizon.length (each keeps its own KPI tables), got 100000000");
    s.horizon.length = 200000.0 * 3600;  // a year of 5-minute intervals and more: still fine
    EXPECT_TRUE(validate(s).empty()) << listing(validate(s));
    // In a file, refused before anything is laid out per interval (a back
    // office's shifts were, 7.8 GB for 1000000000 hours), and the count
    // never overflows int.
    std::string text = test::read_file(test::source_dir() / "scenarios/repair-desk.yaml");
    text.replace(text.find("length: 8h"), 10, "length: 1e300h");
    const auto ps = file_problems(text);
    ASSERT_EQ(ps.size(), 1u) << listing(ps);
    EXPECT_EQ(ps[0].field, "horizon.interval");
    EXPECT_NE(ps[0].message.find("got 1000000000000000000"), std::string::npos) << listing(ps);
  }
  {
    Scenario s = base();
    s.groups[0].staffing = {kMaxAgentsInGroup + 1};
    expect_only(validate(s), "agent_groups[0].agents", "from 0 to 1000000");
    // In a file, a count past int (1e12 once wrapped to a negative number).
    std::string text = file_with("patience: 2m");
    text.replace(text.find("agents: 6"), 9, "agents: 1000000000000");
    const auto ps = file_problems(text);
    ASSERT_EQ(ps.size(), 1u) << listing(ps);
    EXPECT_EQ(ps[0].format(), "s.yaml:4:47: agent_groups[0].agents: expected at most 1000000 agents in a group");
  }
  {
    Scenario s = base();
    s.groups[0].no_answer_probability = -0.1;
    expect_only(validate(s), "agent_groups[0].no_answer_probability", "a probability from 0 to 1");
  }
  {
    Scenario s = base();
    s.call_types[0].handle_time = Distribution{};
    expect_only(validate(s), "call_types[0].handle_time", "not none");
  }
}

// Problems built in code carry no file or line: nobody knows them.
TEST(ScenarioValidation, CodeProblemsHaveNoFileOrLine) {
  Scenario s = base();
  s.queues[0].skill = 3;
  const auto ps = validate(s);
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].format(), "queues[0].skill: expected a skill of the scenario: index 3, but it has 1");
}

// The cross-section checks too: a queue whose skill no group has.
TEST(ScenarioValidation, TheSameMistakeInCodeAndInAFile) {
  Scenario s = base();
  s.skills.push_back("other");
  s.queues[0].skill = 1;
  expect_only(validate(s), "queues[0].skill", "no agent group has skill 'other'");

  std::string text = file_with("patience: 2m");
  text.replace(text.find("skills: [s]"), 11, "skills: [s, other]");
  text.replace(text.find("skill: s}"), 9, "skill: other}");
  const auto ps = file_problems(text);
  expect_only(ps, "queues[0].skill", "no agent group has skill 'other'");
  EXPECT_EQ(ps[0].file, "s.yaml");
  EXPECT_EQ(ps[0].line, 5);
  EXPECT_EQ(ps[0].column, 27);  // the value of `skill`
}

// A field mistake the loader sees as it reads is reported once, with the
// loader's words and the file's line; validate() alone names the same field.
TEST(ScenarioValidation, AFieldMistakeInAFileIsReportedOnceWithItsLine) {
  const auto ps = file_problems(file_with("callback_accept: 1.5"));
  expect_only(ps, "call_types[0].callback_accept", "expected a number from 0 to 1, got 1.5");
  EXPECT_EQ(ps[0].file, "s.yaml");
  EXPECT_EQ(ps[0].line, 7);

  Scenario s = base();
  s.call_types[0].callback_accept = 1.5;
  expect_only(validate(s), "call_types[0].callback_accept", "a probability from 0 to 1");
}

// References out of range (only code can make them) are named, and the
// cross-section checks, which follow references, are not run on them.
TEST(ScenarioValidation, EveryReferenceIsChecked) {
  Scenario s = base();
  s.call_types[0].priority = 2;
  s.groups[0].skills[0].skill = 7;
  s.call_types[0].entry_queue = 4;
  const auto ps = validate(s);
  ASSERT_EQ(ps.size(), 3u) << listing(ps);
  EXPECT_EQ(ps[0].field, "agent_groups[0].skills[0]");
  EXPECT_EQ(ps[1].field, "call_types[0].entry.queue");
  EXPECT_EQ(ps[2].field, "call_types[0].priority");
}

// The core keeps an agent's group, call type and queue in 16 bits: one more
// of each than it can hold is the scenario's problem, named at its list;
// the limit itself is accepted.
TEST(ScenarioValidation, GroupsCallTypesAndQueuesAreBounded) {
  {
    Scenario s = base();
    s.groups.resize(kMaxAgentGroups, s.groups[0]);
    EXPECT_TRUE(validate(s).empty()) << listing(validate(s));
    s.groups.push_back(s.groups[0]);
    expect_only(validate(s), "agent_groups", "expected at most 65535 agent groups, got 65536");
  }
  {
    Scenario s = base();
    s.call_types.resize(kMaxCallTypes, s.call_types[0]);
    EXPECT_TRUE(validate(s).empty()) << listing(validate(s));
    s.call_types.push_back(s.call_types[0]);
    expect_only(validate(s), "call_types", "expected at most 32767 call types, got 32768");
  }
  {
    Scenario s = base();
    s.queues.resize(kMaxQueues, s.queues[0]);
    EXPECT_TRUE(validate(s).empty()) << listing(validate(s));
    s.queues.push_back(s.queues[0]);
    expect_only(validate(s), "queues", "expected at most 32767 queues, got 32768");
  }
}
