// Each mistake a user can make in a scenario, on a known-good base: the exact
// line, column and field of the problem, what it says, and — where the
// mistake has no honest consequence elsewhere — that it is the only problem.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>

#include "core/input_error.hpp"
#include "io/scenario_loader.hpp"
#include "support/test_support.hpp"

using namespace switchboard;

namespace {

// Line numbers matter: cases below replace whole lines by number.
const char* kBase = R"(name: base
horizon: {length: 1h, interval: 30m}
skills: [billing, sales]
tags: [vip]
priorities:
  - {name: normal}
  - {name: vip, head_start: 90s}
agent_groups:
  - {name: front, skills: [billing, sales], agents: 5}
  - {name: back, skills: {sales: 2}, agents: [1, 2]}
queues:
  - {name: billing, skill: billing}
  - {name: sales, skill: sales}
ivr:
  - {id: menu, type: menu, options: {"1": billing_q, "2": sales_q}, on_fail: billing_q}
  - {id: billing_q, type: queue, queue: billing}
  - {id: sales_q, type: queue, queue: sales}
tickets:
  - {name: dispute, group: back, work_time: 4h}
call_types:
  - name: direct
    arrivals: {process: poisson, rate: 60}
    handle_time: {dist: exponential, mean: 4m}
    entry: {queue: billing}
  - name: menu_callers
    arrivals: {process: poisson, rates: [30, 0]}
    handle_time: 3m
    entry: {ivr: menu}
    menus:
      menu: {"1": 0.7, "2": 0.2, timeout: 0.1}
)";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The base with lines replaced (1-based line -> replacement, which may span lines).
std::string edited(const std::map<int, std::string>& edits) {
  const auto lines = lines_of(kBase);
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto e = edits.find(static_cast<int>(i) + 1);
    out += (e == edits.end() ? lines[i] : e->second) + "\n";
  }
  return out;
}

std::vector<Problem> problems(const std::string& text) {
  try {
    parse_scenario(text, "s.yaml", ".");
  } catch (const InputError& e) {
    return e.problems();
  }
  return {};
}

std::string listing(const std::vector<Problem>& ps) {
  std::string all;
  for (const auto& p : ps) all += "\n  " + p.format();
  return all;
}

struct Case {
  const char* what;
  std::map<int, std::string> edits;
  int line;            // where the problem is expected
  const char* needle;  // its column: the first occurrence of this text on that line
  const char* field;
  const char* message;
  bool only = true;    // no other problem is expected
};

void check(const Case& c) {
  SCOPED_TRACE(c.what);
  const std::string text = edited(c.edits);
  const auto lines = lines_of(text);
  ASSERT_LE(c.line, static_cast<int>(lines.size()));
  const auto column = lines[c.line - 1].find(c.needle);
  ASSERT_NE(column, std::string::npos) << "test bug: '" << c.needle << "' not on line " << c.line;
  const auto ps = problems(text);
  bool found = false;
  for (const auto& p : ps)
    if (p.file == "s.yaml" && p.line == c.line && p.column == static_cast<int>(column) + 1 && p.field == c.field &&
        p.message.find(c.message) != std::string::npos)
      found = true;
  EXPECT_TRUE(found) << "expected s.yaml:" << c.line << ":" << column + 1 << ": " << c.field << ": ..." << c.message
                     << "; got:" << listing(ps);
  if (c.only) {
    EXPECT_EQ(ps.size(), 1u) << listing(ps);
  }
}

}  // namespace

TEST(ScenarioProblems, TheBaseIsValid) {
  const auto ps = problems(kBase);
  EXPECT_TRUE(ps.empty()) << listing(ps);
}

