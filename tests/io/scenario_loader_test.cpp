// The scenario loader: every field mapped, defaults, and each mistake a user
// can make reported with its file, line, column and field — all at once.
#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "io/scenario_loader.hpp"
#include "support/test_support.hpp"

using namespace switchboard;
using test::TempDir;
using test::write_file;

namespace {

const char* kMinimal = R"(name: minimal
horizon: {length: 2h}
skills: [general]
agent_groups:
  - {name: agents, skills: [general], agents: 5}
queues:
  - {name: main, skill: general}
call_types:
  - name: calls
    arrivals: {process: poisson, rate: 60}
    handle_time: {dist: exponential, mean: 4m}
    entry: {queue: main}
)";

Scenario parse(const std::string& text) { return parse_scenario(text, "test.yaml", "."); }

// The problems a text yields (empty when it loads).
std::vector<Problem> problems(const std::string& text) {
  try {
    parse(text);
  } catch (const InputError& e) {
    return e.problems();
  }
  return {};
}

// Replaces the first occurrence of `from` in the minimal scenario.
std::string minimal_with(const std::string& from, const std::string& to) {
  std::string s = kMinimal;
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

void expect_problem(const std::vector<Problem>& ps, int line, int column, const std::string& field,
                    const std::string& message_part) {
  for (const auto& p : ps)
    if (p.line == line && p.column == column && p.field == field && p.message.find(message_part) != std::string::npos)
      return;
  std::string all;
  for (const auto& p : ps) all += "\n  " + p.format();
  ADD_FAILURE() << "no problem at " << line << ":" << column << " " << field << " containing '" << message_part
                << "'; got:" << all;
}

}  // namespace

TEST(ScenarioLoader, MinimalScenarioGetsDefaults) {
  const Scenario s = parse(kMinimal);
  EXPECT_EQ(s.name, "minimal");
  EXPECT_EQ(s.horizon.length, 7200);
  EXPECT_EQ(s.horizon.interval, 900);
  EXPECT_EQ(s.horizon.intervals(), 8);
  EXPECT_EQ(s.targets.answer_within, 20);
  EXPECT_EQ(s.targets.short_abandon, 5);
  ASSERT_EQ(s.priorities.size(), 1u);
  EXPECT_EQ(s.priorities[0].name, "normal");
  EXPECT_EQ(s.groups[0].staffing, std::vector<int>{5});
  EXPECT_EQ(s.groups[0].skills[0].level, 1);
  EXPECT_EQ(s.queues[0].routing, RoutingPolicy::longest_idle);
  EXPECT_EQ(s.queues[0].max_length, -1);
  EXPECT_TRUE(s.queues[0].hours.always);
  EXPECT_EQ(s.call_types[0].arrivals.kind, ArrivalKind::poisson);
  EXPECT_EQ(s.call_types[0].arrivals.rate_per_hour, std::vector<double>{60});
  EXPECT_EQ(s.call_types[0].handle_time.kind, DistKind::exponential);
  EXPECT_EQ(s.call_types[0].handle_time.mean, 240);
  EXPECT_EQ(s.call_types[0].patience.kind, DistKind::none);
  EXPECT_EQ(s.call_types[0].entry_queue, 0);
}

TEST(ScenarioLoader, EveryExampleScenarioLoads) {
  for (const char* name : {"erlang-c.yaml", "bank-day.yaml", "promo-peak.yaml", "promo-peak-tuned.yaml", "multiskill-vip.yaml"}) {
    const Scenario s = load_scenario((test::source_dir() / "scenarios" / name).string());
    EXPECT_FALSE(s.name.empty()) << name;
  }
}

