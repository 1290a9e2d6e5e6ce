// The ticket lifecycle: every legal move lands where docs/tickets.md says and
// is recorded; every illegal one is refused, names the allowed moves and
// leaves the ticket exactly as it was.
#include <gtest/gtest.h>

#include <set>

#include "core/ticket_model.hpp"

using namespace switchboard::ticketing;

namespace {

Ticket fresh_ticket() {
  Ticket t;
  t.id = 7;
  t.customer = "+4930123";
  t.category = "repair";
  t.group = "back";
  t.created = 100;
  t.first_response_due = 100 + 3600;
  t.resolution_due = 100 + 86400;
  return t;
}

// A ticket brought to `s` along the main path.
Ticket ticket_in(Status s) {
  Ticket t = fresh_ticket();
  if (s == Status::fresh) return t;
  if (s == Status::cancelled) {
    move(t, Status::cancelled, 150, "ops");
    return t;
  }
  assign(t, "alice", 200, "ops");
  if (s == Status::assigned) return t;
  move(t, Status::in_progress, 300, "alice");
  if (s == Status::in_progress) return t;
  if (s == Status::waiting_for_customer) {
    move(t, Status::waiting_for_customer, 400, "alice");
    return t;
  }
  move(t, Status::resolved, 500, "alice");
  if (s == Status::resolved) return t;
  move(t, Status::closed, 600, "alice");
  return t;
}

const std::vector<Status> kAll = {Status::fresh,    Status::assigned, Status::in_progress, Status::waiting_for_customer,
                                  Status::resolved, Status::closed,   Status::cancelled};

}  // namespace

TEST(TicketModel, StatusNamesRoundTrip) {
  for (Status s : kAll) EXPECT_EQ(parse_status(status_name(s)), s);
  EXPECT_EQ(status_name(Status::fresh), "new");
  EXPECT_EQ(parse_status("open"), std::nullopt);
  EXPECT_EQ(status_list(), "new, assigned, in_progress, waiting_for_customer, resolved, closed, cancelled");
}

TEST(TicketModel, TheLifecycleTable) {
  using V = std::vector<Status>;
  EXPECT_EQ(allowed_moves(Status::fresh), (V{Status::assigned, Status::cancelled}));
  EXPECT_EQ(allowed_moves(Status::assigned), (V{Status::assigned, Status::in_progress, Status::cancelled}));
  EXPECT_EQ(allowed_moves(Status::in_progress), (V{Status::waiting_for_customer, Status::resolved, Status::cancelled}));
  EXPECT_EQ(allowed_moves(Status::waiting_for_customer), (V{Status::in_progress, Status::resolved, Status::cancelled}));
  EXPECT_EQ(allowed_moves(Status::resolved), (V{Status::closed, Status::in_progress}));
  EXPECT_EQ(allowed_moves(Status::closed), (V{Status::in_progress}));
  EXPECT_TRUE(allowed_moves(Status::cancelled).empty());
}

TEST(TicketModel, TheMainPathIsRecordedStepByStep) {
  Ticket t = ticket_in(Status::closed);
  EXPECT_EQ(t.status, Status::closed);
  EXPECT_EQ(t.agent, "alice");
  EXPECT_EQ(t.first_response, 300);
  EXPECT_EQ(t.resolved, 500);
  const std::vector<Change> expected = {
      {"ops", 200, "state", "new", "assigned", ""},
      {"ops", 200, "agent", "", "alice", ""},
      {"alice", 300, "state", "assigned", "in_progress", ""},
      {"alice", 500, "state", "in_progress", "resolved", ""},
      {"alice", 600, "state", "resolved", "closed", ""},
  };
  EXPECT_EQ(t.history, expected);
}

// Every (from, to) pair: allowed ones succeed, the others throw on "state",
// name the allowed moves and change nothing.
TEST(TicketModel, EveryIllegalMoveIsRefusedAndChangesNothing) {
  int refused = 0, done = 0;
  for (Status from : kAll) {
    const auto allowed = allowed_moves(from);
    for (Status to : kAll) {
      if (to == Status::assigned) continue;  // assign() is the way in; checked below
      SCOPED_TRACE(std::string(status_name(from)) + " -> " + std::string(status_name(to)));
      Ticket t = ticket_in(from);
      const Ticket before = t;
      const bool legal = std::find(allowed.begin(), allowed.end(), to) != allowed.end();
      if (legal) {
        move(t, to, 1000, "bob", "why");
        EXPECT_EQ(t.status, to);
        EXPECT_EQ(t.history.back(), (Change{"bob", 1000, "state", std::string(status_name(from)),
                                            std::string(status_name(to)), "why"}));
        ++done;
      } else {
        try {
          move(t, to, 1000, "bob");
          ADD_FAILURE() << "accepted";
        } catch (const TicketError& e) {
          EXPECT_EQ(e.field(), "state");
          const std::string msg = e.what();
          EXPECT_NE(msg.find("ticket 7 is " + std::string(status_name(from))), std::string::npos) << msg;
          for (Status a : allowed) EXPECT_NE(msg.find(std::string(status_name(a))), std::string::npos) << msg;
        }
        EXPECT_EQ(t, before);
        ++refused;
      }
    }
  }
  EXPECT_EQ(done, 12);  // the legal non-assign moves of the table
  EXPECT_EQ(refused, 7 * 6 - 12);
}

