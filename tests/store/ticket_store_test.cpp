// The ticket store, the same tests on both databases: SQLite (a temp file)
// and PostgreSQL (a throwaway server this test process starts; the
// PostgreSQL cases fail if it is not installed). Round trips are exact,
// updates are optimistic (a stale one is refused and writes nothing),
// concurrent writers get distinct ids and lose no update, and the schema is
// versioned.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>

#include "core/ticket_rules.hpp"
#include "store/postgres_cluster.hpp"
#include "store/store_rules.hpp"
#include "store/schema.hpp"
#include "store/ticket_store.hpp"
#include "support/test_support.hpp"

using namespace switchboard;
using namespace switchboard::ticketing;
using namespace switchboard::store;

namespace {

test::PostgresCluster& cluster() { return test::shared_postgres_cluster(); }

Rules rules() { return test::store_rules(); }

constexpr double kT0 = 1764576000.123456789;  // a Unix time with a fraction: times round-trip exactly

Ticket new_ticket(const std::string& customer = "+4930123", const std::string& category = "repair", double at = kT0) {
  return open(rules(), OpenRequest{customer, category, {"vip", "outage"}, {"cdr-1", "cdr-2"}, "no dial tone"}, at, "ivr");
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    location_ = GetParam() == "sqlite" ? (dir_ / "tickets.db").string() : cluster().fresh_database();
    store_ = TicketStore::open(location_);
  }
  std::unique_ptr<TicketStore> another() { return TicketStore::open(location_); }

  test::TempDir dir_;
  std::string location_;
  std::unique_ptr<TicketStore> store_;
};

}  // namespace

TEST_P(StoreTest, CreateAndGetRoundTripExactly) {
  Ticket t = new_ticket();
  move(t, Status::cancelled, kT0 + 0.5, "ops", "duplicate");
  const Ticket stored = store_->create(t);
  EXPECT_GT(stored.id, 0);
  EXPECT_EQ(stored.version, 1);
  const auto got = store_->get(stored.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, stored);
  EXPECT_EQ(got->created, kT0);
  EXPECT_EQ(got->history.size(), 2u);
  EXPECT_EQ(store_->get(stored.id + 1000), std::nullopt);
}

TEST_P(StoreTest, OptionalTimesAndFlagsRoundTrip) {
  Ticket t = open(rules(), OpenRequest{"c", "repair", {"complaint"}, {}, ""}, kT0, "ivr");
  ASSERT_TRUE(t.escalated);
  assign(t, "ann", kT0 + 1, "ops");
  move(t, Status::in_progress, kT0 + 2, "ann");
  move(t, Status::resolved, kT0 + 3, "ann");
  const Ticket stored = store_->create(t);
  const Ticket got = *store_->get(stored.id);
  EXPECT_EQ(got, stored);
  EXPECT_EQ(got.first_response, kT0 + 2);
  EXPECT_EQ(got.resolved, kT0 + 3);
  EXPECT_EQ(got.group, "seniors");
  EXPECT_EQ(got.tags, std::vector<std::string>{"complaint"});
  EXPECT_TRUE(got.calls.empty());
}

TEST_P(StoreTest, UpdateBumpsTheVersionAndAppendsHistory) {
  Ticket t = store_->create(new_ticket());
  assign(t, "ann", kT0 + 10, "ops");
  const Ticket v2 = store_->update(t);
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(*store_->get(t.id), v2);
  Ticket again = v2;
  move(again, Status::in_progress, kT0 + 20, "ann");
  add_note(again, "checked the line", kT0 + 21, "ann");
  const Ticket v3 = store_->update(again);
  EXPECT_EQ(v3.version, 3);
  const Ticket got = *store_->get(t.id);
  EXPECT_EQ(got, v3);
  EXPECT_EQ(got.history.size(), 5u);
  EXPECT_EQ(got.history.back().note, "checked the line");
}

TEST_P(StoreTest, AStaleUpdateIsRefusedAndWritesNothing) {
  const Ticket v1 = store_->create(new_ticket());
  Ticket first = v1, second = v1;
  assign(first, "ann", kT0 + 10, "ops");
  store_->update(first);
  const Ticket before = *store_->get(v1.id);
  assign(second, "ben", kT0 + 11, "ops");
  try {
    store_->update(second);
    FAIL() << "a stale update was accepted";
  } catch (const StaleVersion& e) {
    EXPECT_EQ(e.stored(), 2);
    EXPECT_NE(std::string(e.what()).find("version 1, now 2"), std::string::npos) << e.what();
  }
  EXPECT_EQ(*store_->get(v1.id), before);
  Ticket ghost = v1;
  ghost.id = v1.id + 99;
  EXPECT_THROW(store_->update(ghost), NoSuchTicket);
}

