#include "store/ticket_figures.hpp"

#include <string>

namespace switchboard::store {

namespace {
const std::string kOpen = "state IN ('new', 'assigned', 'in_progress', 'waiting_for_customer')";

std::int64_t number(const SqlResult& r, std::size_t column = 0) {
  return r.rows.empty() ? 0 : static_cast<std::int64_t>(std::stod(r.rows[0].at(column).value_or("0")));
}
}  // namespace

TicketFigures TicketFigureReader::read(double now) {
  TicketFigures f;
  for (const SqlRow& row : db_->run("SELECT state, category, count(*) FROM tickets GROUP BY state, category").rows)
    f.by_state_category[{row.at(0).value_or(""), row.at(1).value_or("")}] = std::stoll(row.at(2).value_or("0"));
  f.created = number(db_->run("SELECT count(*) FROM tickets"));
  f.resolved = number(db_->run("SELECT count(*) FROM ticket_history WHERE field = 'state' AND to_value = 'resolved'"));
  // A ticket cancelled after its due time breached before it was withdrawn:
  // still counted, or the breaches would drop (and the counter undercount).
  f.sla_breaches = number(db_->run("SELECT count(*) FROM tickets WHERE (resolved IS NOT NULL AND resolved > resolution_due) OR (" +
                                       kOpen + " AND resolution_due < $1) OR (state = 'cancelled' AND EXISTS (SELECT 1 FROM "
                                       "ticket_history h WHERE h.ticket_id = tickets.id AND h.field = 'state' AND "
                                       "h.to_value = 'cancelled' AND h.at > tickets.resolution_due))",
                                   {now}));
  for (const SqlRow& row : db_->run("SELECT owner_group, sum(CASE WHEN " + kOpen + " THEN 1 ELSE 0 END),"
                                    " sum(CASE WHEN " + kOpen + " AND resolution_due < $1 THEN 1 ELSE 0 END),"
                                    " sum(CASE WHEN state IN ('resolved', 'closed') THEN 1 ELSE 0 END),"
                                    " sum(CASE WHEN state IN ('resolved', 'closed') AND resolved <= resolution_due THEN 1 ELSE 0 END)"
                                    " FROM tickets GROUP BY owner_group",
                                    {now})
                             .rows)
    f.by_group[row.at(0).value_or("")] = {std::stoll(row.at(1).value_or("0")), std::stoll(row.at(2).value_or("0")),
                                          std::stoll(row.at(3).value_or("0")), std::stoll(row.at(4).value_or("0"))};
  std::string ages = "SELECT count(*), coalesce(sum($1 - created), 0)";
  for (std::size_t i = 0; i < kTicketAgeBuckets.size(); ++i)
    ages += ", coalesce(sum(CASE WHEN $1 - created <= " + std::to_string(kTicketAgeBuckets[i]) + " THEN 1 ELSE 0 END), 0)";
  const SqlResult a = db_->run(ages + " FROM tickets WHERE " + kOpen, {now});
  f.open = number(a, 0);
  f.open_age_sum = a.rows.empty() ? 0 : std::stod(a.rows[0].at(1).value_or("0"));
  for (std::size_t i = 0; i < kTicketAgeBuckets.size(); ++i) f.open_by_age[i] = number(a, 2 + i);
  return f;
}

}  // namespace switchboard::store
