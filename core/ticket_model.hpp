// A ticket as a work order: who it is for, what it is about, who owns it,
// where it stands, when it is due, and every change made to it. The one
// definition the store, the CLI and (later) the API and the simulator's back
// office share. Pure: no I/O, no clock — every operation takes the time.
//
// Times are seconds on whatever clock the caller uses (Unix seconds for the
// store and the CLI, seconds on the horizon for a simulation).
//
// Lifecycle (docs/tickets.md):
//   new -> assigned -> in_progress -> waiting_for_customer -> resolved -> closed
//   waiting_for_customer -> in_progress      (the customer answered)
//   in_progress -> resolved                  (solved without asking)
//   resolved | closed -> in_progress         (reopen)
//   new | assigned | in_progress | waiting_for_customer -> cancelled
// Entering `assigned` needs an agent (assign()); escalation may send an
// assigned ticket back to `new` in its senior group (ticket_rules.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::ticketing {

enum class Status : std::uint8_t { fresh, assigned, in_progress, waiting_for_customer, resolved, closed, cancelled };
inline constexpr int kStatusCount = 7;

// "new", "assigned", ... (the names the CLI, the store and the docs use).
std::string_view status_name(Status s);
std::optional<Status> parse_status(std::string_view name);
// "new, assigned, in_progress, ..." for error messages.
std::string status_list();

// States a ticket may move to from `from` by move()/assign(), in lifecycle order.
std::vector<Status> allowed_moves(Status from);
bool is_open(Status s);  // not resolved, closed or cancelled: still work to do

inline constexpr int kLowestPriority = 1;
inline constexpr int kHighestPriority = 5;

// One change: who made it, when, which field went from what to what, and why.
struct Change {
  std::string who;
  double at = 0;
  std::string field;   // "created", "state", "group", "agent", "priority", "note"
  std::string from;
  std::string to;
  std::string note;

  bool operator==(const Change&) const = default;
};

struct Ticket {
  std::int64_t id = 0;           // 0 until a store gives it one
  std::int64_t version = 0;      // bumped by the store on every write (optimistic concurrency)
  std::string customer;          // caller number or customer id
  std::string category;
  int priority = 3;              // 1 (lowest) .. 5 (highest)
  std::vector<std::string> tags;
  std::vector<std::string> calls;  // linked call ids (CDR ids)
  std::string group;             // owning agent group
  std::string agent;             // owning agent; empty while the group's queue holds it
  Status status = Status::fresh;
  bool escalated = false;
  double created = 0;
  double first_response_due = 0;
  double resolution_due = 0;
  std::optional<double> first_response;  // when work first started (in_progress)
  std::optional<double> resolved;        // last time it entered `resolved`
  std::vector<Change> history;

  bool has_tag(std::string_view tag) const;
  bool operator==(const Ticket&) const = default;
};

// A request the model refuses, naming the field at fault and what it expected
// (the CLI turns it into exit 2, the API into a 4xx naming the field).
class TicketError : public std::runtime_error {
 public:
  TicketError(std::string field, const std::string& message);
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// Refuses (TicketError on `field`) text that is not well-formed UTF-8: the
// store keeps it as text and JSON (the API, --format json) can only spell
// UTF-8.
void check_text(const std::string& field, std::string_view text);

// Moves `t` to `to`, checking the state it leaves; records the change.
// Refuses (TicketError on field "state") a move the lifecycle does not allow,
// naming the allowed ones, and a move to `assigned` (use assign()).
void move(Ticket& t, Status to, double now, const std::string& who, const std::string& note = "");

// Gives `t` to `agent` (non-empty): from new it becomes assigned; an assigned
// ticket is handed over to another agent. Other states are refused.
void assign(Ticket& t, const std::string& agent, double now, const std::string& who, const std::string& note = "");

// A note in the history; any state, `text` non-empty.
void add_note(Ticket& t, const std::string& text, double now, const std::string& who);

// Links a call to the ticket (once; linking the same call again changes nothing).
void link_call(Ticket& t, const std::string& call_id, double now, const std::string& who);

// Past its resolution due time and not resolved/closed/cancelled.
bool breaching_resolution(const Ticket& t, double now);
// Past its first-response due time without a first response, still open.
bool breaching_first_response(const Ticket& t, double now);
// Resolved (last time) no later than its resolution due time.
bool resolved_within_sla(const Ticket& t);

}  // namespace switchboard::ticketing