TEST(ScenarioProblems, UnknownNamesListTheKnownOnes) {
  const Case cases[] = {
      {"queue skill", {{12, "  - {name: billing, skill: bilin}"}}, 12, "bilin", "queues[0].skill",
       "unknown skill 'bilin' (known: billing, sales)"},
      {"group skill in a list", {{9, "  - {name: front, skills: [billing, sails], agents: 5}"}}, 9, "sails",
       "agent_groups[0].skills[1]", "unknown skill 'sails' (known: billing, sales)"},
      {"group skill in a map", {{10, "  - {name: back, skills: {sails: 2}, agents: [1, 2]}"}}, 10, "sails",
       "agent_groups[1].skills.sails", "unknown skill 'sails'"},
      {"tag", {{24, "    entry: {queue: billing}\n    tags: {vipp: 0.1}"}}, 25, "vipp", "call_types[0].tags.vipp",
       "unknown tag 'vipp' (known: vip)"},
      {"priority", {{24, "    entry: {queue: billing}\n    priority: urgent"}}, 25, "urgent", "call_types[0].priority",
       "unknown priority class 'urgent' (known: normal, vip)"},
      {"ticket group", {{19, "  - {name: dispute, group: bak, work_time: 4h}"}}, 19, "bak", "tickets[0].group",
       "unknown agent group 'bak' (known: front, back)"},
      {"IVR queue", {{16, "  - {id: billing_q, type: queue, queue: biling}"}}, 16, "biling", "ivr[1].queue",
       "unknown queue 'biling' (known: billing, sales)"},
      {"menu option target",
       {{15, R"(  - {id: menu, type: menu, options: {"1": billing_q, "2": sale_q}, on_fail: billing_q})"}}, 15, "sale_q",
       "ivr[0].options.2", "unknown IVR node 'sale_q' (known: menu, billing_q, sales_q)"},
      {"disposition category", {{24, "    entry: {queue: billing}\n    dispositions: [{ticket: disput, probability: 0.1}]"}},
       25, "disput", "call_types[0].dispositions[0].ticket", "unknown ticket category 'disput' (known: dispute)"},
      {"entry queue", {{24, "    entry: {queue: nowhere}"}}, 24, "nowhere", "call_types[0].entry.queue",
       "unknown queue 'nowhere' (known: billing, sales)"},
      {"entry node", {{28, "    entry: {ivr: mneu}"}}, 28, "mneu", "call_types[1].entry.ivr", "unknown IVR node 'mneu'"},
      {"overflow group", {{12, "  - {name: billing, skill: billing, overflow: [{after: 60s, add_groups: [bak]}]}"}}, 12, "bak]",
       "queues[0].overflow[0].add_groups[0]", "unknown agent group 'bak' (known: front, back)"},
      {"lookup tag", {{15, R"(  - {id: menu, type: lookup, tag: vp, next: billing_q})"}, {29, ""}, {30, ""}}, 15, "vp,",
       "ivr[0].tag", "unknown tag 'vp' (known: vip)"},
  };
  for (const Case& c : cases) check(c);
}

TEST(ScenarioProblems, DuplicateNames) {
  const Case cases[] = {
      {"skill", {{3, "skills: [billing, sales, billing]"}}, 3, "billing]", "skills[2]", "duplicate name 'billing'"},
      {"agent group", {{10, "  - {name: front, skills: {sales: 2}, agents: [1, 2]}"}, {19, "  - {name: dispute, group: front, work_time: 4h}"}},
       10, "front", "agent_groups[1].name", "duplicate name 'front'"},
      {"IVR id", {{17, "  - {id: sales_q, type: queue, queue: sales}\n  - {id: sales_q, type: hangup}"}}, 18, "sales_q",
       "ivr[3].id", "duplicate name 'sales_q'", false},
      {"call type", {{25, "  - name: direct"}}, 25, "direct", "call_types[1].name", "duplicate name 'direct'"},
  };
  for (const Case& c : cases) check(c);
}

