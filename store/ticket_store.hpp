// Persisted tickets: create, read, list/search, update with optimistic
// concurrency, and the figures `tickets stats` prints. One implementation of
// the SQL over SqlConnection, so SQLite and PostgreSQL behave the same.
// Every write is one transaction: it happens whole or not at all.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ticket_model.hpp"
#include "store/sql_connection.hpp"

namespace switchboard::store {

// The ticket changed since it was read: its stored version is not the one
// the update started from. Nothing was written; read it again and retry.
class StaleVersion : public std::runtime_error {
 public:
  StaleVersion(std::int64_t id, std::int64_t expected, std::int64_t stored);
  std::int64_t stored() const { return stored_; }

 private:
  std::int64_t stored_;
};

class NoSuchTicket : public std::runtime_error {
 public:
  explicit NoSuchTicket(std::int64_t id);
};

struct TicketQuery {
  std::optional<ticketing::Status> state;
  std::string category;          // empty: any
  std::string customer;          // empty: any
  std::string group;             // empty: any
  std::string agent;             // empty: any
  bool open_only = false;        // not resolved, closed or cancelled
  std::optional<double> breaching_at;  // only open tickets past their resolution due time at this time
  std::int64_t after_id = 0;     // paging: ids above this one
  int limit = 100;               // at most this many, by id
  bool with_history = false;
};

struct CategoryStats {
  std::int64_t open = 0;
  std::int64_t breaching = 0;    // open, past the resolution due time
  std::int64_t resolved = 0;     // resolved or closed
  std::int64_t resolved_within_sla = 0;
  bool operator==(const CategoryStats&) const = default;
};

struct TicketStats {
  std::map<std::string, std::int64_t> by_state;      // every state, 0 included
  std::map<std::string, CategoryStats> by_category;
  std::int64_t open = 0;
  double mean_open_age = 0;      // seconds, over open tickets
  double max_open_age = 0;
  std::int64_t breaching = 0;
  std::int64_t first_response_breaching = 0;
  std::int64_t resolved = 0;
  std::int64_t resolved_within_sla = 0;
};

class TicketStore {
 public:
  // Opens (and creates or migrates) the store at `location`: a SQLite file
  // (its commits kept as `sync` says), or a postgresql:// URI. StoreError
  // when it cannot be used.
  static std::unique_ptr<TicketStore> open(const std::string& location, Sync sync = Sync::normal, Integrity check = Integrity::whole,
                                           Checkpoints checkpoints = Checkpoints::on_commit);
  explicit TicketStore(std::unique_ptr<SqlConnection> db);

  // Stores a new ticket (its id and version are ignored) and returns it as
  // stored: a fresh id from the database, version 1.
  ticketing::Ticket create(const ticketing::Ticket& t);
  // Several new tickets in one transaction (one commit, one fsync): all are
  // stored, in order, or none.
  std::vector<ticketing::Ticket> create_all(const std::vector<ticketing::Ticket>& tickets);
  std::optional<ticketing::Ticket> get(std::int64_t id);
  std::vector<ticketing::Ticket> list(const TicketQuery& q);
  // Writes `t` over the stored ticket if the stored version is still
  // t.version (else StaleVersion, nothing written); history entries beyond
  // the stored ones are appended. Returns it with the new version.
  ticketing::Ticket update(const ticketing::Ticket& t);
  // Open tickets per agent (agents with none are absent).
  std::map<std::string, int> open_tickets_by_agent();
  // Read in one snapshot: consistent while other connections write.
  TicketStats stats(double now);
  int schema_version();
  const std::string& location() const { return db_->location(); }

 private:
  std::vector<ticketing::Change> history_of(std::int64_t id);
  void append_history(std::int64_t id, const std::vector<ticketing::Change>& history, std::size_t from);
  std::unique_ptr<SqlConnection> db_;
};

}  // namespace switchboard::store
