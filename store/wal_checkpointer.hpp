// SQLite's WAL checkpoints off the request path. By default the connection
// whose commit takes the WAL past 1,000 pages copies it into the database
// then and there, inside that request: in the ticket API at 4 clients that
// cost a quarter of the creates and tripled their p99 (10 ms against 3 ms,
// build/bench/switchboard_bench --benchmark_filter=TicketApiCreate). A
// server's writer connections open with Checkpoints::in_background (they
// checkpoint only as a backstop, past 10,000 pages) and one WalCheckpointer
// copies the WAL every 100 ms on a connection and a thread of its own
// (PRAGMA wal_checkpoint(PASSIVE): it never waits for, nor blocks, a reader
// or a writer). PostgreSQL has no WAL of ours to mind: nothing is started.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "store/background_thread.hpp"
#include "store/sql_connection.hpp"

namespace switchboard::store {

class WalCheckpointer {
 public:
  // Throws StoreError if the SQLite file cannot be opened.
  WalCheckpointer(const std::string& location, Sync sync);
  ~WalCheckpointer();  // stops the thread after a last checkpoint
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  std::uint64_t checkpoints() const { return checkpoints_; }  // PRAGMAs run
  std::uint64_t failures() const { return failures_; }        // of them, failed (the next one tries again)

 private:
  void checkpoint();
  std::unique_ptr<SqlConnection> db_;
  std::atomic<std::uint64_t> checkpoints_{0}, failures_{0};
  std::unique_ptr<Periodic> every_100ms_;  // none on PostgreSQL
};

}  // namespace switchboard::store