TEST(ScenarioProblems, UnknownKeysNameTheKeyAndTheAllowedOnes) {
  const Case cases[] = {
      {"top level", {{1, "name: base\nhorizn: {length: 1h}"}}, 2, "horizn", "horizn",
       "unknown key 'horizn' (allowed: name, description, horizon, targets, skills, tags, priorities, agent_groups, queues, "
       "ivr, tickets, back_office, call_types, platform, agent_logins)"},
      {"agent group", {{9, "  - {name: front, skills: [billing, sales], agents: 5, wrapup: 30s}"}}, 9, "wrapup",
       "agent_groups[0].wrapup", "unknown key 'wrapup' (allowed: name, skills, agents, answer_delay, no_answer_probability, "
       "ring_timeout, no_answer_pause, wrap_up)"},
      {"distribution", {{23, "    handle_time: {dist: exponential, mean: 4m, sd: 1m}"}}, 23, "sd", "call_types[0].handle_time.sd",
       "unknown key 'sd' (allowed: dist, mean)"},
      {"IVR node of a type", {{16, "  - {id: billing_q, type: queue, queue: billing, next: sales_q}"}}, 16, "next",
       "ivr[1].next", "unknown key 'next' (allowed: id, type, queue, priority)"},
      {"arrivals", {{22, "    arrivals: {process: poisson, rate: 60, rats: 5}"}}, 22, "rats", "call_types[0].arrivals.rats",
       "unknown key 'rats'"},
  };
  for (const Case& c : cases) check(c);
  // yaml-cpp would keep a repeated key and every lookup would see the first one only.
  const Case repeated[] = {
      {"repeated key", {{22, "    arrivals: {process: poisson, rate: 60}\n    arrivals: {process: poisson, rate: 600}"}}, 23, "arrivals",
       "call_types[0].arrivals", "duplicate key 'arrivals'"},
      {"repeated menu digit", {{30, R"(      menu: {"1": 0.7, "1": 0.2, timeout: 0.1})"}}, 30, "\"1\": 0.2", "call_types[1].menus.menu.1",
       "duplicate key '1'"},
      {"repeated option", {{15, R"(  - {id: menu, type: menu, options: {"1": billing_q, "1": sales_q}, on_fail: billing_q})"}}, 15,
       "\"1\": sales_q", "ivr[0].options.1", "duplicate key '1'", false},
      {"repeated tag", {{24, "    entry: {queue: billing}\n    tags: {vip: 0.1, vip: 0.2}"}}, 25, "vip: 0.2", "call_types[0].tags.vip",
       "duplicate key 'vip'"},
  };
  for (const Case& c : repeated) check(c);
  // A typo in a required key is also a missing key: both are reported.
  const auto ps = problems(edited({{12, "  - {name: billing, skil: billing}"}}));
  ASSERT_EQ(ps.size(), 2u) << listing(ps);
  EXPECT_EQ(ps[0].format(), "s.yaml:12:21: queues[0].skil: unknown key 'skil' (allowed: name, skill, routing, max_length, "
                            "when_full, overflow, callback, hours, when_closed)");
  EXPECT_EQ(ps[1].format(), "s.yaml:12:5: queues[0].skill: expected the skill that serves this queue");
}

TEST(ScenarioProblems, NumbersDurationsAndClockTimes) {
  const Case cases[] = {
      {"empty horizon", {{2, "horizon: {length: 0, interval: 30m}"}}, 2, "0,", "horizon.length", "expected a duration > 0"},
      {"zero interval", {{2, "horizon: {length: 1h, interval: 0s}"}}, 2, "0s", "horizon.interval", "expected a duration > 0, a number of seconds or a string such as 250ms, 20s, 5m, 1.5h, 1d, got 0s"},
      {"negative warmup", {{2, "horizon: {length: 1h, interval: 30m, warmup: -1m}"}}, 2, "-1m", "horizon.warmup", "expected a duration >= 0"},
      {"not a duration", {{23, "    handle_time: {dist: exponential, mean: soon}"}}, 23, "soon", "call_types[0].handle_time.mean",
       "expected a duration > 0, a number of seconds or a string such as 250ms, 20s, 5m, 1.5h, 1d, got soon"},
      {"bad clock", {{2, R"(horizon: {length: 1h, interval: 30m, start: "8:00pm"})"}}, 2, "\"8:00pm\"", "horizon.start",
       "expected a clock time HH:MM or HH:MM:SS, got '8:00pm'"},
      {"closing before opening", {{13, R"(  - {name: sales, skill: sales, hours: {open: "20:00", close: "08:00"}})"}}, 13, "\"08:00\"",
       "queues[1].hours.close", "expected a closing time after the opening time"},
      {"service level 0", {{2, "horizon: {length: 1h, interval: 30m}\ntargets: {service_level: 0}"}}, 3, "0}", "targets.service_level",
       "expected a fraction above 0 and at most 1"},
      {"weight 0", {{7, "  - {name: vip, head_start: 90s, weight: 0}"}}, 7, "0}", "priorities[1].weight", "expected a number > 0, got 0"},
      {"negative head start", {{7, "  - {name: vip, head_start: -90s}"}}, 7, "-90s", "priorities[1].head_start", "expected a duration >= 0"},
      {"skill level 0", {{10, "  - {name: back, skills: {sales: 0}, agents: [1, 2]}"}}, 10, "0}", "agent_groups[1].skills.sales",
       "expected a whole number from 1 to 1000, got 0"},
      {"fractional agents", {{9, "  - {name: front, skills: [billing, sales], agents: 5.5}"}}, 9, "5.5", "agent_groups[0].agents",
       "expected whole numbers of agents"},
      {"negative max_length", {{12, "  - {name: billing, skill: billing, max_length: -1}"}}, 12, "-1", "queues[0].max_length",
       "expected a whole number from 0 up, got -1"},
      {"negative retries", {{15, R"(  - {id: menu, type: menu, options: {"1": billing_q, "2": sales_q}, retries: -1, on_fail: billing_q})"}}, 15,
       "-1", "ivr[0].retries", "expected a whole number from 0 up, got -1"},
  };
  for (const Case& c : cases) check(c);
}

