// serve's writers leave SQLite's checkpoints to a WalCheckpointer: what they
// commit reaches the database file itself (not only the WAL) without a
// commit doing the copy, and without the checkpointer it would not.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "store/store_rules.hpp"
#include "store/ticket_store.hpp"
#include "store/wal_checkpointer.hpp"
#include "support/test_support.hpp"

using namespace switchboard;
using namespace switchboard::store;

namespace {

// Tickets in the database file alone (immutable=1 makes SQLite ignore the
// WAL); -1 if the file has no tickets table.
int tickets_in_the_file(const std::filesystem::path& db) {
  sqlite3* handle = nullptr;
  const std::string uri = "file:" + db.string() + "?immutable=1";
  if (sqlite3_open_v2(uri.c_str(), &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) return -1;
  sqlite3_stmt* stmt = nullptr;
  int n = -1;
  if (sqlite3_prepare_v2(handle, "SELECT count(*) FROM tickets", -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
    n = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(handle);
  return n;
}

void create(TicketStore& store, int n) {
  for (int i = 0; i < n; ++i)
    store.create(ticketing::open(test::store_rules(), ticketing::OpenRequest{"c" + std::to_string(i), "repair", {}, {}, ""},
                                 1764576000 + i, "ivr"));
}

}  // namespace

TEST(WalCheckpointer, WritesReachTheDatabaseFileOffTheirCommits) {
  test::TempDir dir;
  const auto db = dir / "tickets.db";
  auto store = TicketStore::open(db.string(), Sync::normal, Integrity::whole, Checkpoints::in_background);
  create(*store, 200);
  EXPECT_LT(tickets_in_the_file(db), 1);  // all in the WAL, the schema too (-1: no table yet): no commit copied it
  {
    WalCheckpointer checkpointer(db.string(), Sync::normal);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (checkpointer.checkpoints() < 2 && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_GE(checkpointer.checkpoints(), 2u);
    EXPECT_EQ(checkpointer.failures(), 0u);
    EXPECT_EQ(tickets_in_the_file(db), 200);
    create(*store, 50);
  }  // the last checkpoint, on stopping
  EXPECT_EQ(tickets_in_the_file(db), 250);
}

TEST(WalCheckpointer, OnPostgresqlThereIsNothingToDo) {
  // No connection is made: the URI need not answer.
  WalCheckpointer none("postgresql://nobody@127.0.0.1:1/none", Sync::normal);
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  EXPECT_EQ(none.checkpoints(), 0u);
}
