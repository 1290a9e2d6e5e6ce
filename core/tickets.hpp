// Tickets: work orders opened by the IVR or by an agent's after-call
// disposition, owned by a category's agent group, with an SLA due time.
// Lifecycle: open -> assigned -> in_progress -> resolved -> closed. Kept in
// memory; a closed ticket's slot is reused, so memory follows open tickets.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "core/driver.hpp"
#include "core/scenario.hpp"

namespace switchboard {

enum class TicketState : std::uint8_t { free, open, assigned, in_progress, resolved, closed };

struct Ticket {
  TicketState state = TicketState::free;
  int category = kNone;
  int owner_group = kNone;
  int interval = -1;       // creation interval (-1: warm-up, not counted)
  double created = 0;
  double due = 0;          // created + SLA
  double resolved = 0;
};

class TicketBook {
 public:
  explicit TicketBook(const Scenario& scenario) : scenario_(scenario) {}

  TicketId open(double now, int category, int interval);
  // Each transition checks the ticket is in the state before it.
  void assign(TicketId id);
  void start(TicketId id);
  void resolve(double now, TicketId id);
  void close(TicketId id);

  const Ticket& operator[](TicketId id) const { return tickets_[id]; }
  std::size_t open_count() const { return open_; }
  double resolved_count() const { return resolved_; }
  double resolved_within_sla() const { return within_sla_; }

 private:
  Ticket& at(TicketId id, TicketState expected);
  const Scenario& scenario_;
  std::vector<Ticket> tickets_;
  std::vector<TicketId> free_;
  std::size_t open_ = 0;
  double resolved_ = 0;     // counted tickets only
  double within_sla_ = 0;
};

}  // namespace switchboard