TEST_P(StoreTest, SqlLikeTextIsStoredLiterally) {
  const std::string evil = "x'); DROP TABLE tickets; --";
  Ticket t = open(rules(), OpenRequest{evil, "repair", {"'\"\\", "ünï"}, {"$1"}, evil}, kT0, "o'brien");
  const Ticket stored = store_->create(t);
  EXPECT_EQ(*store_->get(stored.id), stored);
  TicketQuery q;
  q.customer = evil;
  EXPECT_EQ(store_->list(q).size(), 1u);
}

TEST_P(StoreTest, ListFiltersAndPages) {
  std::vector<Ticket> made;
  for (int i = 0; i < 6; ++i)
    made.push_back(store_->create(new_ticket(i % 2 ? "alice" : "bob", i < 4 ? "repair" : "billing", kT0 + i)));
  Ticket done = made[1];
  assign(done, "ann", kT0 + 100, "ops");
  move(done, Status::in_progress, kT0 + 101, "ann");
  move(done, Status::resolved, kT0 + 102, "ann");
  store_->update(done);
  auto ids = [&](TicketQuery q) {
    std::vector<std::int64_t> out;
    for (const Ticket& t : store_->list(q)) out.push_back(t.id);
    return out;
  };
  auto id = [&](int i) { return made[static_cast<std::size_t>(i)].id; };
  TicketQuery all;
  EXPECT_EQ(ids(all), (std::vector<std::int64_t>{id(0), id(1), id(2), id(3), id(4), id(5)}));
  TicketQuery by_state;
  by_state.state = Status::resolved;
  EXPECT_EQ(ids(by_state), std::vector<std::int64_t>{id(1)});
  TicketQuery by_customer;
  by_customer.customer = "alice";
  EXPECT_EQ(ids(by_customer), (std::vector<std::int64_t>{id(1), id(3), id(5)}));
  TicketQuery open_billing;
  open_billing.category = "billing";
  open_billing.open_only = true;
  EXPECT_EQ(ids(open_billing), (std::vector<std::int64_t>{id(4), id(5)}));
  TicketQuery by_agent;
  by_agent.agent = "ann";
  EXPECT_EQ(ids(by_agent), std::vector<std::int64_t>{id(1)});
  TicketQuery by_group;
  by_group.group = "front";
  EXPECT_EQ(ids(by_group), (std::vector<std::int64_t>{id(4), id(5)}));
  // billing is due 2 h after creation, repair 24 h; the resolved one never breaches.
  TicketQuery breaching;
  breaching.breaching_at = kT0 + 4 + 7200 + 0.5;  // past ticket 4's due time, not ticket 5's
  EXPECT_EQ(ids(breaching), std::vector<std::int64_t>{id(4)});
  breaching.breaching_at = kT0 + 90000;
  EXPECT_EQ(ids(breaching), (std::vector<std::int64_t>{id(0), id(2), id(3), id(4), id(5)}));
  TicketQuery page;
  page.limit = 2;
  EXPECT_EQ(ids(page), (std::vector<std::int64_t>{id(0), id(1)}));
  page.after_id = id(1);
  EXPECT_EQ(ids(page), (std::vector<std::int64_t>{id(2), id(3)}));
  // Without history unless asked.
  EXPECT_TRUE(store_->list(all)[0].history.empty());
  all.with_history = true;
  EXPECT_EQ(store_->list(all)[0], made[0]);
}

