// Every field of the scenario format lands where docs/scenario.md says, in
// the unit it says (seconds, calls per hour), and every default is the
// documented one. The fixture gives each field a value unlike its default.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/input_error.hpp"
#include "io/scenario_loader.hpp"
#include "support/test_support.hpp"

using namespace switchboard;

namespace {

std::filesystem::path fixtures() { return test::source_dir() / "tests" / "io" / "fixtures"; }

Scenario full() { return load_scenario((fixtures() / "full.yaml").string()); }

const char* kMinimal = R"(name: minimal
horizon: {length: 2h}
skills: [general]
agent_groups:
  - {name: agents, skills: [general], agents: 5}
queues:
  - {name: main, skill: general}
ivr:
  - {id: menu, type: menu, options: {"1": q}, on_fail: q}
  - {id: bot, type: self_service, service_time: 30s, success_probability: 0.5, on_fail: q}
  - {id: q, type: queue, queue: main}
tickets:
  - {name: t, group: agents, work_time: 1h}
call_types:
  - name: calls
    arrivals: {process: poisson, rate: 60}
    handle_time: {dist: exponential, mean: 4m}
    entry: {queue: main}
  - name: menu_calls
    arrivals: {process: poisson, rate: 6}
    handle_time: 4m
    entry: {ivr: menu}
  - name: bot_calls
    arrivals: {process: poisson, rate: 6}
    handle_time: 4m
    entry: {ivr: bot}
)";

}  // namespace

TEST(ScenarioFields, TopLevelHorizonTargetsAndNames) {
  const Scenario s = full();
  EXPECT_EQ(s.name, "full");
  EXPECT_EQ(s.description, "every field of the format");
  EXPECT_EQ(s.source, (fixtures() / "full.yaml").string());
  EXPECT_EQ(s.horizon.start_clock, 8 * 3600 + 30 * 60 + 15);
  EXPECT_EQ(s.horizon.length, 3600);
  EXPECT_EQ(s.horizon.interval, 1800);
  EXPECT_EQ(s.horizon.intervals(), 2);
  EXPECT_EQ(s.horizon.warmup, 600);
  EXPECT_EQ(s.targets.answer_within, 30);
  EXPECT_DOUBLE_EQ(s.targets.short_abandon, 0.25);
  EXPECT_EQ(s.targets.target_sl, 0.9);
  EXPECT_EQ(s.skills, (std::vector<std::string>{"billing", "sales", "tech"}));
  EXPECT_EQ(s.tags, (std::vector<std::string>{"vip", "churn"}));
  ASSERT_EQ(s.priorities.size(), 2u);
  EXPECT_EQ(s.priorities[0].name, "normal");
  EXPECT_EQ(s.priorities[0].head_start, 0);
  EXPECT_EQ(s.priorities[0].weight, 1);
  EXPECT_EQ(s.priorities[1].name, "vip");
  EXPECT_EQ(s.priorities[1].head_start, 90);
  EXPECT_EQ(s.priorities[1].weight, 2.5);
  EXPECT_EQ(s.platform, (fixtures() / "platforms" / "two-site.xml").lexically_normal().string());
}

