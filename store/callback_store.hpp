// Callbacks `switchboard serve` has promised, kept in the ticket database so
// that a restart (kill -9 included) still calls the customers back: a
// promise is on disk (one committed transaction) before promise() returns,
// and stays pending until done() records how it ended.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "store/sql_connection.hpp"

namespace switchboard::store {

struct PromisedCallback {
  std::int64_t id = 0;         // from the database
  std::string call_id;         // the call that took the offer (CDR call id)
  std::string caller;          // whom to call back: the caller's From URI
  std::string call_type;       // scenario names, so an edited scenario is still understood
  std::string queue;
  int priority = 0;
  std::vector<std::string> tags;
  double promised = 0;         // Unix seconds
};

class CallbackStore {
 public:
  // `db`: a connection to a migrated ticket database (TicketStore::open).
  explicit CallbackStore(std::unique_ptr<SqlConnection> db) : db_(std::move(db)) {}

  // Stores the promise (committed when this returns) and returns its id.
  std::int64_t promise(const PromisedCallback& c);
  // The promise is kept (`outcome` "placed": an agent took the call) or
  // could not be (the queue was closed or full at restart, ...).
  void done(std::int64_t id, double at, const std::string& outcome);
  // Every promise not done yet, oldest first.
  std::vector<PromisedCallback> pending();

 private:
  std::unique_ptr<SqlConnection> db_;
};

}  // namespace switchboard::store
