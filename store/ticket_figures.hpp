// The ticket figures `serve` exports on /metrics, read from the store:
// tickets by state and category, created and resolved so far, SLA breaches
// so far, and the open tickets by age. Every count but the by-state one only
// grows as the store is used (tickets are never deleted, history is only
// appended), so they are exported as Prometheus counters.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "store/sql_connection.hpp"

namespace switchboard::store {

// Upper bounds (seconds) of the open tickets' age buckets: 1 h, 4 h, 1 d, 2 d, 1 week.
inline constexpr std::array<double, 5> kTicketAgeBuckets = {3600, 4 * 3600, 86400, 2 * 86400, 7 * 86400};

// The back office of one group, now (the tickets it holds): what the
// simulator reports per back-office group, read from the store.
struct GroupFigures {
  std::int64_t backlog = 0;              // open tickets
  std::int64_t breaching = 0;            // open, past their resolution due time
  std::int64_t resolved = 0;             // resolved or closed
  std::int64_t resolved_within_sla = 0;  // ... at or before their resolution due time
  bool operator==(const GroupFigures&) const = default;
};

struct TicketFigures {
  std::map<std::pair<std::string, std::string>, std::int64_t> by_state_category;  // (state, category) -> tickets
  std::int64_t created = 0;        // every ticket ever stored
  std::int64_t resolved = 0;       // moves into `resolved` (a reopened and resolved again ticket counts twice)
  std::int64_t sla_breaches = 0;   // tickets resolved after their resolution due time, open past it, or cancelled past it
  std::array<std::int64_t, kTicketAgeBuckets.size()> open_by_age{};  // open tickets at most this old (cumulative)
  std::int64_t open = 0;
  double open_age_sum = 0;         // seconds
  std::map<std::string, GroupFigures> by_group;  // by the group that holds the ticket
};

class TicketFigureReader {
 public:
  explicit TicketFigureReader(std::unique_ptr<SqlConnection> db) : db_(std::move(db)) {}
  TicketFigures read(double now);

 private:
  std::unique_ptr<SqlConnection> db_;
};

}  // namespace switchboard::store