TEST(ScenarioFields, AgentGroups) {
  const Scenario s = full();
  ASSERT_EQ(s.groups.size(), 2u);
  const AgentGroup& front = s.groups[0];
  EXPECT_EQ(front.name, "front");
  ASSERT_EQ(front.skills.size(), 2u);
  EXPECT_EQ(front.skills[0].skill, 0);
  EXPECT_EQ(front.skills[0].level, 1);
  EXPECT_EQ(front.skills[1].skill, 1);
  EXPECT_EQ(front.skills[1].level, 2);
  EXPECT_EQ(front.staffing, (std::vector<int>{20, 25}));
  EXPECT_EQ(front.answer_delay.kind, DistKind::constant);
  EXPECT_EQ(front.answer_delay.value, 3);
  EXPECT_EQ(front.no_answer_probability, 0.02);
  EXPECT_EQ(front.ring_timeout, 15);
  EXPECT_EQ(front.no_answer_pause, 120);
  EXPECT_EQ(front.wrap_up.kind, DistKind::exponential);
  EXPECT_EQ(front.wrap_up.mean, 30);
  const AgentGroup& back = s.groups[1];
  ASSERT_EQ(back.skills.size(), 1u);
  EXPECT_EQ(back.skills[0].skill, 2);
  EXPECT_EQ(back.skills[0].level, 1);
  EXPECT_EQ(back.staffing, std::vector<int>{4});
  EXPECT_EQ(back.answer_delay.kind, DistKind::empirical);
  EXPECT_EQ(back.answer_delay.samples, (std::vector<double>{1, 2, 0.5}));
  EXPECT_EQ(back.wrap_up.kind, DistKind::weibull);
  EXPECT_EQ(back.wrap_up.shape, 1.5);
  EXPECT_EQ(back.wrap_up.scale, 40);
}

TEST(ScenarioFields, Queues) {
  const Scenario s = full();
  ASSERT_EQ(s.queues.size(), 3u);
  const Queue& billing = s.queues[0];
  EXPECT_EQ(billing.name, "billing");
  EXPECT_EQ(billing.skill, 0);
  EXPECT_EQ(billing.routing, RoutingPolicy::best_skill);
  EXPECT_EQ(billing.max_length, 50);
  EXPECT_EQ(billing.when_full_queue, 1);
  ASSERT_EQ(billing.overflow.size(), 2u);
  EXPECT_EQ(billing.overflow[0].after, 60);
  EXPECT_EQ(billing.overflow[0].add_skills, std::vector<int>{1});
  EXPECT_EQ(billing.overflow[0].add_groups, std::vector<int>{1});
  EXPECT_EQ(billing.overflow[0].move_to_queue, kNone);
  EXPECT_EQ(billing.overflow[1].after, 180);
  EXPECT_TRUE(billing.overflow[1].add_skills.empty());
  EXPECT_EQ(billing.overflow[1].move_to_queue, 1);
  EXPECT_TRUE(billing.callback.enabled);
  EXPECT_EQ(billing.callback.offer_above_wait, 240);
  EXPECT_FALSE(billing.hours.always);
  EXPECT_EQ(billing.hours.open, 8 * 3600);
  EXPECT_EQ(billing.hours.close, 20 * 3600);
  EXPECT_EQ(billing.when_closed_queue, 1);
  EXPECT_EQ(s.queues[1].routing, RoutingPolicy::round_robin);
  const Queue& tech = s.queues[2];
  EXPECT_EQ(tech.routing, RoutingPolicy::least_occupied);
  EXPECT_EQ(tech.max_length, 0);
  EXPECT_TRUE(tech.callback.enabled);              // present, even empty, enables callbacks
  EXPECT_EQ(tech.callback.offer_above_wait, 300);  // with the default threshold
  EXPECT_EQ(tech.when_full_queue, kNone);
  EXPECT_EQ(tech.when_closed_queue, kNone);
}

