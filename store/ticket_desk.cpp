#include "store/ticket_desk.hpp"

#include <algorithm>

namespace switchboard::store {

using ticketing::Status;
using ticketing::Ticket;
using ticketing::TicketError;

TicketDesk::TicketDesk(TicketStore& store, ticketing::Rules rules, std::vector<ticketing::AgentCandidate> agents)
    : store_(store), rules_(std::move(rules)), agents_(std::move(agents)) {}

std::optional<std::string> TicketDesk::least_loaded(const Ticket& t) {
  return least_loaded(t, store_.open_tickets_by_agent());
}

std::optional<std::string> TicketDesk::least_loaded(const Ticket& t, const std::map<std::string, int>& load) const {
  std::vector<ticketing::AgentCandidate> now = agents_;
  for (auto& a : now) {
    const auto it = load.find(a.name);
    a.open_tickets = it == load.end() ? 0 : it->second;
  }
  return ticketing::pick_agent(rules_, t, now);
}

void TicketDesk::check(const ticketing::OpenRequest& request, double now, const std::string& who) const {
  ticketing::open(rules_, request, now, who);
}

Ticket TicketDesk::create(const ticketing::OpenRequest& request, double now, const std::string& who) {
  return create_all({Creation{request, now, who}}).at(0);
}

std::vector<Ticket> TicketDesk::create_all(const std::vector<Creation>& creations) {
  std::vector<Ticket> tickets;
  tickets.reserve(creations.size());
  for (const Creation& c : creations) tickets.push_back(ticketing::open(rules_, c.request, c.now, c.who));
  auto load = store_.open_tickets_by_agent();
  for (std::size_t i = 0; i < tickets.size(); ++i) {
    Ticket& t = tickets[i];
    if (const auto agent = least_loaded(t, load)) {
      ticketing::assign(t, *agent, creations[i].now, creations[i].who, "least-loaded agent of " + t.group);
      ++load[*agent];
    }
  }
  return store_.create_all(tickets);
}

Ticket TicketDesk::read(std::int64_t id, std::optional<std::int64_t> expected_version) {
  auto t = store_.get(id);
  if (!t) throw NoSuchTicket(id);
  if (expected_version && *expected_version != t->version) throw StaleVersion(id, *expected_version, t->version);
  return *t;
}

Ticket TicketDesk::move(std::int64_t id, Status to, const std::string& agent, double now, const std::string& who,
                        const std::string& note, std::optional<std::int64_t> expected_version) {
  Ticket t = read(id, expected_version);
  if (to != Status::assigned) {
    if (!agent.empty()) throw TicketError("agent", "an agent is only named when moving to assigned");
    ticketing::move(t, to, now, who, note);
    return store_.update(t);
  }
  std::string owner = agent;
  if (owner.empty()) {
    const auto picked = least_loaded(t);
    if (!picked)
      throw TicketError("agent", "no agent of group " + t.group + " can take ticket " + std::to_string(id) +
                                     " (none has the category's skill): name one");
    owner = *picked;
  } else {
    const auto known = std::find_if(agents_.begin(), agents_.end(), [&](const auto& a) { return a.name == owner; });
    if (!agents_.empty() && known == agents_.end())
      throw TicketError("agent", "unknown agent '" + owner + "' (not in the scenario's agent_logins)");
    if (known != agents_.end() && known->group != t.group)
      throw TicketError("agent", "agent " + owner + " works in group " + known->group + ", not in the ticket's group " +
                                     t.group);
  }
  ticketing::assign(t, owner, now, who, note);
  return store_.update(t);
}

Ticket TicketDesk::note(std::int64_t id, const std::string& text, double now, const std::string& who,
                        std::optional<std::int64_t> expected_version) {
  Ticket t = read(id, expected_version);
  ticketing::add_note(t, text, now, who);
  return store_.update(t);
}

std::vector<std::int64_t> TicketDesk::escalate_overdue(double now, const std::string& who) {
  std::vector<std::int64_t> done;
  TicketQuery q;
  q.open_only = true;
  q.with_history = true;
  q.limit = 500;
  for (;;) {
    const auto page = store_.list(q);
    for (Ticket t : page) {
      if (!rules_.find(t.category)) continue;  // a category the scenario no longer has: nobody to escalate to
      if (!ticketing::escalate_if_due(t, rules_, now, who)) continue;
      // Moved to another group: back to new there, so it is assigned again
      // (escalated within its own group, it keeps its agent).
      const auto agent = t.status == Status::fresh ? least_loaded(t) : std::nullopt;
      if (agent) ticketing::assign(t, *agent, now, who, "least-loaded agent of " + t.group);
      store_.update(t);
      done.push_back(t.id);
    }
    if (page.size() < static_cast<std::size_t>(q.limit)) break;
    q.after_id = page.back().id;
  }
  return done;
}

}  // namespace switchboard::store