TEST_P(StoreTest, StatsCountBacklogAgeAndSla) {
  const Ticket a = store_->create(new_ticket("a", "billing", kT0));          // due kT0 + 7200
  const Ticket b = store_->create(new_ticket("b", "billing", kT0 + 1000));   // due kT0 + 8200
  Ticket c = store_->create(new_ticket("c", "repair", kT0));                 // resolved in time
  assign(c, "ann", kT0 + 1, "ops");
  move(c, Status::in_progress, kT0 + 2, "ann");
  move(c, Status::resolved, kT0 + 3, "ann");
  store_->update(c);
  Ticket d = store_->create(new_ticket("d", "billing", kT0));                // resolved late
  assign(d, "ann", kT0 + 1, "ops");
  move(d, Status::in_progress, kT0 + 2, "ann");
  move(d, Status::resolved, kT0 + 9000, "ann");
  move(d, Status::closed, kT0 + 9001, "ann");
  store_->update(d);
  Ticket e = store_->create(new_ticket("e", "repair", kT0));
  move(e, Status::cancelled, kT0 + 5, "ops");
  store_->update(e);
  Ticket f = store_->create(new_ticket("f", "repair", kT0));
  assign(f, "ben", kT0 + 1, "ops");
  store_->update(f);
  const double now = kT0 + 8000;
  const TicketStats s = store_->stats(now);
  EXPECT_EQ(s.by_state.at("new"), 2);
  EXPECT_EQ(s.by_state.at("assigned"), 1);
  EXPECT_EQ(s.by_state.at("resolved"), 1);
  EXPECT_EQ(s.by_state.at("closed"), 1);
  EXPECT_EQ(s.by_state.at("cancelled"), 1);
  EXPECT_EQ(s.by_state.at("in_progress"), 0);
  EXPECT_EQ(s.open, 3);  // a, b, f
  EXPECT_DOUBLE_EQ(s.mean_open_age, (8000.0 + 7000.0 + 8000.0) / 3);
  EXPECT_DOUBLE_EQ(s.max_open_age, 8000);
  EXPECT_EQ(s.breaching, 1);  // a (b is due at +8200, f at +86400)
  EXPECT_EQ(s.first_response_breaching, 3);  // a, b (600 s), f (3600 s)
  EXPECT_EQ(s.resolved, 2);
  EXPECT_EQ(s.resolved_within_sla, 1);
  EXPECT_EQ(s.by_category.at("billing").open, 2);
  EXPECT_EQ(s.by_category.at("billing").resolved, 1);
  EXPECT_EQ(s.by_category.at("billing").resolved_within_sla, 0);
  EXPECT_EQ(s.by_category.at("repair").resolved_within_sla, 1);
  EXPECT_EQ(store_->open_tickets_by_agent(), (std::map<std::string, int>{{"ben", 1}}));
  (void)a, (void)b;
}

// `tickets stats` reads with several statements while `serve` may write:
// in one snapshot (in_snapshot, which stats uses) a ticket another
// connection commits between two reads is seen by neither; outside one,
// the second read sees it.
TEST_P(StoreTest, ASnapshotDoesNotSeeAWriteCommittedDuringIt) {
  store_->create(new_ticket());
  auto reader = connect(location_);
  const auto count = [&] { return reader->run("SELECT count(*) FROM tickets").rows.at(0).at(0).value(); };
  const auto [first, second] = in_snapshot(*reader, [&] {
    const std::string before = count();
    store_->create(new_ticket("+4930999"));  // another connection commits
    return std::pair{before, count()};
  });
  EXPECT_EQ(first, "1");
  EXPECT_EQ(second, "1");
  EXPECT_EQ(count(), "2");
  const std::string before = count();
  store_->create(new_ticket("+4930998"));
  EXPECT_EQ(before, "2");
  EXPECT_EQ(count(), "3");
}

// Four writers, each with its own connection, create at once: every id is
// different and every ticket is there.
TEST_P(StoreTest, ConcurrentWritersGetDistinctIds) {
  constexpr int kWriters = 4, kEach = 40;
  std::vector<std::vector<std::int64_t>> ids(kWriters);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int w = 0; w < kWriters; ++w)
    threads.emplace_back([&, w] {
      try {
        auto mine = another();
        for (int i = 0; i < kEach; ++i) ids[w].push_back(mine->create(new_ticket("w" + std::to_string(w))).id);
      } catch (const std::exception& e) {
        ++failures;
        ADD_FAILURE() << e.what();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  std::set<std::int64_t> distinct;
  for (const auto& v : ids) distinct.insert(v.begin(), v.end());
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kWriters * kEach));
  TicketQuery q;
  q.limit = 1000;
  EXPECT_EQ(store_->list(q).size(), static_cast<std::size_t>(kWriters * kEach));
}