TEST(ScenarioFields, IvrNodesResolvedToIndices) {
  const Scenario s = full();
  ASSERT_EQ(s.ivr.size(), 9u);
  const IvrNode& welcome = s.ivr[0];
  EXPECT_EQ(welcome.kind, IvrKind::prompt);
  EXPECT_EQ(welcome.duration, 6);
  EXPECT_EQ(welcome.next, 1);
  const IvrNode& who = s.ivr[1];
  EXPECT_EQ(who.kind, IvrKind::lookup);
  EXPECT_EQ(who.tag, 0);
  EXPECT_EQ(who.tagged_priority, 1);
  EXPECT_EQ(who.tagged_next, 5);
  EXPECT_EQ(who.next, 2);
  const IvrNode& menu = s.ivr[2];
  EXPECT_EQ(menu.kind, IvrKind::menu);
  EXPECT_EQ(menu.duration, 8);
  ASSERT_EQ(menu.options.size(), 3u);
  EXPECT_EQ(menu.options[0].digit, '1');
  EXPECT_EQ(menu.options[0].next, 4);
  EXPECT_EQ(menu.options[1].digit, '2');
  EXPECT_EQ(menu.options[1].next, 3);
  EXPECT_EQ(menu.options[2].digit, '#');
  EXPECT_EQ(menu.options[2].next, 7);
  EXPECT_EQ(menu.timeout, 7);
  EXPECT_EQ(menu.retries, 3);
  EXPECT_EQ(menu.on_fail, 4);
  const IvrNode& bot = s.ivr[3];
  EXPECT_EQ(bot.kind, IvrKind::self_service);
  EXPECT_EQ(bot.service_time.kind, DistKind::lognormal);
  EXPECT_EQ(bot.service_time.mean, 90);
  EXPECT_EQ(bot.service_time.sd, 40);
  EXPECT_EQ(bot.success_probability, 0.6);
  EXPECT_EQ(bot.on_fail, 6);
  EXPECT_EQ(bot.next, 8);
  EXPECT_EQ(s.ivr[4].kind, IvrKind::queue);
  EXPECT_EQ(s.ivr[4].queue, 0);
  EXPECT_EQ(s.ivr[4].priority, kNone);
  EXPECT_EQ(s.ivr[5].queue, 0);
  EXPECT_EQ(s.ivr[5].priority, 1);
  EXPECT_EQ(s.ivr[6].queue, 2);
  EXPECT_EQ(s.ivr[7].kind, IvrKind::ticket);
  EXPECT_EQ(s.ivr[7].category, 0);
  EXPECT_EQ(s.ivr[7].next, 8);
  EXPECT_EQ(s.ivr[8].kind, IvrKind::hangup);
  EXPECT_EQ(s.ivr[8].id, "bye");
}

TEST(ScenarioFields, Tickets) {
  const Scenario s = full();
  ASSERT_EQ(s.ticket_categories.size(), 2u);
  EXPECT_EQ(s.ticket_categories[0].name, "dispute");
  EXPECT_EQ(s.ticket_categories[0].owner_group, 1);
  EXPECT_EQ(s.ticket_categories[0].sla, 8 * 3600);
  EXPECT_EQ(s.ticket_categories[0].work_time.kind, DistKind::exponential);
  EXPECT_EQ(s.ticket_categories[0].work_time.mean, 4 * 3600);
  EXPECT_EQ(s.ticket_categories[1].owner_group, 0);
  EXPECT_EQ(s.ticket_categories[1].sla, 86400);
  EXPECT_EQ(s.ticket_categories[1].work_time.kind, DistKind::gamma);
  EXPECT_EQ(s.ticket_categories[1].work_time.mean, 3600);
  EXPECT_EQ(s.ticket_categories[1].work_time.sd, 1200);
}