TEST(TicketModel, IllegalMoveMessageNamesTheAllowedOnes) {
  Ticket t = fresh_ticket();
  try {
    move(t, Status::resolved, 1, "bob");
    FAIL();
  } catch (const TicketError& e) {
    EXPECT_STREQ(e.what(), "state: ticket 7 is new: it cannot move to resolved; from new it can move to assigned, cancelled");
  }
  Ticket c = ticket_in(Status::cancelled);
  try {
    move(c, Status::in_progress, 1, "bob");
    FAIL();
  } catch (const TicketError& e) {
    EXPECT_NE(std::string(e.what()).find("a cancelled ticket cannot move"), std::string::npos) << e.what();
  }
}

TEST(TicketModel, AssignOnlyFromNewOrAssignedAndNeedsAnAgent) {
  Ticket t = fresh_ticket();
  EXPECT_THROW(move(t, Status::assigned, 1, "ops"), TicketError);
  EXPECT_THROW(assign(t, "", 1, "ops"), TicketError);
  EXPECT_EQ(t, fresh_ticket());
  assign(t, "alice", 1, "ops");
  EXPECT_THROW(assign(t, "alice", 2, "ops"), TicketError);  // already hers
  assign(t, "carol", 2, "ops", "alice is away");               // handed over
  EXPECT_EQ(t.agent, "carol");
  EXPECT_EQ(t.status, Status::assigned);
  EXPECT_EQ(t.history.back(), (Change{"ops", 2, "agent", "alice", "carol", "alice is away"}));
  for (Status s : {Status::in_progress, Status::waiting_for_customer, Status::resolved, Status::closed, Status::cancelled}) {
    Ticket u = ticket_in(s);
    const Ticket before = u;
    EXPECT_THROW(assign(u, "dave", 5, "ops"), TicketError) << status_name(s);
    EXPECT_EQ(u, before);
  }
}

TEST(TicketModel, ReopenKeepsTheFirstResponseAndMarksTheHistory) {
  Ticket t = ticket_in(Status::closed);
  move(t, Status::in_progress, 900, "alice");
  EXPECT_EQ(t.first_response, 300);  // the first response happened once
  EXPECT_EQ(t.history.back().note, "reopened");
  move(t, Status::resolved, 950, "alice");
  EXPECT_EQ(t.resolved, 950);  // the last resolution counts
}

TEST(TicketModel, WhoMustBeNamed) {
  Ticket t = fresh_ticket();
  try {
    move(t, Status::cancelled, 1, "");
    FAIL();
  } catch (const TicketError& e) {
    EXPECT_EQ(e.field(), "who");
  }
  EXPECT_THROW(add_note(t, "x", 1, ""), TicketError);
  EXPECT_EQ(t, fresh_ticket());
}

TEST(TicketModel, NotesAndCalls) {
  Ticket t = fresh_ticket();
  EXPECT_THROW(add_note(t, "", 1, "ops"), TicketError);
  add_note(t, "customer called again", 5, "ops");
  EXPECT_EQ(t.history.back(), (Change{"ops", 5, "note", "", "", "customer called again"}));
  link_call(t, "cdr-1", 6, "ops");
  link_call(t, "cdr-1", 7, "ops");  // once only
  EXPECT_EQ(t.calls, std::vector<std::string>{"cdr-1"});
  EXPECT_EQ(t.history.size(), 2u);
  EXPECT_THROW(link_call(t, "", 8, "ops"), TicketError);
}

TEST(TicketModel, SlaPredicates) {
  Ticket t = fresh_ticket();  // first response due 3700, resolution due 86500
  EXPECT_FALSE(breaching_first_response(t, 3700));
  EXPECT_TRUE(breaching_first_response(t, 3701));
  EXPECT_FALSE(breaching_resolution(t, 86500));
  EXPECT_TRUE(breaching_resolution(t, 86501));
  Ticket done = ticket_in(Status::resolved);
  EXPECT_FALSE(breaching_first_response(done, 1e9));
  EXPECT_FALSE(breaching_resolution(done, 1e9));
  EXPECT_TRUE(resolved_within_sla(done));
  Ticket late = ticket_in(Status::in_progress);
  move(late, Status::resolved, 86501, "alice");
  EXPECT_FALSE(resolved_within_sla(late));
  EXPECT_FALSE(resolved_within_sla(fresh_ticket()));
  EXPECT_FALSE(breaching_resolution(ticket_in(Status::cancelled), 1e9));
}

// Text that is not UTF-8 is refused, naming the field: the store keeps text
// and JSON spells only UTF-8 (`tickets create --tag $'\xff'` was exit 3).
TEST(TicketModel, TextThatIsNotUtf8IsRefusedNamingTheField) {
  Ticket t;
  t.status = Status::fresh;
  const std::string bad = "a\xff";
  auto field_of = [](auto&& change) {
    try {
      change();
    } catch (const TicketError& e) {
      return e.field();
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(field_of([&] { add_note(t, bad, 0, "ann"); }), "note");
  EXPECT_EQ(field_of([&] { add_note(t, "fine", 0, bad); }), "who");
  EXPECT_EQ(field_of([&] { link_call(t, bad, 0, "ann"); }), "call");
  EXPECT_EQ(field_of([&] { assign(t, bad, 0, "ann"); }), "agent");
  EXPECT_EQ(field_of([&] { move(t, Status::cancelled, 0, "ann", bad); }), "note");
  EXPECT_EQ(t.history.size(), 0u);  // nothing refused was recorded
  add_note(t, "Grüße, 東京 ✓", 0, "ann");  // UTF-8 beyond ASCII is text like any other
  EXPECT_EQ(t.history.size(), 1u);
}