TEST(ScenarioLoader, FullScenarioMapsEveryField) {
  const Scenario s = load_scenario((test::source_dir() / "scenarios" / "multiskill-vip.yaml").string());
  EXPECT_EQ(s.horizon.start_clock, 8 * 3600);
  EXPECT_EQ(s.horizon.interval, 1800);
  EXPECT_EQ(s.targets.answer_within, 30);
  EXPECT_EQ(s.skills, (std::vector<std::string>{"billing", "tech", "cards"}));
  ASSERT_EQ(s.priorities.size(), 2u);
  EXPECT_EQ(s.priorities[1].head_start, 90);
  const AgentGroup& tech = s.groups[1];
  EXPECT_EQ(tech.skills.size(), 2u);
  EXPECT_EQ(tech.skills[1].skill, 0);
  EXPECT_EQ(tech.skills[1].level, 2);
  EXPECT_EQ(tech.wrap_up.mean, 45);
  EXPECT_EQ(s.groups[2].answer_delay.kind, DistKind::constant);
  const Queue& billing = s.queues[0];
  EXPECT_EQ(billing.routing, RoutingPolicy::best_skill);
  ASSERT_EQ(billing.overflow.size(), 1u);
  EXPECT_EQ(billing.overflow[0].after, 45);
  EXPECT_EQ(billing.overflow[0].add_skills, std::vector<int>{1});
  EXPECT_EQ(s.queues[2].max_length, 15);
  EXPECT_EQ(s.queues[2].when_full_queue, 0);
  EXPECT_EQ(s.queues[2].routing, RoutingPolicy::least_occupied);
  ASSERT_EQ(s.ivr.size(), 8u);
  EXPECT_EQ(s.ivr[1].kind, IvrKind::lookup);
  EXPECT_EQ(s.ivr[1].tagged_priority, 1);
  EXPECT_EQ(s.ivr[2].kind, IvrKind::menu);
  EXPECT_EQ(s.ivr[2].options.size(), 4u);
  EXPECT_EQ(s.ivr[2].options[3].digit, '4');
  EXPECT_EQ(s.ivr[2].options[3].next, 4);
  EXPECT_EQ(s.ivr[3].success_probability, 0.63);
  EXPECT_EQ(s.ticket_categories[0].sla, 4 * 3600);
  const CallType& service = s.call_types[1];
  EXPECT_EQ(service.arrivals.kind, ArrivalKind::poisson_gamma);
  EXPECT_EQ(service.arrivals.busyness_shape, 25);
  EXPECT_EQ(service.patience.kind, DistKind::weibull);
  EXPECT_EQ(service.patience.scale, 300);
  EXPECT_EQ(service.handle_time.kind, DistKind::gamma);
  EXPECT_EQ(service.entry_node, 0);
  ASSERT_EQ(service.tags.size(), 1u);
  EXPECT_EQ(service.tags[0].probability, 0.15);
  ASSERT_EQ(service.menus.size(), 1u);
  EXPECT_EQ(service.menus[0].choices.size(), 5u);
  EXPECT_EQ(service.dispositions[0].category, 1);
}

TEST(ScenarioLoader, DurationsAndClockTimes) {
  const Scenario s = parse(minimal_with("horizon: {length: 2h}", "horizon: {length: 90m, interval: 1800, start: \"07:30\", warmup: 1.5h}"));
  EXPECT_EQ(s.horizon.length, 5400);
  EXPECT_EQ(s.horizon.interval, 1800);
  EXPECT_EQ(s.horizon.start_clock, 7.5 * 3600);
  EXPECT_EQ(s.horizon.warmup, 5400);
  const Scenario ms = parse(minimal_with("mean: 4m", "mean: 250ms"));
  EXPECT_DOUBLE_EQ(ms.call_types[0].handle_time.mean, 0.25);
}

TEST(ScenarioLoader, YamlSyntaxErrorHasLineAndColumn) {
  const auto ps = problems("name: x\nskills: [a, b\nqueues: []\n");
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].file, "test.yaml");
  EXPECT_GT(ps[0].line, 1);
  EXPECT_GT(ps[0].column, 0);
  EXPECT_NE(ps[0].message.find("YAML syntax"), std::string::npos);
}

TEST(ScenarioLoader, UnknownNamesListTheKnownOnes) {
  const auto ps = problems(minimal_with("{name: main, skill: general}", "{name: main, skill: generla}"));
  expect_problem(ps, 7, 25, "queues[0].skill", "unknown skill 'generla' (known: general)");
}

