// The ticket store of a running serve, on SQLite and on PostgreSQL: calls'
// tickets written by its thread and found by the caller's number, callback
// promises kept until done, and the /metrics figures.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "io/scenario_loader.hpp"
#include "store/postgres_cluster.hpp"
#include "store/served_tickets.hpp"
#include "support/test_support.hpp"

using namespace switchboard;
using namespace switchboard::store;

namespace {

template <typename Done>
bool eventually(Done done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

class ServedTicketsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    location_ = GetParam() == "sqlite" ? (dir_ / "tickets.db").string() : test::shared_postgres_cluster().fresh_database();
  }
  std::unique_ptr<ServedTickets> open() {
    ServedTicketsOptions o;
    o.location = location_;
    return std::make_unique<ServedTickets>(scenario_, o, [this] { return now_.load(); });
  }
  test::TempDir dir_;
  std::string location_;
  Scenario scenario_ = load_scenario((test::source_dir() / "tests/sip/fixtures/serve-tickets.yaml").string());
  std::atomic<double> now_{1'000'000};
};

TEST_P(ServedTicketsTest, ACallsTicketIsStoredAndFoundByTheCallersNumber) {
  auto served = open();
  EXPECT_FALSE(served->open_ticket_state("+4930123"));
  served->open_for_call("+4930123", "repair", {"vip"}, "call-1@host");
  ASSERT_TRUE(eventually([&] { return served->open_ticket_state("+4930123").has_value(); }));
  EXPECT_EQ(*served->open_ticket_state("+4930123"), ticketing::Status::assigned);
  EXPECT_FALSE(served->open_ticket_state("+4930999"));
  const auto t = TicketStore::open(location_)->get(1);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->customer, "+4930123");
  EXPECT_EQ(t->calls, std::vector<std::string>{"call-1@host"});
  EXPECT_EQ(t->tags, std::vector<std::string>{"vip"});
  EXPECT_EQ(t->history.front().who, "ivr");
  EXPECT_EQ(served->failed_writes(), 0u);
}

TEST_P(ServedTicketsTest, PromisesStayPendingUntilDoneAcrossReopening) {
  {
    auto served = open();
    PromisedCallback c{0, "cb-1@host", "sip:+4930111@10.0.0.1", "customers", "repairs", 2, {"vip"}, 1'000'000};
    const auto first = served->promise_callback(c);
    c.call_id = "cb-2@host";
    const auto second = served->promise_callback(c);
    EXPECT_GT(second, first);
    served->callback_done(first, "placed");
  }  // closing writes what is queued
  auto served = open();
  const auto pending = served->pending_callbacks();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].call_id, "cb-2@host");
  EXPECT_EQ(pending[0].caller, "sip:+4930111@10.0.0.1");
  EXPECT_EQ(pending[0].queue, "repairs");
  EXPECT_EQ(pending[0].priority, 2);
  EXPECT_EQ(pending[0].tags, std::vector<std::string>{"vip"});
  EXPECT_EQ(connect(location_)->run("SELECT outcome FROM callbacks WHERE call_id = 'cb-1@host'").rows.at(0).at(0), "placed");
}

TEST_P(ServedTicketsTest, FiguresFollowTheStore) {
  auto served = open();
  served->open_for_call("+4930123", "repair", {}, "a");
  served->open_for_call("+4930124", "repair", {}, "b");
  ASSERT_TRUE(eventually([&] { return served->figures().created == 2; }));
  TicketFigures f = served->figures();
  EXPECT_EQ((f.by_state_category[{"assigned", "repair"}]), 2);
  EXPECT_EQ(f.open, 2);
  EXPECT_EQ(f.open_by_age[0], 2);  // younger than an hour
  EXPECT_EQ(f.sla_breaches, 0);
  EXPECT_EQ(f.resolved, 0);
  EXPECT_EQ(f.by_group, (std::map<std::string, GroupFigures>{{"back", {2, 0, 0, 0}}}));
  // Three days later both are past their 2-day resolution due time.
  now_ = now_ + 3 * 86400;
  f = served->figures();
  EXPECT_EQ(f.sla_breaches, 2);
  EXPECT_EQ(f.open_by_age[0], 0);
  EXPECT_EQ(f.open_by_age[3], 0);  // older than two days
  EXPECT_EQ(f.open_by_age[4], 2);  // within a week
  EXPECT_DOUBLE_EQ(f.open_age_sum, 2 * 3 * 86400.0);
  EXPECT_EQ(f.by_group, (std::map<std::string, GroupFigures>{{"back", {2, 2, 0, 0}}}));  // backlog, breaching

  // A breach stays a breach: cancelling a ticket past its due time does not
  // take it back (the counter on /metrics cannot go down, so a drop here
  // undercounted every breach after it). A ticket cancelled in time never was one.
  auto store = TicketStore::open(location_);
  auto cancel = [&](std::int64_t id) {
    ticketing::Ticket t = *store->get(id);
    ticketing::move(t, ticketing::Status::cancelled, now_.load(), "test");
    store->update(t);
  };
  cancel(1);
  f = served->figures();
  EXPECT_EQ(f.sla_breaches, 2);
  EXPECT_EQ(f.open, 1);
  served->open_for_call("+4930125", "repair", {}, "c");
  ASSERT_TRUE(eventually([&] { return served->figures().created == 3; }));
  cancel(3);  // at once, well before its due time
  now_ = now_ + 3 * 86400;
  EXPECT_EQ(served->figures().sla_breaches, 2);

  // The back office per group: ticket 2 still open and breaching; a fourth
  // resolved at once (within its SLA), a fifth resolved after its due time.
  auto resolve = [&](std::int64_t id) {
    ticketing::Ticket t = *store->get(id);
    ticketing::move(t, ticketing::Status::in_progress, now_.load(), "test");
    ticketing::move(t, ticketing::Status::resolved, now_.load(), "test");
    store->update(t);
  };
  served->open_for_call("+4930126", "repair", {}, "d");
  served->open_for_call("+4930127", "repair", {}, "e");
  ASSERT_TRUE(eventually([&] { return served->figures().created == 5; }));
  resolve(4);
  now_ = now_ + 3 * 86400;
  resolve(5);
  EXPECT_EQ(served->figures().by_group, (std::map<std::string, GroupFigures>{{"back", {1, 1, 2, 1}}}));
}

INSTANTIATE_TEST_SUITE_P(Backends, ServedTicketsTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