TEST(ScenarioProblems, RatesAndPerIntervalLists) {
  const Case cases[] = {
      {"negative rate", {{22, "    arrivals: {process: poisson, rate: -5}"}}, 22, "-5", "call_types[0].arrivals.rate",
       "expected a number from 0 up, got -5"},
      {"all rates zero", {{26, "    arrivals: {process: poisson, rates: [0, 0]}"}}, 26, "[0", "call_types[1].arrivals.rates",
       "expected a rate above 0 in at least one interval"},
      {"rates of the wrong length", {{26, "    arrivals: {process: poisson, rates: [30, 0, 5]}"}}, 26, "[30",
       "call_types[1].arrivals.rates", "expected one value per horizon interval: 2, got 3"},
      {"agents of the wrong length", {{10, "  - {name: back, skills: {sales: 2}, agents: [1]}"}}, 10, "[1]", "agent_groups[1].agents",
       "expected one value per horizon interval: 2, got 1"},
      {"zero busyness shape", {{26, "    arrivals: {process: poisson_gamma, rates: [30, 0], shape: 0}"}}, 26, "0}",
       "call_types[1].arrivals.shape", "expected a number > 0, got 0"},
      {"poisson_gamma without shape", {{26, "    arrivals: {process: poisson_gamma, rates: [30, 0]}"}}, 26, "{",
       "call_types[1].arrivals.shape", "expected the busyness factor's gamma shape"},
      {"zero scale", {{22, "    arrivals: {process: poisson, rate: 60, scale: 0}"}}, 22, "0}", "call_types[0].arrivals.scale",
       "expected a number > 0, got 0"},
      {"unknown process", {{22, "    arrivals: {process: poison, rate: 60}"}}, 22, "poison", "call_types[0].arrivals.process",
       "expected poisson, poisson_gamma, deterministic, replay_counts or replay_timestamps; got 'poison'"},
      {"no rate", {{22, "    arrivals: {process: deterministic}"}}, 22, "{", "call_types[0].arrivals.rate",
       "expected the arrival rate in calls per hour"},
  };
  for (const Case& c : cases) check(c);
}