// Four writers add notes to one ticket, each re-reading and retrying when
// its update is stale: no note is lost, and the history has no gap.
TEST_P(StoreTest, ConcurrentUpdatesLoseNothing) {
  constexpr int kWriters = 4, kEach = 15;
  const std::int64_t id = store_->create(new_ticket()).id;
  std::atomic<int> stale{0}, failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w)
    threads.emplace_back([&, w] {
      try {
        auto mine = another();
        for (int i = 0; i < kEach; ++i)
          for (;;) {
            Ticket t = *mine->get(id);
            add_note(t, "w" + std::to_string(w) + "-" + std::to_string(i), kT0 + i, "w" + std::to_string(w));
            try {
              mine->update(t);
              break;
            } catch (const StaleVersion&) {
              ++stale;
            }
          }
      } catch (const std::exception& e) {
        ++failures;
        ADD_FAILURE() << e.what();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  const Ticket t = *store_->get(id);
  EXPECT_EQ(t.version, 1 + kWriters * kEach);
  EXPECT_EQ(t.history.size(), 1u + kWriters * kEach);
  std::set<std::string> notes;
  for (std::size_t i = 1; i < t.history.size(); ++i) notes.insert(t.history[i].note);
  EXPECT_EQ(notes.size(), static_cast<std::size_t>(kWriters * kEach));
}

// Four processes' worth of first opens of one empty database at once: one
// creates the schema, the others find it current; none fails.
TEST_P(StoreTest, ConcurrentFirstOpensMigrateOnce) {
  const std::string fresh = GetParam() == "sqlite" ? (dir_ / "fresh.db").string() : cluster().fresh_database();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      try {
        auto s = TicketStore::open(fresh);
        s->create(new_ticket());
      } catch (const std::exception& e) {
        ++failures;
        ADD_FAILURE() << e.what();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  auto s = TicketStore::open(fresh);
  EXPECT_EQ(s->schema_version(), kSchemaVersion);
  EXPECT_EQ(s->list({}).size(), 4u);
  EXPECT_EQ(connect(fresh)->run("SELECT count(*) FROM schema_version").rows.at(0).at(0), "1");
}

TEST_P(StoreTest, TheSchemaIsVersioned) {
  EXPECT_EQ(store_->schema_version(), kSchemaVersion);
  const std::int64_t id = store_->create(new_ticket()).id;
  store_.reset();
  EXPECT_EQ(another()->get(id)->customer, "+4930123");  // reopening keeps everything
  connect(location_)->run("UPDATE schema_version SET version = $1", {std::int64_t{kSchemaVersion + 1}});
  try {
    another();
    FAIL() << "opened a newer schema";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("has schema version " + std::to_string(kSchemaVersion + 1) +
                                         ", newer than this switchboard knows"),
              std::string::npos)
        << e.what();
  }
  connect(location_)->run("DROP TABLE schema_version");
  try {
    another();
    FAIL() << "opened tables without a version";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("no schema_version table"), std::string::npos) << e.what();
  }
}

// Each agent's open tickets (what least-loaded assignment reads) are counted
// as tickets change, not recounted: after creates, moves, a handover,
// cancels, resolutions, a reopen and a refused stale update, the counts are
// what counting the tickets says; a schema 3 database gets them at migration.
TEST_P(StoreTest, OpenTicketsPerAgentFollowEveryChange) {
  auto recount = [this] {
    std::map<std::string, int> out;
    TicketQuery q;
    q.open_only = true;
    q.limit = 1000;
    for (const Ticket& t : store_->list(q))
      if (!t.agent.empty()) ++out[t.agent];
    return out;
  };
  std::vector<Ticket> made;
  for (int i = 0; i < 6; ++i) {
    Ticket t = new_ticket("c" + std::to_string(i));
    if (i % 3 != 2) assign(t, i % 3 == 0 ? "ann" : "ben", kT0, "test");
    made.push_back(t);
  }
  made = store_->create_all(made);
  EXPECT_EQ(store_->open_tickets_by_agent(), (std::map<std::string, int>{{"ann", 2}, {"ben", 2}}));
  auto change = [&](std::size_t i, auto&& edit) {
    Ticket t = *store_->get(made[i].id);
    edit(t);
    made[i] = store_->update(t);
    EXPECT_EQ(store_->open_tickets_by_agent(), recount()) << "after changing ticket " << made[i].id;
  };
  change(0, [](Ticket& t) { move(t, Status::in_progress, kT0 + 1, "ann"); });         // still ann's
  change(1, [](Ticket& t) { assign(t, "ann", kT0 + 2, "lead"); });                    // ben's to ann
  change(2, [](Ticket& t) { assign(t, "ben", kT0 + 3, "lead"); });                    // nobody's to ben
  change(3, [](Ticket& t) { move(t, Status::cancelled, kT0 + 4, "ann"); });           // ann's, gone
  change(0, [](Ticket& t) { move(t, Status::resolved, kT0 + 5, "ann"); });            // ann's, done
  change(0, [](Ticket& t) { move(t, Status::in_progress, kT0 + 6, "ann", "reopen"); });  // and back
  change(5, [](Ticket& t) { assign(t, "cid", kT0 + 7, "lead"); });
  Ticket stale = made[5];
  stale.version -= 1;
  move(stale, Status::cancelled, kT0 + 8, "cid");
  EXPECT_THROW(store_->update(stale), StaleVersion);
  EXPECT_EQ(store_->open_tickets_by_agent(), recount());
  EXPECT_EQ(store_->open_tickets_by_agent(), (std::map<std::string, int>{{"ann", 2}, {"ben", 2}, {"cid", 1}}));

  // A database of schema 3 (before the counts) is counted when migrated.
  store_.reset();
  {
    auto db = connect(location_);
    db->run("DROP TABLE agent_open_tickets");
    db->run("DROP TABLE ticket_tallies");  // schema 5's
    db->run("UPDATE schema_version SET version = 3");
  }
  store_ = another();
  EXPECT_EQ(store_->schema_version(), kSchemaVersion);
  EXPECT_EQ(store_->open_tickets_by_agent(), (std::map<std::string, int>{{"ann", 2}, {"ben", 2}, {"cid", 1}}));
}

// A writer killed with SIGKILL in the middle of its work: every ticket whose
// create returned is there after reopening, and the database is intact.
TEST_P(StoreTest, KillNineLosesNoAcknowledgedWrite) {
  store_.reset();
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    alarm(30);  // never outlives a parent that died
    try {
      auto mine = TicketStore::open(location_);
      for (;;) {
        const std::int64_t id = mine->create(new_ticket("kill")).id;
        if (write(pipe_fds[1], &id, sizeof id) != sizeof id) _exit(3);
      }
    } catch (...) {
      _exit(4);
    }
  }
  close(pipe_fds[1]);
  std::vector<std::int64_t> acknowledged;
  std::int64_t id = 0;
  while (acknowledged.size() < 60 && read(pipe_fds[0], &id, sizeof id) == sizeof id) acknowledged.push_back(id);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(pipe_fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself, status " << status;
  ASSERT_EQ(acknowledged.size(), 60u);
  auto reopened = TicketStore::open(location_);
  for (std::int64_t a : acknowledged) {
    const auto t = reopened->get(a);
    ASSERT_TRUE(t) << "acknowledged ticket " << a << " is lost";
    EXPECT_EQ(t->customer, "kill");
    EXPECT_EQ(t->history.size(), 1u);
  }
  if (GetParam() == "sqlite") {
    EXPECT_EQ(connect_sqlite(location_)->run("PRAGMA integrity_check").rows.at(0).at(0), "ok");
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// WAL always; synchronous NORMAL (1) by default, FULL (2) when asked.
TEST(SqliteStore, UsesWalAndTheSyncAsked) {
  test::TempDir dir;
  const auto path = (dir / "t.db").string();
  auto s = TicketStore::open(path);
  s->create(new_ticket());
  auto raw = connect_sqlite(path);
  EXPECT_EQ(raw->run("PRAGMA journal_mode").rows.at(0).at(0), "wal");
  EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
  EXPECT_EQ(raw->run("PRAGMA integrity_check").rows.at(0).at(0), "ok");
  EXPECT_EQ(raw->run("PRAGMA synchronous").rows.at(0).at(0), "1");
  EXPECT_EQ(connect_sqlite(path, Sync::normal)->run("PRAGMA synchronous").rows.at(0).at(0), "1");
  EXPECT_EQ(connect_sqlite(path, Sync::full)->run("PRAGMA synchronous").rows.at(0).at(0), "2");
  EXPECT_EQ(connect(path, Sync::full)->run("PRAGMA synchronous").rows.at(0).at(0), "2");
  EXPECT_EQ(parse_sync("full"), Sync::full);
  EXPECT_EQ(parse_sync("normal"), Sync::normal);
  EXPECT_FALSE(parse_sync("FULL").has_value());
}

TEST(SqliteStore, ACorruptFileIsAClearErrorAndIsNotTouched) {
  test::TempDir dir;
  const auto path = dir / "t.db";
  const std::string garbage(8192, 'x');
  test::write_file(path, garbage);
  try {
    TicketStore::open(path.string());
    FAIL() << "opened garbage";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("is not a database or is corrupt"), std::string::npos) << e.what();
  }
  EXPECT_EQ(test::read_file(path), garbage);
}

TEST(SqliteStore, AMissingDirectoryIsAClearError) {
  try {
    TicketStore::open("/nonexistent-dir/t.db");
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open the ticket database /nonexistent-dir/t.db"), std::string::npos)
        << e.what();
  }
}

TEST(PostgresStore, AnUnreachableServerIsAClearError) {
  const std::string uri = "postgresql://switchboard:secret@127.0.0.1:" + std::to_string(cluster().port()) + "/nodb";
  try {
    TicketStore::open(uri);
    FAIL();
  } catch (const StoreError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("cannot connect to the ticket database postgresql://switchboard:***@127.0.0.1"), std::string::npos)
        << msg;
    EXPECT_EQ(msg.find("secret"), std::string::npos) << msg;
  }
}
