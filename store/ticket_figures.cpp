#include "store/ticket_figures.hpp"

#include <string>

#include "core/ticket_model.hpp"
#include "store/open_states.hpp"
#include "store/ticket_tallies.hpp"

namespace switchboard::store {

namespace {
std::int64_t number(const SqlResult& r, std::size_t column = 0) {
  return r.rows.empty() ? 0 : static_cast<std::int64_t>(std::stod(r.rows[0].at(column).value_or("0")));
}
}  // namespace

TicketFigures TicketFigureReader::read(double now) {
  // Three statements, one snapshot: /metrics counts a ticket that moves on
  // while they run once, where it was (SqlConnection::begin_read).
  return in_snapshot(*db_, [&] {
    TicketFigures f;
    // What only changes with a ticket write comes from ticket_tallies; what
    // changes with the clock (open past the due time, ages) from the open
    // tickets alone, which the state index finds without reading the others.
    for (const auto& [key, t] : read_tallies(*db_)) {
      if (t.tickets == 0) continue;  // every ticket of it moved on
      f.by_state_category[{key.state, key.category}] += t.tickets;
      f.created += t.tickets;
      f.resolved += t.resolved_moves;
      f.sla_breaches += t.breached;
      GroupFigures& g = f.by_group[key.group];
      const auto state = ticketing::parse_status(key.state);
      if (state && ticketing::is_open(*state)) g.backlog += t.tickets;
      if (state == ticketing::Status::resolved || state == ticketing::Status::closed) {
        g.resolved += t.tickets;
        g.resolved_within_sla += t.within_sla;
      }
    }
    // An open ticket past its due time is breaching, and a breach unless its
    // tally counted one already (resolved late before it was reopened).
    for (const SqlRow& row : db_->run("SELECT owner_group, count(*),"
                                      " sum(CASE WHEN resolved IS NOT NULL AND resolved > resolution_due THEN 0 ELSE 1 END)"
                                      " FROM tickets WHERE " + open_states_condition() + " AND resolution_due < $1 GROUP BY owner_group",
                                      {now})
                               .rows) {
      f.by_group[row.at(0).value_or("")].breaching = std::stoll(row.at(1).value_or("0"));
      f.sla_breaches += std::stoll(row.at(2).value_or("0"));
    }
    std::string ages = "SELECT count(*), coalesce(sum($1 - created), 0)";
    for (std::size_t i = 0; i < kTicketAgeBuckets.size(); ++i)
      ages += ", coalesce(sum(CASE WHEN $1 - created <= " + std::to_string(kTicketAgeBuckets[i]) + " THEN 1 ELSE 0 END), 0)";
    const SqlResult a = db_->run(ages + " FROM tickets WHERE " + open_states_condition(), {now});
    f.open = number(a, 0);
    f.open_age_sum = a.rows.empty() ? 0 : std::stod(a.rows[0].at(1).value_or("0"));
    for (std::size_t i = 0; i < kTicketAgeBuckets.size(); ++i) f.open_by_age[i] = number(a, 2 + i);
    return f;
  });
}

}  // namespace switchboard::store