TEST(ScenarioProblems, ProbabilitiesAndMenus) {
  const Case cases[] = {
      {"probability below 0", {{9, "  - {name: front, skills: [billing, sales], agents: 5, no_answer_probability: -0.1}"}}, 9, "-0.1",
       "agent_groups[0].no_answer_probability", "expected a number from 0 to 1, got -0.1"},
      {"probability above 1", {{24, "    entry: {queue: billing}\n    tags: {vip: 1.5}"}}, 25, "1.5", "call_types[0].tags.vip",
       "expected a number from 0 to 1, got 1.5"},
      {"menu sum below 1", {{30, R"(      menu: {"1": 0.7, "2": 0.2, timeout: 0.05})"}}, 30, "{", "call_types[1].menus.menu",
       "expected probabilities that sum to 1, got 0.95"},
      {"menu sum just off", {{30, R"(      menu: {"1": 0.7, "2": 0.2, timeout: 0.1000001})"}}, 30, "{", "call_types[1].menus.menu",
       "expected probabilities that sum to 1, got 1.0000001"},
      {"digit not an option", {{30, R"(      menu: {"1": 0.7, "3": 0.2, timeout: 0.1})"}}, 30, "\"3\"", "call_types[1].menus.menu.3",
       "'3' is not an option of menu 'menu' (options: 1, 2; or timeout, invalid)"},
      {"not a digit", {{30, R"(      menu: {"1": 0.7, "2": 0.2, none: 0.1})"}}, 30, "none", "call_types[1].menus.menu.none",
       "expected a digit, timeout or invalid"},
      {"behaviour for a node that is not a menu", {{30, R"(      billing_q: {"1": 1})"}}, 30, "billing_q", "call_types[1].menus.billing_q",
       "expected the id of a menu node; 'billing_q' is a queue node"},
      {"bad option key", {{15, R"(  - {id: menu, type: menu, options: {"1": billing_q, "22": sales_q}, on_fail: billing_q})"}}, 15,
       "\"22\"", "ivr[0].options.22", "expected a single key 0-9, * or #", false},
      {"dispositions over 1", {{24, "    entry: {queue: billing}\n    dispositions: [{ticket: dispute, probability: 0.7}, {ticket: dispute, probability: 0.4}]"}},
       25, "[", "call_types[0].dispositions", "expected probabilities that sum to at most 1, got 1.1"},
      {"callbacks nobody offers", {{24, "    entry: {queue: billing}\n    callback_accept: 0.5"}}, 25, "0.5",
       "call_types[0].callback_accept", "no queue offers callbacks"},
  };
  for (const Case& c : cases) check(c);
}

TEST(ScenarioProblems, Distributions) {
  const Case cases[] = {
      {"unknown kind", {{27, "    handle_time: {dist: normal, mean: 3m}"}}, 27, "normal", "call_types[1].handle_time.dist",
       "expected one of none, constant, exponential, lognormal, gamma, weibull, empirical; got 'normal'"},
      {"missing parameter", {{27, "    handle_time: {dist: lognormal, mean: 3m}"}}, 27, "{", "call_types[1].handle_time.sd",
       "expected 'sd' for the lognormal distribution"},
      {"empty empirical", {{27, "    handle_time: {dist: empirical, values: []}"}}, 27, "[]", "call_types[1].handle_time.values",
       "expected a non-empty list of observed durations"},
      {"negative empirical value", {{27, "    handle_time: {dist: empirical, values: [1s, -2]}"}}, 27, "-2",
       "call_types[1].handle_time.values[1]", "expected a duration >= 0"},
      {"weibull shape 0", {{27, "    handle_time: {dist: weibull, shape: 0, scale: 3m}"}}, 27, "0,", "call_types[1].handle_time.shape",
       "expected a number > 0, got 0"},
      {"negative constant", {{27, "    handle_time: {dist: constant, value: -1}"}}, 27, "-1", "call_types[1].handle_time.value",
       "expected a duration >= 0"},
      {"talk time none", {{27, "    handle_time: none"}}, 27, "none", "call_types[1].handle_time", "expected a talk time, not none"},
  };
  for (const Case& c : cases) check(c);
}

