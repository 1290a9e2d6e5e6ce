// One SQL connection, whichever database is behind it: statements with $1..$n
// parameters, rows as text, explicit write transactions. The ticket store's
// SQL is written once against this (store/ticket_store.cpp); SQLite and
// PostgreSQL each implement it in their own file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace switchboard::store {

// A problem with the database itself (cannot open, corrupt, read-only, a
// schema this binary does not know, a failed statement). The CLI turns it
// into a message and exit 2 at start.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;
using SqlRow = std::vector<std::optional<std::string>>;  // each column as text; nullopt is NULL

struct SqlResult {
  std::vector<SqlRow> rows;
  std::int64_t affected = 0;  // rows changed by an INSERT, UPDATE or DELETE
};

enum class Dialect { sqlite, postgresql };

// How much a committed write survives on SQLite. Both survive a crash of the
// process (kill -9): the commit is in the WAL, in the kernel's page cache.
// PostgreSQL keeps its own settings (fsync, synchronous_commit) whatever this is.
enum class Sync {
  normal,  // synchronous=NORMAL: a power loss or an OS crash may undo the last commits (the file stays consistent)
  full,    // synchronous=FULL: each commit waits for the WAL's fsync, and survives a power loss too
};
// "normal" or "full".
std::optional<Sync> parse_sync(const std::string& text);

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual Dialect dialect() const = 0;
  // Where the database is, for messages (a file path or a URI without password).
  virtual const std::string& location() const = 0;
  // One statement; $1..$n are bound to `params` in order.
  virtual SqlResult run(const std::string& sql, const std::vector<SqlValue>& params = {}) = 0;
  // A write transaction: SQLite takes the write lock at once (BEGIN
  // IMMEDIATE) so that two writers never deadlock on an upgrade.
  virtual void begin_write() = 0;
  // A transaction for reading whose statements all see the database as it
  // was at the first of them, whatever other connections commit meanwhile:
  // PostgreSQL's REPEATABLE READ, READ ONLY (a write in it is refused);
  // SQLite's deferred transaction (in WAL mode a reader keeps the snapshot
  // of its first read).
  virtual void begin_read() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
};

// Runs `body` in the transaction `begin` opens: committed when it returns,
// rolled back when it throws (the exception goes on).
template <typename Body>
auto in_transaction(SqlConnection& db, void (SqlConnection::*begin)(), Body body) {
  (db.*begin)();
  try {
    if constexpr (std::is_void_v<decltype(body())>) {
      body();
      db.commit();
    } else {
      auto result = body();
      db.commit();
      return result;
    }
  } catch (...) {
    try {
      db.rollback();
    } catch (...) {  // the first error is the one to report
    }
    throw;
  }
}
// A write transaction.
template <typename Body>
auto in_transaction(SqlConnection& db, Body body) {
  return in_transaction(db, &SqlConnection::begin_write, std::move(body));
}
// Several reads of one snapshot (SqlConnection::begin_read).
template <typename Body>
auto in_snapshot(SqlConnection& db, Body body) {
  return in_transaction(db, &SqlConnection::begin_read, std::move(body));
}

// How a SQLite file is checked at open: `whole`, every page (PRAGMA
// quick_check: a damaged file is refused before anything is written to it;
// 0.2 s at 200,000 tickets), or `header` (the file is a database), for the
// further connections of a process that has checked the whole file already.
enum class Integrity { whole, header };

// When a SQLite connection copies the WAL into the database: `on_commit`,
// SQLite's default (the commit that takes the WAL past 1,000 pages does it),
// or `in_background`, left to a WalCheckpointer (store/wal_checkpointer.hpp),
// with the commit past 10,000 pages as a backstop.
enum class Checkpoints { on_commit, in_background };

// "postgresql://..." or "postgres://..." opens PostgreSQL; anything else is a
// SQLite file (created if missing; its directory must exist).
std::unique_ptr<SqlConnection> connect(const std::string& location, Sync sync = Sync::normal, Integrity check = Integrity::whole,
                                       Checkpoints checkpoints = Checkpoints::on_commit);
bool is_postgresql(const std::string& location);
std::unique_ptr<SqlConnection> connect_sqlite(const std::string& path, Sync sync = Sync::normal, Integrity check = Integrity::whole,
                                              Checkpoints checkpoints = Checkpoints::on_commit);
std::unique_ptr<SqlConnection> connect_postgresql(const std::string& uri);

}  // namespace switchboard::store
