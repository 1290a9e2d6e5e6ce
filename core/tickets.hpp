// Tickets opened by the IVR or by an agent's after-call disposition.
//
// Without a back office in the scenario a ticket is a delay: it is worked at
// once (open -> assigned -> in_progress), resolved when the driver says the
// drawn back-office time is over, and closed. Memory follows open tickets.
//
// With a back office (Scenario::back_office) each ticket is a work order of
// the one ticket model (core/ticket_model.hpp, core/ticket_rules.hpp): opened
// by the category's rules (routes by tag, priority, due times, escalation
// tags), it waits in its group's queue until one of the group's workers on
// duty takes it (highest priority first, then the oldest), is worked for the
// drawn time (Driver::ticket_opened .. CallCenter::on_ticket_resolved), then
// resolved and closed. A ticket still waiting at its first-response due time
// is escalated to the senior group; one still unresolved at its resolution
// due time counts as breached. The KPIs are those of core/kpi.hpp's
// TicketKpi table (docs/tickets.md, "The back office in the simulator").
#pragma once

#include <cstdint>
#include <queue>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/driver.hpp"
#include "core/kpi.hpp"
#include "core/scenario.hpp"
#include "core/ticket_rules.hpp"

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
  TicketBook(const Scenario& scenario, Driver& driver);

  bool has_back_office() const { return !groups_.empty(); }

  // Opens a ticket for a call of `interval` whose caller carries `tags`
  // (a bit per scenario tag) and starts its work (at once without a back
  // office; when a worker is free with one).
  TicketId open(double now, int category, int interval, std::uint32_t tags);
  // The driver's back-office time for the ticket is over.
  void work_done(double now, TicketId id);
  // A ticket's due-time timer (TimerKind::ticket_first_response / ticket_resolution).
  void on_timer(double now, TimerRef ref);
  // Interval `index` starts at `now` (index == intervals: the horizon ends);
  // -1 for the warm-up. Back-office workers follow the interval's staffing.
  void on_interval(double now, int index);
  // The back office's KPIs up to `now` into the report (nothing without one).
  void report(double now, KpiReport& r);

  const Ticket& operator[](TicketId id) const { return tickets_[id]; }
  std::size_t open_count() const { return open_; }
  double resolved_count() const { return resolved_; }
  double resolved_within_sla() const { return within_sla_; }
  // The work order behind ticket `id` (back office only).
  const ticketing::Ticket& work_order(TicketId id) const { return orders_[id].model; }

 private:
  // The plain delay's transitions; each checks the ticket is in the state before it.
  Ticket& at(TicketId id, TicketState expected);
  TicketId allocate();
  void release(TicketId id);

  // ---- the back office ----
  struct Waiting {
    int priority = 0;
    double created = 0;
    TicketId id = 0;
    std::uint32_t token = 0;
    bool operator<(const Waiting& o) const {  // std::priority_queue's top is the largest: best first
      if (priority != o.priority) return priority < o.priority;
      if (created != o.created) return created > o.created;
      return id > o.id;
    }
  };
  struct Group {
    int agent_group = kNone;
    const BackOfficeGroup* spec = nullptr;
    std::vector<std::string> worker_names;  // "group/1" ..: the model's agent names
    std::vector<int> idle;                  // workers on duty, free
    std::vector<int> off;                   // workers off duty
    int busy = 0;
    int leaving = 0;                        // busy workers to go off duty when done
    std::priority_queue<Waiting> queue;     // entries whose token no longer matches are stale
    TicketCounters total;
    int unresolved = 0;
  };
  struct Order {
    ticketing::Ticket model;
    int category = kNone;
    int group = kNone;          // back-office group index
    int worker = -1;
    std::uint32_t token = 0;    // changes when the order is opened or closed: its due timers carry it
    std::uint32_t queued = 0;   // changes when it enters or leaves a queue: older entries are stale
  };

  int group_of(const std::string& agent_group_name) const;
  void enqueue(TicketId id);
  void serve_queue(double now, int g);
  void staff(double now, int g, int workers);
  void worker_free(double now, int g, int worker);
  int counted_interval(double now) const;
  // Adds to the counters of group g, of now's interval and of the total.
  template <class Update>
  void record(double now, int g, Update&& update);
  void integrate(double now);
  void backlog_changed(int g, int delta);

  const Scenario& scenario_;
  Driver& driver_;
  std::vector<Ticket> tickets_;
  std::vector<TicketId> free_;
  std::size_t open_ = 0;
  double resolved_ = 0;     // counted tickets only
  double within_sla_ = 0;

  ticketing::Rules rules_;
  std::vector<Group> groups_;
  std::vector<Order> orders_;           // parallel to tickets_
  std::vector<std::string> tag_names_;  // scenario tags, for the model's tag list
  std::vector<TicketCounters> interval_;
  TicketCounters total_;
  int unresolved_ = 0;
  int current_interval_ = -1;
  double since_ = 0;                    // last backlog integration
};

}  // namespace switchboard
