#include "store/wal_checkpointer.hpp"

#include <chrono>

namespace switchboard::store {

WalCheckpointer::WalCheckpointer(const std::string& location, Sync sync) {
  if (is_postgresql(location)) return;
  db_ = connect_sqlite(location, sync, Integrity::header);
  every_100ms_ = std::make_unique<Periodic>(std::chrono::milliseconds(100), [this] { checkpoint(); });
}

WalCheckpointer::~WalCheckpointer() {
  if (!every_100ms_) return;
  every_100ms_.reset();
  checkpoint();  // what the last writes left in the WAL
}

void WalCheckpointer::checkpoint() {
  ++checkpoints_;
  try {
    db_->run("PRAGMA wal_checkpoint(PASSIVE)");
  } catch (const StoreError&) {
    ++failures_;  // e.g. the file is busy being opened; the next round tries again
  }
}

}  // namespace switchboard::store
