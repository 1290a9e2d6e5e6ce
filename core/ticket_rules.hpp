// The rules that act on tickets on their own: opening (priority, owning group
// and due times from the category), assignment (category + tags -> group;
// least-loaded agent with the skill in the group) and escalation (past the
// first-response due time, or a tag such as `complaint`: priority raised,
// moved to the senior group). Plain data built from the scenario
// (rules_from), so a test or a server can build them directly. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/scenario.hpp"
#include "core/ticket_model.hpp"

namespace switchboard::ticketing {

// A ticket carrying every one of `tags` goes to `group` (empty: the
// category's) with its priority raised by `raise_priority`.
struct Route {
  std::vector<std::string> tags;
  std::string group;
  int raise_priority = 0;
};

struct CategoryRules {
  std::string name;
  std::string group;                 // owning group
  std::string senior_group;          // escalated tickets go here (empty: the owning group)
  std::string skill;                 // an owner needs this skill (empty: any agent of the group)
  int priority = 3;
  double first_response = 86400;     // seconds after creation
  double resolution = 86400;         // seconds after creation
  std::vector<Route> routes;         // first match wins
  std::vector<std::string> escalate_tags = {"complaint"};
};

struct Rules {
  std::vector<CategoryRules> categories;
  const CategoryRules* find(const std::string& category) const;
};

// The scenario's ticket categories as rules (names instead of indices).
Rules rules_from(const Scenario& scenario);

struct OpenRequest {
  std::string customer;
  std::string category;
  std::vector<std::string> tags;
  std::vector<std::string> calls;
  std::string note;                  // optional: recorded with the creation
};

// A new ticket (id 0, version 0: the store numbers it). Refuses an unknown
// category (naming the known ones), an empty customer, an empty tag or call
// id. A ticket with an escalation tag is escalated at once.
Ticket open(const Rules& rules, const OpenRequest& request, double now, const std::string& who);

// An agent who may own tickets, with the number of open tickets it owns now.
struct AgentCandidate {
  std::string name;
  std::string group;
  std::vector<std::string> skills;
  int open_tickets = 0;
};

// The least-loaded candidate of the ticket's group with the category's skill;
// ties go to the first name in alphabetical order so the choice is
// reproducible. nullopt: nobody fits, the ticket waits in its group's queue.
std::optional<std::string> pick_agent(const Rules& rules, const Ticket& t, const std::vector<AgentCandidate>& agents);

// The scenario's SIP agent logins as candidates (skills from their group),
// each with its count from `open_tickets_of` (agent name -> open tickets).
template <typename OpenTicketsOf>
std::vector<AgentCandidate> candidates_from(const Scenario& s, OpenTicketsOf open_tickets_of) {
  std::vector<AgentCandidate> out;
  for (const AgentLogin& login : s.agent_logins) {
    AgentCandidate c{login.user, s.groups[login.group].name, {}, open_tickets_of(login.user)};
    for (const SkillLevel& sl : s.groups[login.group].skills) c.skills.push_back(s.skills[sl.skill]);
    out.push_back(std::move(c));
  }
  return out;
}

// Escalates `t` if it is still open, not escalated yet and past its
// first-response due time with no first response. Returns whether it did.
bool escalate_if_due(Ticket& t, const Rules& rules, double now, const std::string& who = "system");

// Escalates `t` now: priority up one (at most the highest), escalated set,
// moved to the senior group (if it differs: the agent is cleared and an
// assigned ticket goes back to new, to be picked from the senior group).
// Refuses a ticket that is not new or assigned, or already escalated.
void escalate(Ticket& t, const Rules& rules, double now, const std::string& who, const std::string& reason);

}  // namespace switchboard::ticketing
