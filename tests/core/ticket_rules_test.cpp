// Opening, assignment and escalation rules, read from a scenario's ticket
// categories: priorities, routes by tags, due times, the least-loaded agent
// with the skill, escalation by overdue first response or by tag.
#include <gtest/gtest.h>

#include <map>

#include "core/input_error.hpp"
#include "io/scenario_loader.hpp"
#include "core/ticket_rules.hpp"

using namespace switchboard;
using namespace switchboard::ticketing;

namespace {

const char* kScenario = R"(name: back office
horizon: {length: 1h}
skills: [billing, repair, senior]
agent_groups:
  - {name: front, skills: [billing], agents: 5}
  - {name: back, skills: [billing, repair], agents: 2}
  - {name: seniors, skills: [billing, repair, senior], agents: 1}
  - {name: premium, skills: [repair], agents: 1}
queues:
  - {name: billing, skill: billing}
tickets:
  - {name: dispute, group: front, work_time: 4h}
  - name: repair
    group: back
    sla: 2d
    work_time: 1d
    first_response: 4h
    priority: 2
    skill: repair
    senior_group: seniors
    routes:
      - {tags: [vip, outage], group: premium, raise_priority: 2}
      - {tags: [vip], raise_priority: 1}
    escalate_tags: [complaint, legal]
agent_logins:
  - {user: ann, password: a, group: back}
  - {user: ben, password: b, group: back}
  - {user: sue, password: s, group: seniors}
  - {user: pam, password: p, group: premium}
  - {user: fay, password: f, group: front}
call_types:
  - name: calls
    arrivals: {process: poisson, rate: 60}
    handle_time: 4m
    entry: {queue: billing}
)";

Rules rules() { return rules_from(parse_scenario(kScenario, "s.yaml", ".")); }

Ticket repair(std::vector<std::string> tags = {}, double now = 1000) {
  return open(rules(), OpenRequest{"+4930555", "repair", std::move(tags), {"cdr-9"}, "no dial tone"}, now, "ivr");
}

std::vector<Problem> problems(const std::string& tickets_section) {
  std::string text = kScenario;
  const auto a = text.find("tickets:\n"), b = text.find("agent_logins:");
  text.replace(a, b - a, tickets_section);
  try {
    parse_scenario(text, "s.yaml", ".");
  } catch (const InputError& e) {
    return e.problems();
  }
  return {};
}

}  // namespace

TEST(TicketRules, FromTheScenarioWithDefaults) {
  const Rules r = rules();
  ASSERT_EQ(r.categories.size(), 2u);
  const CategoryRules& d = r.categories[0];
  EXPECT_EQ(d.name, "dispute");
  EXPECT_EQ(d.group, "front");
  EXPECT_EQ(d.senior_group, "");
  EXPECT_EQ(d.skill, "");
  EXPECT_EQ(d.priority, 3);
  EXPECT_EQ(d.resolution, 86400);
  EXPECT_EQ(d.first_response, 86400);  // defaults to the sla
  EXPECT_EQ(d.escalate_tags, std::vector<std::string>{"complaint"});
  EXPECT_TRUE(d.routes.empty());
  const CategoryRules& p = r.categories[1];
  EXPECT_EQ(p.group, "back");
  EXPECT_EQ(p.senior_group, "seniors");
  EXPECT_EQ(p.skill, "repair");
  EXPECT_EQ(p.priority, 2);
  EXPECT_EQ(p.resolution, 2 * 86400);
  EXPECT_EQ(p.first_response, 4 * 3600);
  ASSERT_EQ(p.routes.size(), 2u);
  EXPECT_EQ(p.routes[0].tags, (std::vector<std::string>{"vip", "outage"}));
  EXPECT_EQ(p.routes[0].group, "premium");
  EXPECT_EQ(p.routes[0].raise_priority, 2);
  EXPECT_EQ(p.routes[1].group, "");
  EXPECT_EQ(p.escalate_tags, (std::vector<std::string>{"complaint", "legal"}));
}

