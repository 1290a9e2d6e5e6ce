#include "core/tickets.hpp"

#include <string>

namespace switchboard {

TicketId TicketBook::open(double now, int category, int interval) {
  TicketId id;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    id = static_cast<TicketId>(tickets_.size());
    tickets_.emplace_back();
  }
  const TicketCategory& c = scenario_.ticket_categories[category];
  tickets_[id] = Ticket{TicketState::open, category, c.owner_group, interval, now, now + c.sla, 0};
  ++open_;
  return id;
}

Ticket& TicketBook::at(TicketId id, TicketState expected) {
  if (id >= tickets_.size() || tickets_[id].state != expected)
    throw std::logic_error("ticket " + std::to_string(id) + " is not in the state this transition needs");
  return tickets_[id];
}

void TicketBook::assign(TicketId id) { at(id, TicketState::open).state = TicketState::assigned; }
void TicketBook::start(TicketId id) { at(id, TicketState::assigned).state = TicketState::in_progress; }

void TicketBook::resolve(double now, TicketId id) {
  Ticket& t = at(id, TicketState::in_progress);
  t.state = TicketState::resolved;
  t.resolved = now;
  if (t.interval >= 0) {
    ++resolved_;
    if (now <= t.due) ++within_sla_;
  }
}

void TicketBook::close(TicketId id) {
  at(id, TicketState::resolved).state = TicketState::closed;
  --open_;
  tickets_[id].state = TicketState::free;
  free_.push_back(id);
}

}  // namespace switchboard