TEST(ScenarioProblems, QueuesAndOverflow) {
  const Case cases[] = {
      {"overflow not increasing",
       {{12, "  - {name: billing, skill: billing, overflow: [{after: 2m, add_groups: [back]}, {after: 60s, move_to: sales}]}"}}, 12,
       "60s", "queues[0].overflow[1].after", "expected steps in increasing order of 'after'"},
      {"overflow step of both kinds",
       {{12, "  - {name: billing, skill: billing, overflow: [{after: 60s, add_skills: [sales], move_to: sales}]}"}}, 12, "{after",
       "queues[0].overflow[0]", "expected add_skills and/or add_groups, or move_to (one kind of step)"},
      {"overflow step of no kind", {{12, "  - {name: billing, skill: billing, overflow: [{after: 60s}]}"}}, 12, "{after",
       "queues[0].overflow[0]", "one kind of step"},
      {"when_full to itself", {{12, "  - {name: billing, skill: billing, when_full: billing}"}}, 12, "billing}", "queues[0].when_full",
       "expected another queue, not the queue itself"},
      {"unknown routing", {{12, "  - {name: billing, skill: billing, routing: fastest}"}}, 12, "fastest", "queues[0].routing",
       "expected longest_idle, best_skill, least_occupied or round_robin; got 'fastest'"},
      {"queue nobody serves", {{3, "skills: [billing, sales, tech]"}, {13, "  - {name: sales, skill: tech}"}}, 13, "tech",
       "queues[1].skill", "no agent group has skill 'tech'"},
      {"agent group with no skills", {{10, "  - {name: back, skills: [], agents: [1, 2]}"}}, 10, "[]", "agent_groups[1].skills",
       "expected at least one skill: an agent group with no skills takes no call"},
  };
  for (const Case& c : cases) check(c);
  // A queue served only through its overflow is fine: adding a group, or a skill some group has, or moving calls.
  for (const char* overflow : {"[{after: 60s, add_groups: [front]}]", "[{after: 60s, add_skills: [billing]}]",
                               "[{after: 60s, move_to: billing}]"}) {
    const std::string text = edited({{3, "skills: [billing, sales, tech]"},
                                     {13, std::string("  - {name: sales, skill: tech, overflow: ") + overflow + "}"}});
    EXPECT_TRUE(problems(text).empty()) << overflow << listing(problems(text));
  }
  // Adding a skill nobody has does not help.
  check({"overflow adding a skill nobody has", {{3, "skills: [billing, sales, tech, legal]"},
         {13, "  - {name: sales, skill: tech, overflow: [{after: 60s, add_skills: [legal]}]}"}}, 13, "tech", "queues[1].skill",
         "no agent group has skill 'tech'"});
}

TEST(ScenarioProblems, CallTypeEntries) {
  const Case cases[] = {
      {"no entry", {{24, "    priority: vip"}}, 21, "name", "call_types[0].entry", "expected exactly one of {queue: NAME} or {ivr: NODE}"},
      {"two entries", {{24, "    entry: {queue: billing, ivr: menu}"}}, 24, "{", "call_types[0].entry",
       "expected exactly one of {queue: NAME} or {ivr: NODE}"},
      {"missing handle time", {{23, ""}}, 21, "name", "call_types[0].handle_time", "expected the talk time"},
  };
  for (const Case& c : cases) check(c);
  const auto none = problems(edited({{20, "call_types: []"}, {21, ""}, {22, ""}, {23, ""}, {24, ""}, {25, ""}, {26, ""},
                                     {27, ""}, {28, ""}, {29, ""}, {30, ""}}));
  ASSERT_FALSE(none.empty());
  EXPECT_EQ(none[0].format(), "s.yaml:20:13: call_types: expected a list of at least one call type");
}

