// The scenario's back_office section (docs/scenario.md): workers per agent
// group as a number, one per interval, or shifts; and each mistake in it
// reported with its line, field and what was expected.
#include <gtest/gtest.h>

#include <string>

#include "core/input_error.hpp"
#include "io/scenario_loader.hpp"

using namespace switchboard;

namespace {

std::string scenario_with(const std::string& back_office, const std::string& senior = "") {
  return "name: bo\n"
         "horizon: {length: 4h, interval: 1h}\n"
         "skills: [s]\n"
         "agent_groups:\n"
         "  - {name: front, skills: [s], agents: 1}\n"
         "  - {name: back, skills: [s], agents: 1}\n"
         "  - {name: seniors, skills: [s], agents: 1}\n"
         "queues: [{name: q, skill: s}]\n"
         "tickets:\n"
         "  - {name: repair, group: back, work_time: 1h" + senior + "}\n"
         "back_office:\n" + back_office +
         "call_types:\n"
         "  - {name: c, arrivals: {process: poisson, rate: 1}, handle_time: 1m, entry: {queue: q}}\n";
}

Scenario parse(const std::string& text) { return parse_scenario(text, "bo.yaml", "."); }

// The single problem `text` has, formatted.
std::string problem_of(const std::string& text) {
  try {
    parse(text);
  } catch (const InputError& e) {
    EXPECT_EQ(e.problems().size(), 1u) << e.what();
    return e.problems().at(0).format();
  }
  ADD_FAILURE() << "expected a problem";
  return "";
}

}  // namespace

TEST(BackOfficeScenario, WorkersAsANumberPerIntervalOrShifts) {
  const Scenario a = parse(scenario_with("  - {group: back, workers: 2}\n"));
  ASSERT_EQ(a.back_office.size(), 1u);
  EXPECT_EQ(a.back_office[0].group, 1);
  EXPECT_EQ(a.back_office[0].staffed_at(3), 2);
  const Scenario b = parse(scenario_with("  - {group: back, workers: [1, 2, 3, 4]}\n"));
  EXPECT_EQ(b.back_office[0].staffed_at(0), 1);
  EXPECT_EQ(b.back_office[0].staffed_at(3), 4);
  // Shifts are summed at each interval's start: 0-3 h two workers, 1-4 h one more.
  const Scenario c = parse(scenario_with("  - group: back\n    shifts:\n      - {start: 0h, end: 3h, workers: 2}\n"
                                         "      - {start: 1h, end: 4h, workers: 1}\n"));
  EXPECT_EQ(c.back_office[0].staffing, (std::vector<int>{2, 3, 3, 1}));
  // Without a back_office section tickets stay a plain delay.
  EXPECT_TRUE(parse(scenario_with("  - {group: back, workers: 1}\n")).back_office.size() == 1u);
}

TEST(BackOfficeScenario, MistakesAreNamedWithTheirField) {
  EXPECT_EQ(problem_of(scenario_with("  - {group: nobody, workers: 2}\n")),
            "bo.yaml:12:13: back_office[0].group: unknown agent group 'nobody' (known: front, back, seniors)");
  EXPECT_EQ(problem_of(scenario_with("  - {group: back}\n")),
            "bo.yaml:12:5: back_office[0]: expected either workers (a number, or one per interval) or shifts");
  EXPECT_EQ(problem_of(scenario_with("  - {group: back, workers: 1.5}\n")),
            "bo.yaml:12:28: back_office[0].workers: expected whole numbers of workers");
  EXPECT_EQ(problem_of(scenario_with("  - {group: back, workers: 1}\n  - {group: back, workers: 2}\n")),
            "bo.yaml:13:13: back_office[1].group: group 'back' already has a back office");
  EXPECT_EQ(problem_of(scenario_with("  - group: back\n    shifts: [{start: 2h, end: 1h, workers: 1}]\n")),
            "bo.yaml:13:31: back_office[0].shifts[0].end: expected a time after the shift's start");
  // A group tickets can reach (here the senior group) without workers.
  EXPECT_EQ(problem_of(scenario_with("  - {group: back, workers: 1}\n", ", senior_group: seniors")),
            "bo.yaml:12:3: back_office: expected a back office for agent group 'seniors' (tickets of category 'repair' go to it)");
}
