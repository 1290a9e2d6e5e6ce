// The tickets counted by (state, category, group), kept in the table
// ticket_tallies and changed in the same transaction as every ticket write
// (ticket_store.cpp), so that serve's /metrics, refreshed every second,
// reads a few rows instead of every ticket ever stored (schema version 5;
// at 200,000 tickets the full scans cost 0.3 s a refresh).
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "store/sql_connection.hpp"

namespace switchboard::store {

struct TallyKey {
  std::string state, category, group;
  auto operator<=>(const TallyKey&) const = default;
};

// What the tickets of one key add up to. Every count but `tickets` follows
// from a ticket's row and history, so a ticket's share can be taken back
// when it moves to another key.
struct Tally {
  std::int64_t tickets = 0;
  std::int64_t within_sla = 0;      // resolved at or before their resolution due time
  std::int64_t breached = 0;        // resolved after it, or cancelled after it: a breach nothing takes back
  std::int64_t resolved_moves = 0;  // changes of state into resolved (a reopened ticket resolved again counts twice)
  bool operator==(const Tally&) const = default;
};

// One ticket as the tallies see it: its row's columns and two facts of its
// history.
struct TalliedTicket {
  std::string state, category, group;
  std::optional<double> resolved;
  double resolution_due = 0;
  std::int64_t resolved_moves = 0;   // history changes into resolved
  bool cancelled_after_due = false;  // a history change into cancelled later than resolution_due
};

// Tallies by key: what the table holds, or what a write changes in it.
using Tallies = std::map<TallyKey, Tally>;

// Adds the ticket's share to `deltas` (sign +1) or takes it away (-1).
void add_share(Tallies& deltas, const TalliedTicket& t, int sign);

// Writes `deltas` to ticket_tallies, in key order: two PostgreSQL writers
// then lock the rows they share in the same order.
void write_deltas(SqlConnection& db, const Tallies& deltas);

Tallies read_tallies(SqlConnection& db);

// The migration that creates the table and counts the tickets already stored.
extern const char* const kCreateTallies;
extern const char* const kCountTallies;

}  // namespace switchboard::store