TEST(TicketRules, OpenFillsDueTimesGroupPriorityAndHistory) {
  const Ticket t = repair({"outage", "outage"});
  EXPECT_EQ(t.id, 0);
  EXPECT_EQ(t.status, Status::fresh);
  EXPECT_EQ(t.customer, "+4930555");
  EXPECT_EQ(t.group, "back");
  EXPECT_EQ(t.agent, "");
  EXPECT_EQ(t.priority, 2);
  EXPECT_EQ(t.tags, std::vector<std::string>{"outage"});  // one tag, given twice
  EXPECT_EQ(t.calls, std::vector<std::string>{"cdr-9"});
  EXPECT_EQ(t.created, 1000);
  EXPECT_EQ(t.first_response_due, 1000 + 4 * 3600);
  EXPECT_EQ(t.resolution_due, 1000 + 2 * 86400);
  EXPECT_FALSE(t.escalated);
  EXPECT_EQ(t.history, (std::vector<Change>{{"ivr", 1000, "created", "", "new", "no dial tone"}}));
}

TEST(TicketRules, RoutesByTagsFirstMatchWins) {
  EXPECT_EQ(repair({"vip"}).group, "back");
  EXPECT_EQ(repair({"vip"}).priority, 3);
  const Ticket both = repair({"outage", "vip"});  // order of tags does not matter
  EXPECT_EQ(both.group, "premium");
  EXPECT_EQ(both.priority, 4);
  EXPECT_EQ(repair({"outage"}).group, "back");
}

TEST(TicketRules, PriorityNeverPassesTheHighest) {
  Rules r = rules();
  r.categories[1].priority = 5;
  const Ticket t = open(r, OpenRequest{"c", "repair", {"vip", "outage"}, {}, ""}, 0, "ivr");
  EXPECT_EQ(t.priority, kHighestPriority);
}

