#include "core/ticket_model.hpp"

#include <algorithm>
#include <array>

#include "core/utf8.hpp"

namespace switchboard::ticketing {

namespace {

constexpr std::array<std::string_view, kStatusCount> kNames = {
    "new", "assigned", "in_progress", "waiting_for_customer", "resolved", "closed", "cancelled"};

using S = Status;

// The lifecycle as one table: for each state, where move()/assign() may go.
const std::vector<Status>& moves_from(Status from) {
  static const std::array<std::vector<Status>, kStatusCount> table = {{
      /* new */ {S::assigned, S::cancelled},
      /* assigned */ {S::assigned, S::in_progress, S::cancelled},
      /* in_progress */ {S::waiting_for_customer, S::resolved, S::cancelled},
      /* waiting_for_customer */ {S::in_progress, S::resolved, S::cancelled},
      /* resolved */ {S::closed, S::in_progress},
      /* closed */ {S::in_progress},
      /* cancelled */ {},
  }};
  return table[static_cast<int>(from)];
}

std::string names_of(const std::vector<Status>& states) {
  std::string out;
  for (Status s : states) {
    if (!out.empty()) out += ", ";
    out += status_name(s);
  }
  return out;
}

void record(Ticket& t, const std::string& who, double now, std::string field, std::string from, std::string to,
            std::string note) {
  t.history.push_back(Change{who, now, std::move(field), std::move(from), std::move(to), std::move(note)});
}

void check_who(const std::string& who) {
  if (who.empty()) throw TicketError("who", "expected who makes the change (a user or agent name)");
  check_text("who", who);
}

void check_allowed(const Ticket& t, Status to) {
  const auto& allowed = moves_from(t.status);
  if (std::find(allowed.begin(), allowed.end(), to) != allowed.end()) return;
  std::string msg = "ticket " + std::to_string(t.id) + " is " + std::string(status_name(t.status)) +
                    ": it cannot move to " + std::string(status_name(to));
  msg += allowed.empty() ? "; a cancelled ticket cannot move" : "; from " + std::string(status_name(t.status)) +
                                                                    " it can move to " + names_of(allowed);
  throw TicketError("state", msg);
}

}  // namespace

std::string_view status_name(Status s) { return kNames[static_cast<int>(s)]; }

std::optional<Status> parse_status(std::string_view name) {
  for (int i = 0; i < kStatusCount; ++i)
    if (kNames[i] == name) return static_cast<Status>(i);
  return std::nullopt;
}

std::string status_list() {
  std::string out;
  for (auto n : kNames) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::vector<Status> allowed_moves(Status from) { return moves_from(from); }

bool is_open(Status s) { return s != S::resolved && s != S::closed && s != S::cancelled; }

bool Ticket::has_tag(std::string_view tag) const { return std::find(tags.begin(), tags.end(), tag) != tags.end(); }

TicketError::TicketError(std::string field, const std::string& message)
    : std::runtime_error(field + ": " + message), field_(std::move(field)) {}

void check_text(const std::string& field, std::string_view text) {
  if (!is_utf8(text)) throw TicketError(field, "expected UTF-8 text; got '" + escape_unprintable(text, 200) + "'");
}

void move(Ticket& t, Status to, double now, const std::string& who, const std::string& note) {
  check_who(who);
  check_text("note", note);
  if (to == S::assigned)
    throw TicketError("state", "moving to assigned needs an agent: assign the ticket to an agent instead");
  check_allowed(t, to);
  const Status from = t.status;
  t.status = to;
  if (to == S::in_progress && !t.first_response) t.first_response = now;
  if (to == S::resolved) t.resolved = now;
  std::string why = note;
  if (to == S::in_progress && (from == S::resolved || from == S::closed) && why.empty()) why = "reopened";
  record(t, who, now, "state", std::string(status_name(from)), std::string(status_name(to)), std::move(why));
}

void assign(Ticket& t, const std::string& agent, double now, const std::string& who, const std::string& note) {
  check_who(who);
  if (agent.empty()) throw TicketError("agent", "expected the agent to assign the ticket to");
  check_text("agent", agent);
  check_text("note", note);
  check_allowed(t, S::assigned);
  if (t.status == S::assigned && t.agent == agent)
    throw TicketError("agent", "ticket " + std::to_string(t.id) + " is already assigned to " + agent);
  const Status from = t.status;
  const std::string previous = t.agent;
  t.status = S::assigned;
  t.agent = agent;
  if (from != S::assigned)
    record(t, who, now, "state", std::string(status_name(from)), std::string(status_name(S::assigned)), "");
  record(t, who, now, "agent", previous, agent, note);
}

void add_note(Ticket& t, const std::string& text, double now, const std::string& who) {
  check_who(who);
  if (text.empty()) throw TicketError("note", "expected the note's text");
  check_text("note", text);
  record(t, who, now, "note", "", "", text);
}

void link_call(Ticket& t, const std::string& call_id, double now, const std::string& who) {
  check_who(who);
  if (call_id.empty()) throw TicketError("call", "expected a call id");
  check_text("call", call_id);
  if (std::find(t.calls.begin(), t.calls.end(), call_id) != t.calls.end()) return;
  t.calls.push_back(call_id);
  record(t, who, now, "call", "", call_id, "");
}

bool breaching_resolution(const Ticket& t, double now) { return is_open(t.status) && now > t.resolution_due; }

bool breaching_first_response(const Ticket& t, double now) {
  return is_open(t.status) && !t.first_response && now > t.first_response_due;
}

bool resolved_within_sla(const Ticket& t) { return t.resolved && *t.resolved <= t.resolution_due; }

}  // namespace switchboard::ticketing
