// SQLite behind SqlConnection: one file in WAL mode (a committed write
// survives a crash of the process; with Sync::full, synchronous=FULL, a power
// loss too), a busy timeout so that several writers queue instead of
// failing, and checks at open that the file is a healthy, writable database.
#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <unordered_map>

#include "store/sql_connection.hpp"

namespace switchboard::store {

namespace {

constexpr int kBusyTimeoutMs = 30'000;

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(const std::string& path, Sync sync, Integrity check, Checkpoints checkpoints) : path_(path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK) {
      const std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError("cannot open the ticket database " + path + ": " + why);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    try {
      if (sqlite3_db_readonly(db_, "main") == 1)
        throw StoreError("the ticket database " + path + " is read-only: the store needs to write to it "
                         "(check the file's and its directory's permissions)");
      check_healthy(check);
      // ":memory:" is a throwaway store (a dry run of the rules): no file, no WAL.
      const auto mode = switch_to_wal();
      if (path != ":memory:" && (mode.rows.empty() || mode.rows[0][0].value_or("") != "wal"))
        throw StoreError("the ticket database " + path + " could not be switched to WAL mode");
      // In WAL mode NORMAL syncs at checkpoints only; FULL also at each commit.
      run(sync == Sync::full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
      run("PRAGMA foreign_keys=ON");
      if (checkpoints == Checkpoints::in_background) run("PRAGMA wal_autocheckpoint=10000");
    } catch (...) {
      sqlite3_close(db_);
      db_ = nullptr;
      throw;
    }
  }

  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  // Turning a new file to WAL takes an exclusive lock, and SQLite answers
  // SQLITE_BUSY at once, without its busy handler, while another connection
  // is opening the same new file: try again within the busy timeout.
  SqlResult switch_to_wal() {
    for (int waited_ms = 0;; waited_ms += 10) {
      try {
        return run("PRAGMA journal_mode=WAL");
      } catch (const StoreError&) {
        if ((sqlite3_errcode(db_) & 0xff) != SQLITE_BUSY || waited_ms >= kBusyTimeoutMs) throw;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  Dialect dialect() const override { return Dialect::sqlite; }
  const std::string& location() const override { return path_; }

  SqlResult run(const std::string& sql, const std::vector<SqlValue>& params) override {
    sqlite3_stmt* stmt = prepared(sql);
    // Reset and unbound after each use, kept for the next (prepare costs
    // more than most of the store's statements take to run).
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i) + 1;
      const SqlValue& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) rc = sqlite3_bind_null(stmt, at);
      else if (auto* n = std::get_if<std::int64_t>(&v)) rc = sqlite3_bind_int64(stmt, at, *n);
      else if (auto* d = std::get_if<double>(&v)) rc = sqlite3_bind_double(stmt, at, *d);
      else {
        const std::string& s = std::get<std::string>(v);
        rc = sqlite3_bind_text(stmt, at, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) fail("binding", sql);
    }
    SqlResult result;
    const int columns = sqlite3_column_count(stmt);
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail("running", sql);
      SqlRow row(columns);
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL: break;
          case SQLITE_INTEGER: row[c] = std::to_string(sqlite3_column_int64(stmt, c)); break;
          // SQLite's own text of a REAL keeps 15 digits; times need all 17.
          case SQLITE_FLOAT: row[c] = fmt::format("{}", sqlite3_column_double(stmt, c)); break;
          default: {
            const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            row[c] = std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
          }
        }
      }
      result.rows.push_back(std::move(row));
    }
    result.affected = sqlite3_changes64(db_);
    return result;
  }

  void begin_write() override { run("BEGIN IMMEDIATE"); }
  void begin_read() override { run("BEGIN DEFERRED"); }
  void commit() override { run("COMMIT"); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) run("ROLLBACK");
  }

 private:
  SqlResult run(const char* sql) { return run(std::string(sql), {}); }

  // The statement for `sql`, prepared once per connection. The shared SQL
  // numbers parameters $1..$n; SQLite spells them ?1..?n.
  sqlite3_stmt* prepared(const std::string& sql) {
    if (const auto it = statements_.find(sql); it != statements_.end()) return it->second;
    std::string text = sql;
    for (std::size_t i = 0; i + 1 < text.size(); ++i)
      if (text[i] == '$' && text[i + 1] >= '0' && text[i + 1] <= '9') text[i] = '?';
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, text.c_str(), -1, &stmt, nullptr) != SQLITE_OK) fail("preparing", sql);
    // Statements built from a query's filters vary; only keep a bounded set.
    if (statements_.size() >= kMaxStatements) {
      for (auto& [k, v] : statements_) sqlite3_finalize(v);
      statements_.clear();
    }
    statements_.emplace(sql, stmt);
    return stmt;
  }

  // A file that is not a database, or a damaged one, is refused before
  // anything is written to it.
  void check_healthy(Integrity check) {
    SqlResult r;
    try {
      if (check == Integrity::header) {
        run("PRAGMA schema_version");  // reads the header: SQLITE_NOTADB for another kind of file
        return;
      }
      r = run("PRAGMA quick_check");
    } catch (const StoreError& e) {
      throw StoreError("the ticket database " + path_ + " is not a database or is corrupt: " + e.what());
    }
    if (r.rows.empty() || r.rows[0][0].value_or("") != "ok")
      throw StoreError("the ticket database " + path_ + " is corrupt (integrity check: " +
                       (r.rows.empty() ? std::string("no answer") : r.rows[0][0].value_or("?")) + ")");
  }

  [[noreturn]] void fail(const char* doing, const std::string& sql) {
    const int code = sqlite3_extended_errcode(db_);
    std::string why = sqlite3_errmsg(db_);
    if ((code & 0xff) == SQLITE_READONLY) why += " (the database file or its directory is read-only)";
    throw StoreError(fmt::format("{}: sqlite error {} {} `{}`: {}", path_, code, doing, sql.substr(0, 60), why));
  }

  static constexpr std::size_t kMaxStatements = 64;
  std::string path_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

std::unique_ptr<SqlConnection> connect_sqlite(const std::string& path, Sync sync, Integrity check, Checkpoints checkpoints) {
  if (path.empty()) throw StoreError("expected the ticket database's file name");
  return std::make_unique<SqliteConnection>(path, sync, check, checkpoints);
}

}  // namespace switchboard::store