TEST(ScenarioFields, CallTypes) {
  const Scenario s = full();
  ASSERT_EQ(s.call_types.size(), 3u);
  const CallType& billing = s.call_types[0];
  EXPECT_EQ(billing.name, "billing");
  EXPECT_EQ(billing.arrivals.kind, ArrivalKind::poisson);
  EXPECT_EQ(billing.arrivals.rate_per_hour, std::vector<double>{120});
  EXPECT_EQ(billing.arrivals.scale, 1.5);
  EXPECT_EQ(billing.patience.kind, DistKind::exponential);
  EXPECT_EQ(billing.patience.mean, 180);
  EXPECT_EQ(billing.handle_time.mean, 240);
  EXPECT_EQ(billing.entry_queue, 0);
  EXPECT_EQ(billing.entry_node, kNone);
  EXPECT_EQ(billing.priority, 1);
  ASSERT_EQ(billing.tags.size(), 2u);
  EXPECT_EQ(billing.tags[0].tag, 0);
  EXPECT_EQ(billing.tags[0].probability, 0.1);
  EXPECT_EQ(billing.tags[1].tag, 1);
  EXPECT_EQ(billing.tags[1].probability, 0.05);
  EXPECT_EQ(billing.redial.probability, 0.3);
  EXPECT_EQ(billing.redial.delay.kind, DistKind::exponential);
  EXPECT_EQ(billing.redial.delay.mean, 600);
  EXPECT_EQ(billing.callback_accept, 0.5);
  ASSERT_EQ(billing.dispositions.size(), 2u);
  EXPECT_EQ(billing.dispositions[0].category, 0);
  EXPECT_EQ(billing.dispositions[0].probability, 0.1);
  EXPECT_EQ(billing.dispositions[1].category, 1);
  EXPECT_EQ(billing.dispositions[1].probability, 0.05);

  const CallType& service = s.call_types[1];
  EXPECT_EQ(service.arrivals.kind, ArrivalKind::poisson_gamma);
  EXPECT_EQ(service.arrivals.rate_per_hour, (std::vector<double>{100, 0}));
  EXPECT_EQ(service.arrivals.busyness_shape, 20);
  EXPECT_EQ(service.arrivals.scale, 1);
  EXPECT_EQ(service.handle_time.kind, DistKind::lognormal);
  EXPECT_EQ(service.handle_time.mean, 300);
  EXPECT_EQ(service.handle_time.sd, 120);
  EXPECT_EQ(service.entry_queue, kNone);
  EXPECT_EQ(service.entry_node, 0);
  EXPECT_EQ(service.priority, 0);
  ASSERT_EQ(service.menus.size(), 1u);
  EXPECT_EQ(service.menus[0].node, 2);
  const auto& choices = service.menus[0].choices;
  ASSERT_EQ(choices.size(), 5u);
  EXPECT_EQ(choices[0].digit, '1');
  EXPECT_EQ(choices[0].probability, 0.6);
  EXPECT_EQ(choices[1].digit, '2');
  EXPECT_EQ(choices[2].digit, '#');
  EXPECT_EQ(choices[3].digit, 0);    // timeout
  EXPECT_EQ(choices[4].digit, '?');  // invalid
  EXPECT_EQ(choices[4].probability, 0.05);
  EXPECT_EQ(service.menu_response.kind, DistKind::constant);
  EXPECT_EQ(service.menu_response.value, 1.5);

  const CallType& sipp = s.call_types[2];
  EXPECT_EQ(sipp.arrivals.kind, ArrivalKind::deterministic);
  EXPECT_EQ(sipp.arrivals.rate_per_hour, std::vector<double>{3600});
  EXPECT_EQ(sipp.handle_time.kind, DistKind::constant);
  EXPECT_EQ(sipp.handle_time.value, 90);
  EXPECT_EQ(sipp.patience.kind, DistKind::none);
  EXPECT_EQ(sipp.entry_queue, 1);
}

