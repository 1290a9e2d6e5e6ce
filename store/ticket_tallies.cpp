#include "store/ticket_tallies.hpp"

namespace switchboard::store {

void add_share(Tallies& deltas, const TalliedTicket& t, int sign) {
  Tally& k = deltas[TallyKey{t.state, t.category, t.group}];
  const bool late = t.resolved && *t.resolved > t.resolution_due;
  k.tickets += sign;
  k.within_sla += sign * (t.resolved && *t.resolved <= t.resolution_due ? 1 : 0);
  k.breached += sign * (late || (t.state == "cancelled" && t.cancelled_after_due) ? 1 : 0);
  k.resolved_moves += sign * t.resolved_moves;
}

void write_deltas(SqlConnection& db, const Tallies& deltas) {
  for (const auto& [key, d] : deltas)
    if (d != Tally{})
      db.run("INSERT INTO ticket_tallies (state, category, owner_group, tickets, within_sla, breached, resolved_moves) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (state, category, owner_group) DO UPDATE SET "
             "tickets = ticket_tallies.tickets + excluded.tickets, "
             "within_sla = ticket_tallies.within_sla + excluded.within_sla, "
             "breached = ticket_tallies.breached + excluded.breached, "
             "resolved_moves = ticket_tallies.resolved_moves + excluded.resolved_moves",
             {key.state, key.category, key.group, d.tickets, d.within_sla, d.breached, d.resolved_moves});
}

Tallies read_tallies(SqlConnection& db) {
  Tallies out;
  auto number = [](const std::optional<std::string>& v) { return std::stoll(v.value_or("0")); };
  for (const SqlRow& r :
       db.run("SELECT state, category, owner_group, tickets, within_sla, breached, resolved_moves FROM ticket_tallies").rows)
    out[TallyKey{r.at(0).value_or(""), r.at(1).value_or(""), r.at(2).value_or("")}] =
        Tally{number(r.at(3)), number(r.at(4)), number(r.at(5)), number(r.at(6))};
  return out;
}

const char* const kCreateTallies =
    "CREATE TABLE ticket_tallies ("
    " state TEXT NOT NULL,"
    " category TEXT NOT NULL,"
    " owner_group TEXT NOT NULL,"
    " tickets BIGINT NOT NULL,"
    " within_sla BIGINT NOT NULL,"
    " breached BIGINT NOT NULL,"
    " resolved_moves BIGINT NOT NULL,"
    " PRIMARY KEY (state, category, owner_group))";

// The same shares as add_share, in SQL, over the tickets already stored.
const char* const kCountTallies =
    "INSERT INTO ticket_tallies (state, category, owner_group, tickets, within_sla, breached, resolved_moves)"
    " SELECT state, category, owner_group, count(*), sum(within_sla), sum(breached), sum(resolved_moves) FROM ("
    "  SELECT t.state, t.category, t.owner_group,"
    "   CASE WHEN t.resolved IS NOT NULL AND t.resolved <= t.resolution_due THEN 1 ELSE 0 END AS within_sla,"
    "   CASE WHEN (t.resolved IS NOT NULL AND t.resolved > t.resolution_due) OR (t.state = 'cancelled' AND EXISTS ("
    "    SELECT 1 FROM ticket_history h WHERE h.ticket_id = t.id AND h.field = 'state' AND h.to_value = 'cancelled'"
    "    AND h.at > t.resolution_due)) THEN 1 ELSE 0 END AS breached,"
    "   (SELECT count(*) FROM ticket_history h WHERE h.ticket_id = t.id AND h.field = 'state'"
    "    AND h.to_value = 'resolved') AS resolved_moves"
    "  FROM tickets t) AS each_ticket"
    " GROUP BY state, category, owner_group";

}  // namespace switchboard::store