TEST(ScenarioProblems, IvrGraph) {
  // Replaces the IVR (lines 15-17) and the menu behaviour (lines 29-30).
  auto ivr = [](const std::string& nodes) { return edited({{15, nodes}, {16, ""}, {17, ""}, {29, ""}, {30, ""}}); };
  {
    const auto ps = problems(ivr("  - {id: menu, type: menu, options: {\"1\": billing_q}, on_fail: billing_q}\n"
                                 "  - {id: billing_q, type: queue, queue: billing}\n"
                                 "  - {id: orphan, type: hangup}"));
    ASSERT_EQ(ps.size(), 1u) << listing(ps);
    EXPECT_EQ(ps[0].format(), "s.yaml:17:5: ivr[2]: IVR node 'orphan' is unreachable: no call type's entry leads to it");
  }
  {
    const auto ps = problems(ivr("  - {id: menu, type: prompt, duration: 2s, next: again}\n"
                                 "  - {id: again, type: prompt, duration: 2s, next: menu}"));
    ASSERT_EQ(ps.size(), 2u) << listing(ps);
    EXPECT_EQ(ps[0].line, 15);
    EXPECT_EQ(ps[0].column, 5);
    EXPECT_EQ(ps[0].field, "ivr[0]");
    EXPECT_NE(ps[0].message.find("'menu' is in a cycle with no exit"), std::string::npos) << ps[0].message;
    EXPECT_EQ(ps[1].line, 16);
    EXPECT_EQ(ps[1].field, "ivr[1]");
  }
  // Exits that break a cycle: a menu's retries end at on_fail; self-service success without `next` is contained.
  EXPECT_TRUE(problems(ivr("  - {id: menu, type: menu, options: {\"1\": again}, on_fail: out}\n"
                           "  - {id: again, type: prompt, next: menu}\n"
                           "  - {id: out, type: hangup}")).empty());
  EXPECT_TRUE(problems(ivr("  - {id: menu, type: self_service, service_time: 30s, success_probability: 0.5, on_fail: again}\n"
                           "  - {id: again, type: prompt, next: menu}")).empty());
  // ... but self-service with a `next` back into the loop has no way out.
  EXPECT_EQ(problems(ivr("  - {id: menu, type: self_service, service_time: 30s, success_probability: 0.5, on_fail: again, next: again}\n"
                         "  - {id: again, type: prompt, next: menu}")).size(), 2u);
  // A lookup that leads back to itself would spin without time passing.
  {
    const auto ps = problems(ivr("  - {id: menu, type: lookup, tag: vip, tagged_next: billing_q, next: menu}\n"
                                 "  - {id: billing_q, type: queue, queue: billing}"));
    ASSERT_EQ(ps.size(), 1u) << listing(ps);
    EXPECT_EQ(ps[0].field, "ivr[0]");
    EXPECT_NE(ps[0].message.find("through lookup/ticket/ticket_status nodes only"), std::string::npos) << ps[0].message;
  }
  // A broken link is reported once, not again as the unreachable node or dead end it causes.
  {
    const auto ps = problems(ivr("  - {id: menu, type: prompt, next: bilng_q}\n"
                                 "  - {id: billing_q, type: queue, queue: billing}"));
    ASSERT_EQ(ps.size(), 1u) << listing(ps);
    EXPECT_EQ(ps[0].format(), "s.yaml:15:36: ivr[0].next: unknown IVR node 'bilng_q' (known: menu, billing_q)");
  }
}

TEST(ScenarioProblems, EveryProblemIsReportedAtOnceInFileOrder) {
  // Local mistakes in several sections and a cross-section one (an unreachable node) together.
  const std::string text = edited({
      {9, "  - {name: front, skills: [billing, sales], agents: 5, no_answer_probability: 2}"},
      {13, "  - {name: sales, skill: sales, routing: fastest}"},
      {17, "  - {id: sales_q, type: queue, queue: sales}\n  - {id: orphan, type: hangup}"},
      {22, "    arrivals: {process: poisson, rate: -5}"},
  });
  const auto ps = problems(text);
  std::vector<std::string> got;
  for (const auto& p : ps) got.push_back(p.format());
  const std::vector<std::string> expected = {
      "s.yaml:9:79: agent_groups[0].no_answer_probability: expected a number from 0 to 1, got 2",
      "s.yaml:13:42: queues[1].routing: expected longest_idle, best_skill, least_occupied or round_robin; got 'fastest'",
      "s.yaml:23:40: call_types[0].arrivals.rate: expected a number from 0 up, got -5",
      "s.yaml:18:5: ivr[3]: IVR node 'orphan' is unreachable: no call type's entry leads to it",
  };
  EXPECT_EQ(got, expected);
}

TEST(ScenarioProblems, SyntaxErrorHasLineAndColumn) {
  const auto ps = problems(edited({{4, "tags: vip: x"}}));
  ASSERT_EQ(ps.size(), 1u) << listing(ps);
  EXPECT_EQ(ps[0].format(), "s.yaml:4:10: YAML syntax: illegal map value");
  // An unclosed bracket is found where the parser gives up, further down.
  const auto unclosed = problems(edited({{12, "  - {name: billing, skill: billing"}}));
  ASSERT_EQ(unclosed.size(), 1u) << listing(unclosed);
  EXPECT_EQ(unclosed[0].format(), "s.yaml:15:3: YAML syntax: illegal block entry");
  const auto tab = problems("name: x\nhorizon:\n\tlength: 1h\n");
  ASSERT_EQ(tab.size(), 1u) << listing(tab);
  EXPECT_EQ(tab[0].line, 3);
}