TEST(ScenarioFields, Defaults) {
  const Scenario s = parse_scenario(kMinimal, "minimal.yaml", "/base");
  EXPECT_EQ(s.description, "");
  EXPECT_EQ(s.source, "minimal.yaml");
  EXPECT_EQ(s.platform, "");
  EXPECT_EQ(s.horizon.start_clock, 0);
  EXPECT_EQ(s.horizon.interval, 900);
  EXPECT_EQ(s.horizon.warmup, 0);
  EXPECT_EQ(s.targets.answer_within, 20);
  EXPECT_EQ(s.targets.short_abandon, 5);
  EXPECT_EQ(s.targets.target_sl, 0.8);
  EXPECT_TRUE(s.tags.empty());
  ASSERT_EQ(s.priorities.size(), 1u);
  EXPECT_EQ(s.priorities[0].name, "normal");
  EXPECT_EQ(s.priorities[0].head_start, 0);
  EXPECT_EQ(s.priorities[0].weight, 1);

  const AgentGroup& g = s.groups[0];
  EXPECT_EQ(g.skills[0].level, 1);
  EXPECT_EQ(g.answer_delay.kind, DistKind::none);
  EXPECT_EQ(g.no_answer_probability, 0);
  EXPECT_EQ(g.ring_timeout, 20);
  EXPECT_EQ(g.no_answer_pause, 60);
  EXPECT_EQ(g.wrap_up.kind, DistKind::none);

  const Queue& q = s.queues[0];
  EXPECT_EQ(q.routing, RoutingPolicy::longest_idle);
  EXPECT_EQ(q.max_length, -1);
  EXPECT_EQ(q.when_full_queue, kNone);
  EXPECT_TRUE(q.overflow.empty());
  EXPECT_FALSE(q.callback.enabled);
  EXPECT_TRUE(q.hours.always);
  EXPECT_EQ(q.when_closed_queue, kNone);

  const IvrNode& menu = s.ivr[0];
  EXPECT_EQ(menu.duration, 0);
  EXPECT_EQ(menu.timeout, 5);
  EXPECT_EQ(menu.retries, 2);
  EXPECT_EQ(s.ivr[1].next, kNone);  // self-service success: contained
  EXPECT_EQ(s.ivr[2].priority, kNone);  // the caller keeps its priority
  EXPECT_EQ(s.ticket_categories[0].sla, 86400);
  EXPECT_EQ(s.ticket_categories[0].work_time.kind, DistKind::constant);
  EXPECT_EQ(s.ticket_categories[0].work_time.value, 3600);

  const CallType& t = s.call_types[0];
  EXPECT_EQ(t.arrivals.scale, 1);
  EXPECT_EQ(t.patience.kind, DistKind::none);
  EXPECT_EQ(t.priority, 0);
  EXPECT_TRUE(t.tags.empty());
  EXPECT_EQ(t.redial.probability, 0);
  EXPECT_TRUE(t.menus.empty());
  EXPECT_EQ(t.menu_response.kind, DistKind::constant);
  EXPECT_EQ(t.menu_response.value, 2);
  EXPECT_EQ(t.callback_accept, 0);
  EXPECT_TRUE(t.dispositions.empty());
}

TEST(ScenarioFields, DurationUnitsAndClockForms) {
  auto handle = [](const std::string& value) {
    std::string text = kMinimal;
    text.replace(text.find("mean: 4m"), 8, "mean: " + value);
    return parse_scenario(text, "t.yaml", ".").call_types[0].handle_time.mean;
  };
  EXPECT_DOUBLE_EQ(handle("250ms"), 0.25);
  EXPECT_DOUBLE_EQ(handle("20s"), 20);
  EXPECT_DOUBLE_EQ(handle("5m"), 300);
  EXPECT_DOUBLE_EQ(handle("5min"), 300);
  EXPECT_DOUBLE_EQ(handle("1.5h"), 5400);
  EXPECT_DOUBLE_EQ(handle("1d"), 86400);
  EXPECT_DOUBLE_EQ(handle("42"), 42);
  EXPECT_DOUBLE_EQ(handle("0.5"), 0.5);
  auto start = [](const std::string& value) {
    std::string text = kMinimal;
    text.replace(text.find("{length: 2h}"), 12, "{length: 2h, start: \"" + value + "\"}");
    return parse_scenario(text, "t.yaml", ".").horizon.start_clock;
  };
  EXPECT_EQ(start("07:30"), 27000);
  EXPECT_EQ(start("7:30"), 27000);
  EXPECT_EQ(start("23:59:59"), 86399);
  EXPECT_EQ(start("00:00"), 0);
  for (const char* bad : {"7:3", "07:60", "25:00", "07:30pm", "-1:00", "07:30:5", "0730", "7.5h"})
    EXPECT_THROW(start(bad), InputError) << bad;
}

TEST(ScenarioFields, ShippedExampleScenariosLoad) {
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_dir() / "scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    try {
      const Scenario s = load_scenario(entry.path().string());
      EXPECT_FALSE(s.name.empty()) << entry.path();
      ++loaded;
    } catch (const InputError& e) {
      ADD_FAILURE() << entry.path() << ": " << e.what();
    }
  }
  EXPECT_GE(loaded, 5);
}
