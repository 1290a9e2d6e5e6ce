#include "core/ticket_rules.hpp"

#include <algorithm>

namespace switchboard::ticketing {

namespace {

const CategoryRules& category_of(const Rules& rules, const Ticket& t) {
  const CategoryRules* c = rules.find(t.category);
  if (!c) throw TicketError("category", "ticket " + std::to_string(t.id) + " has category '" + t.category +
                                            "', which the rules do not know");
  return *c;
}

bool has_all(const std::vector<std::string>& tags, const std::vector<std::string>& needed) {
  return std::all_of(needed.begin(), needed.end(),
                     [&](const std::string& n) { return std::find(tags.begin(), tags.end(), n) != tags.end(); });
}

std::string known_categories(const Rules& rules) {
  std::string out;
  for (const CategoryRules& c : rules.categories) out += (out.empty() ? "" : ", ") + c.name;
  return out.empty() ? "none: the scenario has no ticket categories" : "known: " + out;
}

}  // namespace

const CategoryRules* Rules::find(const std::string& category) const {
  for (const CategoryRules& c : categories)
    if (c.name == category) return &c;
  return nullptr;
}

Rules rules_from(const Scenario& s) {
  Rules rules;
  auto group_name = [&](int g) { return g == kNone ? std::string() : s.groups[g].name; };
  for (const TicketCategory& tc : s.ticket_categories) {
    CategoryRules c;
    c.name = tc.name;
    c.group = group_name(tc.owner_group);
    c.senior_group = group_name(tc.senior_group);
    c.skill = tc.skill == kNone ? std::string() : s.skills[tc.skill];
    c.priority = tc.priority;
    c.resolution = tc.sla;
    c.first_response = tc.first_response < 0 ? tc.sla : tc.first_response;
    for (const TicketRoute& r : tc.routes) c.routes.push_back(Route{r.tags, group_name(r.group), r.raise_priority});
    c.escalate_tags = tc.escalate_tags;
    rules.categories.push_back(std::move(c));
  }
  return rules;
}

Ticket open(const Rules& rules, const OpenRequest& request, double now, const std::string& who) {
  if (who.empty()) throw TicketError("who", "expected who opens the ticket (a user or agent name)");
  check_text("who", who);
  if (request.customer.empty()) throw TicketError("customer", "expected the customer (caller number or customer id)");
  check_text("customer", request.customer);
  const CategoryRules* c = rules.find(request.category);
  if (!c) throw TicketError("category", "unknown ticket category '" + request.category + "' (" + known_categories(rules) + ")");
  Ticket t;
  t.customer = request.customer;
  t.category = c->name;
  for (const std::string& tag : request.tags) {
    if (tag.empty()) throw TicketError("tags", "expected non-empty tags");
    check_text("tags", tag);
    if (!t.has_tag(tag)) t.tags.push_back(tag);  // a tag given twice is one tag
  }
  for (const std::string& call : request.calls) {
    if (call.empty()) throw TicketError("calls", "expected non-empty call ids");
    check_text("calls", call);
    if (std::find(t.calls.begin(), t.calls.end(), call) == t.calls.end()) t.calls.push_back(call);
  }
  t.group = c->group;
  t.priority = c->priority;
  for (const Route& r : c->routes) {
    if (!has_all(t.tags, r.tags)) continue;
    if (!r.group.empty()) t.group = r.group;
    t.priority = std::min(kHighestPriority, t.priority + r.raise_priority);
    break;
  }
  t.status = Status::fresh;
  t.created = now;
  t.first_response_due = now + c->first_response;
  t.resolution_due = now + c->resolution;
  t.history.push_back(Change{who, now, "created", "", std::string(status_name(Status::fresh)), request.note});
  for (const std::string& tag : c->escalate_tags)
    if (t.has_tag(tag)) {
      escalate(t, rules, now, who, "tag " + tag);
      break;
    }
  return t;
}

std::optional<std::string> pick_agent(const Rules& rules, const Ticket& t, const std::vector<AgentCandidate>& agents) {
  const CategoryRules& c = category_of(rules, t);
  const AgentCandidate* best = nullptr;
  for (const AgentCandidate& a : agents) {
    if (a.group != t.group) continue;
    if (!c.skill.empty() && std::find(a.skills.begin(), a.skills.end(), c.skill) == a.skills.end()) continue;
    if (!best || a.open_tickets < best->open_tickets || (a.open_tickets == best->open_tickets && a.name < best->name))
      best = &a;
  }
  if (!best) return std::nullopt;
  return best->name;
}

bool escalate_if_due(Ticket& t, const Rules& rules, double now, const std::string& who) {
  if (t.escalated || !breaching_first_response(t, now)) return false;
  if (t.status != Status::fresh && t.status != Status::assigned) return false;
  escalate(t, rules, now, who, "first response overdue");
  return true;
}

void escalate(Ticket& t, const Rules& rules, double now, const std::string& who, const std::string& reason) {
  if (who.empty()) throw TicketError("who", "expected who escalates the ticket");
  check_text("who", who);
  check_text("note", reason);
  if (t.escalated) throw TicketError("escalated", "ticket " + std::to_string(t.id) + " is already escalated");
  if (t.status != Status::fresh && t.status != Status::assigned)
    throw TicketError("state", "ticket " + std::to_string(t.id) + " is " + std::string(status_name(t.status)) +
                                   ": only new or assigned tickets are escalated (work on it has started)");
  const CategoryRules& c = category_of(rules, t);
  t.escalated = true;
  const int raised = std::min(kHighestPriority, t.priority + 1);
  if (raised != t.priority) {
    t.history.push_back(Change{who, now, "priority", std::to_string(t.priority), std::to_string(raised), reason});
    t.priority = raised;
  }
  const std::string& senior = c.senior_group.empty() ? t.group : c.senior_group;
  if (senior != t.group) {
    t.history.push_back(Change{who, now, "group", t.group, senior, reason});
    t.group = senior;
    if (!t.agent.empty()) {
      t.history.push_back(Change{who, now, "agent", t.agent, "", reason});
      t.agent.clear();
    }
    if (t.status == Status::assigned) {
      t.history.push_back(Change{who, now, "state", std::string(status_name(Status::assigned)),
                                 std::string(status_name(Status::fresh)), reason});
      t.status = Status::fresh;
    }
  }
  t.history.push_back(Change{who, now, "escalated", "false", "true", reason});
}

}  // namespace switchboard::ticketing
