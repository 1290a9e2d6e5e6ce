#include "store/wal_checkpointer.hpp"

#include <chrono>

namespace switchboard::store {

WalCheckpointer::WalCheckpointer(const std::string& location, Sync sync) {
  if (is_postgresql(location)) return;
  db_ = connect_sqlite(location, sync, Integrity::header);
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stop_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stopping_; })) {
      lock.unlock();
      checkpoint();
      lock.lock();
    }
  });
}

WalCheckpointer::~WalCheckpointer() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  thread_.join();
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