TEST(ScenarioLoader, UnknownKeyIsATypo) {
  const auto ps = problems(minimal_with("{name: agents, skills: [general], agents: 5}", "{name: agents, skills: [general], agnets: 5}"));
  expect_problem(ps, 5, 39, "agent_groups[0].agnets", "unknown key 'agnets'");
  expect_problem(ps, 5, 5, "agent_groups[0].agents", "expected the number of agents");
}

TEST(ScenarioLoader, EmptyHorizonAndBadDurations) {
  expect_problem(problems(minimal_with("length: 2h", "length: 0")), 2, 19, "horizon.length", "expected a duration > 0");
  expect_problem(problems(minimal_with("mean: 4m", "mean: -4m")), 11, 44, "call_types[0].handle_time.mean", "expected a duration > 0");
  expect_problem(problems(minimal_with("mean: 4m", "mean: soon")), 11, 44, "call_types[0].handle_time.mean", "250ms, 20s");
}

TEST(ScenarioLoader, NegativeAndZeroRates) {
  expect_problem(problems(minimal_with("rate: 60", "rate: -5")), 10, 40, "call_types[0].arrivals.rate", "expected a number from 0 up");
  expect_problem(problems(minimal_with("rate: 60", "rate: 0")), 10, 40, "call_types[0].arrivals.rate", "above 0 in at least one interval");
}

TEST(ScenarioLoader, PerIntervalListsMustCoverTheHorizon) {
  expect_problem(problems(minimal_with("agents: 5}", "agents: [5, 6, 7]}")), 5, 47, "agent_groups[0].agents",
                 "one value per horizon interval: 8, got 3");
}

TEST(ScenarioLoader, AgentGroupWithoutSkills) {
  expect_problem(problems(minimal_with("skills: [general], agents", "skills: [], agents")), 5, 28, "agent_groups[0].skills",
                 "an agent group with no skills takes no call");
}

TEST(ScenarioLoader, ProbabilitiesMustSumToOne) {
  const std::string text = std::string(kMinimal) + R"(ivr:
  - {id: menu, type: menu, options: {"1": q}, on_fail: q}
  - {id: q, type: queue, queue: main}
)";
  std::string s = text;
  s.replace(s.find("entry: {queue: main}"), 20, "entry: {ivr: menu}\n    menus:\n      menu: {\"1\": 0.6, timeout: 0.3}");
  const auto ps = problems(s);
  expect_problem(ps, 14, 13, "call_types[0].menus.menu", "sum to 1, got 0.9");
  std::string ok = text;
  ok.replace(ok.find("entry: {queue: main}"), 20, "entry: {ivr: menu}\n    menus:\n      menu: {\"1\": 0.7, timeout: 0.2, invalid: 0.1}");
  EXPECT_TRUE(problems(ok).empty());
}

TEST(ScenarioLoader, IvrUnreachableNodesAndCyclesWithoutExit) {
  const std::string text = std::string(kMinimal).replace(std::string(kMinimal).find("entry: {queue: main}"), 20, "entry: {ivr: a}") +
                           R"(ivr:
  - {id: a, type: prompt, duration: 2s, next: b}
  - {id: b, type: prompt, duration: 2s, next: a}
  - {id: lonely, type: hangup}
)";
  const auto ps = problems(text);
  expect_problem(ps, 14, 5, "ivr[0]", "cycle with no exit");
  expect_problem(ps, 15, 5, "ivr[1]", "cycle with no exit");
  expect_problem(ps, 16, 5, "ivr[2]", "'lonely' is unreachable");
}

TEST(ScenarioLoader, QueueNobodyServes) {
  const std::string text = minimal_with("skills: [general]", "skills: [general, other]") ;
  std::string s = text;
  s.replace(s.find("{name: main, skill: general}"), 28, "{name: main, skill: general}\n  - {name: spare, skill: other}");
  expect_problem(problems(s), 8, 26, "queues[1].skill", "no agent group has skill 'other'");
}