TEST(TicketRules, OpenRefusesBadRequests) {
  const Rules r = rules();
  auto field_of = [&](OpenRequest q, std::string who = "ivr") {
    try {
      open(r, q, 0, who);
    } catch (const TicketError& e) {
      return std::string(e.field()) + "|" + e.what();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(field_of({"c", "refund", {}, {}, ""}),
            "category|category: unknown ticket category 'refund' (known: dispute, repair)");
  EXPECT_EQ(field_of({"", "repair", {}, {}, ""}).substr(0, 9), "customer|");
  EXPECT_EQ(field_of({"c", "repair", {""}, {}, ""}).substr(0, 5), "tags|");
  EXPECT_EQ(field_of({"c", "repair", {}, {""}, ""}).substr(0, 6), "calls|");
  EXPECT_EQ(field_of({"c", "repair", {}, {}, ""}, "").substr(0, 4), "who|");
}

TEST(TicketRules, LeastLoadedAgentWithTheSkillInTheGroup) {
  const Rules r = rules();
  const Scenario s = parse_scenario(kScenario, "s.yaml", ".");
  std::map<std::string, int> load = {{"ann", 3}, {"ben", 1}};
  auto agents = candidates_from(s, [&](const std::string& a) { return load.count(a) ? load[a] : 0; });
  ASSERT_EQ(agents.size(), 5u);
  EXPECT_EQ(agents[0].skills, (std::vector<std::string>{"billing", "repair"}));
  const Ticket t = repair();
  EXPECT_EQ(pick_agent(r, t, agents), "ben");
  load["ben"] = 3;  // a tie goes to the first name
  agents = candidates_from(s, [&](const std::string& a) { return load.count(a) ? load[a] : 0; });
  EXPECT_EQ(pick_agent(r, t, agents), "ann");
  // Without the category's skill an agent of the group is not a candidate.
  for (auto& a : agents)
    if (a.name == "ann") a.skills = {"billing"};
  EXPECT_EQ(pick_agent(r, t, agents), "ben");
  // Nobody in the group: the ticket waits in the group's queue.
  std::vector<AgentCandidate> others = {{"fay", "front", {"billing", "repair"}, 0}};
  EXPECT_EQ(pick_agent(r, t, others), std::nullopt);
  // A category without a skill takes any agent of its group.
  const Ticket d = open(r, OpenRequest{"c", "dispute", {}, {}, ""}, 0, "ivr");
  EXPECT_EQ(pick_agent(r, d, others), "fay");
}

TEST(TicketRules, EscalationByOverdueFirstResponse) {
  const Rules r = rules();
  Ticket t = repair();
  assign(t, "ann", 1100, "ops");
  const double due = t.first_response_due;
  EXPECT_FALSE(escalate_if_due(t, r, due));  // at the due time it is not late yet
  EXPECT_FALSE(t.escalated);
  EXPECT_TRUE(escalate_if_due(t, r, due + 1));
  EXPECT_TRUE(t.escalated);
  EXPECT_EQ(t.priority, 3);
  EXPECT_EQ(t.group, "seniors");
  EXPECT_EQ(t.agent, "");
  EXPECT_EQ(t.status, Status::fresh);  // back in the senior group's queue
  const std::vector<Change> tail(t.history.end() - 5, t.history.end());
  const std::string why = "first response overdue";
  EXPECT_EQ(tail, (std::vector<Change>{{"system", due + 1, "priority", "2", "3", why},
                                       {"system", due + 1, "group", "back", "seniors", why},
                                       {"system", due + 1, "agent", "ann", "", why},
                                       {"system", due + 1, "state", "assigned", "new", why},
                                       {"system", due + 1, "escalated", "false", "true", why}}));
  EXPECT_FALSE(escalate_if_due(t, r, due + 100));  // once only
  EXPECT_THROW(escalate(t, r, due + 100, "ops", "again"), TicketError);
}

TEST(TicketRules, NoEscalationOnceWorkStarted) {
  const Rules r = rules();
  Ticket t = repair();
  assign(t, "ann", 1100, "ops");
  move(t, Status::in_progress, 1200, "ann");
  const Ticket before = t;
  EXPECT_FALSE(escalate_if_due(t, r, 1e9));
  EXPECT_EQ(t, before);
  EXPECT_THROW(escalate(t, r, 1e9, "ops", "manual"), TicketError);
  EXPECT_EQ(t, before);
}

TEST(TicketRules, EscalationByTagAtOpen) {
  const Ticket t = repair({"legal"});
  EXPECT_TRUE(t.escalated);
  EXPECT_EQ(t.group, "seniors");
  EXPECT_EQ(t.priority, 3);
  EXPECT_EQ(t.status, Status::fresh);
  EXPECT_EQ(t.history.back(), (Change{"ivr", 1000, "escalated", "false", "true", "tag legal"}));
  // The default escalation tag, in a category without a senior group: the
  // priority rises, the group stays.
  const Ticket d = open(rules(), OpenRequest{"c", "dispute", {"complaint"}, {}, ""}, 5, "ivr");
  EXPECT_TRUE(d.escalated);
  EXPECT_EQ(d.group, "front");
  EXPECT_EQ(d.priority, 4);
  // Other tags do not escalate.
  EXPECT_FALSE(repair({"vip", "outage"}).escalated);
}

TEST(TicketRules, ScenarioFieldsAreChecked) {
  auto has = [](const std::vector<Problem>& ps, const std::string& field, const std::string& text) {
    for (const auto& p : ps)
      if (p.field == field && p.message.find(text) != std::string::npos) return true;
    std::string all;
    for (const auto& p : ps) all += " [" + p.format() + "]";
    ADD_FAILURE() << "no " << field << " ~ " << text << " in" << all;
    return false;
  };
  EXPECT_TRUE(has(problems("tickets:\n  - {name: r, group: back, work_time: 1h, priority: 6}\n"), "tickets[0].priority", ""));
  EXPECT_TRUE(has(problems("tickets:\n  - {name: r, group: back, work_time: 1h, skill: cooking}\n"), "tickets[0].skill",
                  "unknown skill 'cooking'"));
  EXPECT_TRUE(has(problems("tickets:\n  - {name: r, group: back, work_time: 1h, senior_group: boss}\n"),
                  "tickets[0].senior_group", "unknown agent group 'boss'"));
  EXPECT_TRUE(has(problems("tickets:\n  - {name: r, group: back, work_time: 1h, sla: 1h, first_response: 2h}\n"),
                  "tickets[0].first_response", "at most the category's sla"));
  EXPECT_TRUE(has(problems("tickets:\n  - {name: r, group: back, work_time: 1h, routes: [{tags: [vip]}]}\n"),
                  "tickets[0].routes[0]", "expected a group or raise_priority"));
  EXPECT_TRUE(has(problems("tickets:\n  - {name: r, group: back, work_time: 1h, routes: [{tags: [], group: back}]}\n"),
                  "tickets[0].routes[0].tags", "at least one tag"));
  EXPECT_TRUE(has(problems("tickets:\n  - {name: r, group: back, work_time: 1h, routes: [{tag: [vip], group: back}]}\n"),
                  "tickets[0].routes[0].tag", "unknown key 'tag'"));
  EXPECT_TRUE(has(problems("tickets:\n  - {name: r, group: back, work_time: 1h, escalate_tags: [\"\"]}\n"),
                  "tickets[0].escalate_tags[0]", "non-empty"));
  EXPECT_TRUE(problems("tickets:\n  - {name: r, group: back, work_time: 1h, escalate_tags: []}\n").empty());
}
