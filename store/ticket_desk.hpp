// What people and programs ask of the ticket store, as one step each: the
// model's rules (core/ticket_rules.hpp) applied to stored tickets, every
// change written in one transaction with optimistic concurrency. The CLI
// (`switchboard tickets`) calls these; the HTTP API is to call the same.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ticket_rules.hpp"
#include "store/ticket_store.hpp"

namespace switchboard::store {

class TicketDesk {
 public:
  // `agents`: who may own tickets (their open_tickets counts are ignored:
  // the store's counts are used at each assignment).
  TicketDesk(TicketStore& store, ticketing::Rules rules, std::vector<ticketing::AgentCandidate> agents);

  // Opens a ticket by the rules and gives it to the least-loaded agent of
  // its group with the skill (if there is one; else it waits in the group).
  ticketing::Ticket create(const ticketing::OpenRequest& request, double now, const std::string& who);

  // Throws what create() would for `request` (TicketError), storing nothing.
  void check(const ticketing::OpenRequest& request, double now, const std::string& who) const;

  struct Creation {
    ticketing::OpenRequest request;
    double now = 0;
    std::string who;
  };
  // Several at once, stored in one transaction; each is assigned as if they
  // came one after the other (an agent given one counts it for the next).
  // A request the rules refuse throws before anything is stored.
  std::vector<ticketing::Ticket> create_all(const std::vector<Creation>& creations);

  // Moves ticket `id` to `to`. For `assigned`, `agent` names the agent, or
  // empty picks the least-loaded one (TicketError on "agent" if none fits).
  // `expected_version`: refuse (StaleVersion) unless the stored version is
  // this one. NoSuchTicket if there is no such ticket.
  ticketing::Ticket move(std::int64_t id, ticketing::Status to, const std::string& agent, double now,
                         const std::string& who, const std::string& note,
                         std::optional<std::int64_t> expected_version = std::nullopt);

  ticketing::Ticket note(std::int64_t id, const std::string& text, double now, const std::string& who,
                         std::optional<std::int64_t> expected_version = std::nullopt);

  // Escalates every open ticket past its first-response due time (once
  // each) and re-assigns it in its senior group. Returns the tickets escalated.
  std::vector<std::int64_t> escalate_overdue(double now, const std::string& who);

 private:
  ticketing::Ticket read(std::int64_t id, std::optional<std::int64_t> expected_version);
  std::optional<std::string> least_loaded(const ticketing::Ticket& t);
  std::optional<std::string> least_loaded(const ticketing::Ticket& t, const std::map<std::string, int>& load) const;

  TicketStore& store_;
  ticketing::Rules rules_;
  std::vector<ticketing::AgentCandidate> agents_;
};

}  // namespace switchboard::store