TEST(ScenarioLoader, ReportsEveryProblemAtOnce) {
  const std::string s = R"(name: many
horizon: {length: 0}
skills: [a]
agent_groups:
  - {name: g, skills: [b], agents: -1}
queues:
  - {name: q, skill: a, routing: fastest}
call_types:
  - name: c
    arrivals: {process: poisson, rate: 10}
    handle_time: {dist: exponential}
    entry: {queue: nowhere}
)";
  const auto ps = problems(s);
  expect_problem(ps, 2, 19, "horizon.length", "duration > 0");
  expect_problem(ps, 5, 24, "agent_groups[0].skills[0]", "unknown skill 'b'");
  expect_problem(ps, 5, 36, "agent_groups[0].agents", "from 0 up");
  expect_problem(ps, 7, 34, "queues[0].routing", "expected longest_idle, best_skill");
  expect_problem(ps, 11, 18, "call_types[0].handle_time.mean", "expected 'mean'");
  expect_problem(ps, 12, 20, "call_types[0].entry.queue", "unknown queue 'nowhere'");
  EXPECT_GE(ps.size(), 6u);
}

TEST(ScenarioLoader, ReplayedCountsArePlacedOnTheHorizon) {
  TempDir dir;
  write_file(dir / "counts.csv",
             "timestamp,calls\n2003-03-03T07:00:00Z,10\n2003-03-03T07:05:00Z,20\n2003-03-04T07:00:00Z,30\n2003-03-04T07:05:00Z,40\n");
  std::string text = minimal_with("horizon: {length: 2h}", "horizon: {length: 2h, start: \"07:00\"}");
  text.replace(text.find("{process: poisson, rate: 60}"), 28, "{process: replay_counts, file: counts.csv, day: 2003-03-04}");
  write_file(dir / "s.yaml", text);
  const Scenario s = load_scenario((dir / "s.yaml").string());
  const auto& bins = s.call_types[0].arrivals.bins;
  ASSERT_EQ(bins.size(), 2u);
  EXPECT_EQ(bins[0].start, 0);
  EXPECT_EQ(bins[0].length, 300);
  EXPECT_EQ(bins[0].calls, 30);
  EXPECT_EQ(bins[1].start, 300);
  EXPECT_EQ(bins[1].calls, 40);
}

TEST(ScenarioLoader, ReplayErrorsNameTheFileAndDay) {
  TempDir dir;
  write_file(dir / "counts.csv", "timestamp,calls\n2003-03-03T07:00:00Z,10\n2003-03-03T07:05:00Z,-2\n");
  const std::string base = std::string(kMinimal);
  std::string s = base;
  s.replace(s.find("{process: poisson, rate: 60}"), 28, "{process: replay_counts, file: counts.csv, day: 2003-03-03}");
  write_file(dir / "s.yaml", s);
  try {
    load_scenario((dir / "s.yaml").string());
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("counts.csv:3:22: calls: expected a number of calls >= 0"), std::string::npos) << e.what();
  }
  std::string wrong_day = base;
  wrong_day.replace(wrong_day.find("{process: poisson, rate: 60}"), 28, "{process: replay_counts, file: ok.csv, day: 2003-03-09}");
  write_file(dir / "ok.csv", "timestamp,calls\n2003-03-03T07:00:00Z,10\n");
  write_file(dir / "w.yaml", wrong_day);
  try {
    load_scenario((dir / "w.yaml").string());
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no interval of 2003-03-09"), std::string::npos) << e.what();
  }
}

TEST(ScenarioLoader, ReplayedTimestamps) {
  TempDir dir;
  write_file(dir / "t.txt", "# seconds since the horizon start\n0.5\n10\n10\n3600.25\n99999\n");
  std::string s = kMinimal;
  s.replace(s.find("{process: poisson, rate: 60}"), 28, "{process: replay_timestamps, file: t.txt}");
  write_file(dir / "s.yaml", s);
  const Scenario sc = load_scenario((dir / "s.yaml").string());
  EXPECT_EQ(sc.call_types[0].arrivals.timestamps, (std::vector<double>{0.5, 10, 10, 3600.25}));
  write_file(dir / "t.txt", "5\n4\n");
  try {
    load_scenario((dir / "s.yaml").string());
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.problems().at(0).line, 2);
    EXPECT_NE(e.problems().at(0).file.find("t.txt"), std::string::npos);
  }
}

TEST(ScenarioLoader, MissingFileIsAnInputError) {
  EXPECT_THROW(load_scenario("/nonexistent/scenario.yaml"), InputError);
}