TEST(ScenarioProblems, NotAScenarioAtAll) {
  auto only = [](const std::string& text) {
    const auto ps = problems(text);
    return ps.size() == 1 ? ps[0].format() : listing(ps);
  };
  EXPECT_EQ(only("- just\n- a list\n"), "s.yaml:1:1: expected a scenario: a mapping with name, horizon, skills, agent_groups, queues, call_types");
  const auto empty = problems("");
  ASSERT_FALSE(empty.empty());
  // A file with only a name: each missing section is named, at the top of the file.
  const auto bare = problems("name: x\n");
  std::vector<std::string> fields;
  for (const auto& p : bare) {
    EXPECT_EQ(p.line, 1) << p.format();
    fields.push_back(p.field);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"skills", "horizon", "agent_groups", "queues", "call_types"}));
}

TEST(ScenarioProblems, OddShapesAreProblemsNotCrashes) {
  // Every value of the base, in turn, replaced by values of other shapes: the
  // loader must answer with located problems (or accept), never throw anything else.
  const std::string base = kBase;
  const char* odd[] = {"[]", "{}", "~", "[a, {b: c}]", "-1", "x", "0", "{dist: none}"};
  int tried = 0;
  for (std::size_t at = base.find(": "); at != std::string::npos; at = base.find(": ", at + 1)) {
    const std::size_t begin = at + 2;
    std::size_t end = begin;
    int depth = 0;
    for (; end < base.size(); ++end) {
      const char c = base[end];
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && depth-- == 0) break;
      if ((c == ',' && depth == 0) || c == '\n') break;
    }
    for (const char* value : odd) {
      const std::string text = base.substr(0, begin) + value + base.substr(end);
      SCOPED_TRACE(text);
      ++tried;
      try {
        parse_scenario(text, "s.yaml", ".");
      } catch (const InputError& e) {
        ASSERT_FALSE(e.problems().empty());
        for (const auto& p : e.problems()) {
          EXPECT_GT(p.line, 0) << p.format();
          // The loader's last-resort catch of yaml-cpp exceptions must not be what answered.
          EXPECT_EQ(p.message.find("unexpected YAML structure"), std::string::npos) << p.format();
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << "not an InputError: " << e.what();
      }
    }
  }
  EXPECT_GT(tried, 400);
}

// The core keeps a call's priority class and overflow stage in 16 bits:
// one class or step more than it can hold is the scenario's problem, named
// at the list, and the limit itself is accepted.
TEST(ScenarioProblems, PriorityClassesAndOverflowStepsAreBounded) {
  auto classes = [](std::size_t n) {
    std::string lines = "  - {name: normal}";
    for (std::size_t i = 2; i < n; ++i) lines += "\n  - {name: p" + std::to_string(i) + "}";
    return lines;
  };
  auto steps = [](std::size_t n) {
    std::string list;
    for (std::size_t i = 0; i < n; ++i) list += (i ? ", " : "") + std::string("{after: ") + std::to_string(i + 1) + "s, add_groups: [back]}";
    return "  - {name: billing, skill: billing, overflow: [" + list + "]}";
  };
  check({"a priority class too many", {{6, classes(kMaxPriorityClasses + 1)}}, 6, "- {name: normal}", "priorities",
         "expected at most 32767 priority classes, got 32768"});
  check({"an overflow step too many", {{12, steps(kMaxOverflowSteps + 1)}}, 12, "[{after", "queues[0].overflow",
         "expected at most 32767 steps, got 32768"});
  EXPECT_TRUE(problems(edited({{6, classes(kMaxPriorityClasses)}})).empty());
  EXPECT_TRUE(problems(edited({{12, steps(kMaxOverflowSteps)}})).empty());
}
