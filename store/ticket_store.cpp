#include "store/ticket_store.hpp"

#include <nlohmann/json.hpp>

#include <string>

#include "store/open_states.hpp"
#include "store/schema.hpp"
#include "store/ticket_tallies.hpp"

namespace switchboard::store {

using ticketing::Change;
using ticketing::Status;
using ticketing::Ticket;

namespace {

constexpr const char* kColumns =
    "id, version, customer, category, priority, tags, calls, owner_group, agent, state, escalated, created, "
    "first_response_due, resolution_due, first_response, resolved";

std::string json_list(const std::vector<std::string>& v) { return nlohmann::json(v).dump(); }

std::vector<std::string> list_of(const std::optional<std::string>& text) {
  return nlohmann::json::parse(text.value_or("[]")).get<std::vector<std::string>>();
}

const std::string& text(const SqlRow& row, std::size_t c) {
  if (!row.at(c)) throw StoreError("unexpected NULL in column " + std::to_string(c) + " of a ticket");
  return *row[c];
}

std::optional<double> maybe_number(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  return std::stod(*v);
}

SqlValue maybe(const std::optional<double>& v) { return v ? SqlValue{*v} : SqlValue{}; }

// $1..$14 of the INSERT and the UPDATE: the ticket's columns in one order.
std::vector<SqlValue> ticket_columns(const Ticket& t) {
  return {t.customer, t.category, std::int64_t{t.priority}, json_list(t.tags), json_list(t.calls), t.group, t.agent,
          std::string(ticketing::status_name(t.status)), std::int64_t{t.escalated ? 1 : 0}, t.created,
          t.first_response_due, t.resolution_due, maybe(t.first_response), maybe(t.resolved)};
}

// ... and the UPDATE's $15, $16: which ticket, at which version.
std::vector<SqlValue> with_id_and_version(std::vector<SqlValue> columns, const Ticket& t) {
  columns.emplace_back(t.id);
  columns.emplace_back(t.version);
  return columns;
}

Ticket ticket_of(const SqlRow& r) {
  Ticket t;
  t.id = std::stoll(text(r, 0));
  t.version = std::stoll(text(r, 1));
  t.customer = text(r, 2);
  t.category = text(r, 3);
  t.priority = std::stoi(text(r, 4));
  t.tags = list_of(r[5]);
  t.calls = list_of(r[6]);
  t.group = text(r, 7);
  t.agent = text(r, 8);
  const auto status = ticketing::parse_status(text(r, 9));
  if (!status) throw StoreError("ticket " + std::to_string(t.id) + " has an unknown state '" + text(r, 9) + "'");
  t.status = *status;
  t.escalated = text(r, 10) != "0";
  t.created = std::stod(text(r, 11));
  t.first_response_due = std::stod(text(r, 12));
  t.resolution_due = std::stod(text(r, 13));
  t.first_response = maybe_number(r[14]);
  t.resolved = maybe_number(r[15]);
  return t;
}

// The agent whose open tickets `t` counts in (agent_open_tickets), if any.
const std::string* counted_for(const std::string& agent, Status state) {
  return agent.empty() || !ticketing::is_open(state) ? nullptr : &agent;
}

// Changes agent_open_tickets by `deltas`, in the agents' order: on
// PostgreSQL two writers then lock the rows they share in the same order
// (no deadlock between two servers).
void add_open_tickets(SqlConnection& db, const std::map<std::string, std::int64_t>& deltas) {
  for (const auto& [agent, delta] : deltas)
    if (delta != 0)
      db.run("INSERT INTO agent_open_tickets (agent, open_tickets) VALUES ($1, $2) ON CONFLICT (agent) DO UPDATE "
             "SET open_tickets = agent_open_tickets.open_tickets + excluded.open_tickets",
             {agent, delta});
}

bool into(const Change& c, Status state) { return c.field == "state" && c.to == ticketing::status_name(state); }

// The ticket as ticket_tallies counts it, with `stored` the facts of its
// history already in the database and the changes from `from` on added.
TalliedTicket tallied(const Ticket& t, std::size_t from, std::int64_t stored_resolved_moves = 0, bool stored_cancelled_after_due = false) {
  TalliedTicket out{std::string(ticketing::status_name(t.status)), t.category, t.group, t.resolved, t.resolution_due,
                    stored_resolved_moves, stored_cancelled_after_due};
  for (std::size_t i = from; i < t.history.size(); ++i) {
    const Change& c = t.history[i];
    if (into(c, Status::resolved)) ++out.resolved_moves;
    if (into(c, Status::cancelled) && c.at > t.resolution_due) out.cancelled_after_due = true;
  }
  return out;
}

}  // namespace

StaleVersion::StaleVersion(std::int64_t id, std::int64_t expected, std::int64_t stored)
    : std::runtime_error("ticket " + std::to_string(id) + " changed since it was read (version " +
                         std::to_string(expected) + ", now " + std::to_string(stored) + "): read it again and retry"),
      stored_(stored) {}

NoSuchTicket::NoSuchTicket(std::int64_t id) : std::runtime_error("no ticket " + std::to_string(id)) {}

std::unique_ptr<TicketStore> TicketStore::open(const std::string& location, Sync sync, Integrity check, Checkpoints checkpoints) {
  return std::make_unique<TicketStore>(connect(location, sync, check, checkpoints));
}

TicketStore::TicketStore(std::unique_ptr<SqlConnection> db) : db_(std::move(db)) { migrate(*db_); }

int TicketStore::schema_version() { return store::schema_version(*db_); }

Ticket TicketStore::create(const Ticket& t) { return create_all({t}).at(0); }

std::vector<Ticket> TicketStore::create_all(const std::vector<Ticket>& tickets) {
  return in_transaction(*db_, [&] {
    std::vector<Ticket> out;
    out.reserve(tickets.size());
    std::map<std::string, std::int64_t> opened;
    Tallies tallies;
    for (const Ticket& t : tickets) {
      if (const std::string* agent = counted_for(t.agent, t.status)) ++opened[*agent];
      add_share(tallies, tallied(t, 0), +1);
      const SqlResult r = db_->run(
          "INSERT INTO tickets (version, customer, category, priority, tags, calls, owner_group, agent, state, "
          "escalated, created, first_response_due, resolution_due, first_response, resolved) "
          "VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
          ticket_columns(t));
      Ticket stored = t;
      stored.id = std::stoll(text(r.rows.at(0), 0));
      stored.version = 1;
      append_history(stored.id, stored.history, 0);
      out.push_back(std::move(stored));
    }
    add_open_tickets(*db_, opened);
    write_deltas(*db_, tallies);
    return out;
  });
}

std::optional<Ticket> TicketStore::get(std::int64_t id) {
  const SqlResult r = db_->run(std::string("SELECT ") + kColumns + " FROM tickets WHERE id = $1", {id});
  if (r.rows.empty()) return std::nullopt;
  Ticket t = ticket_of(r.rows[0]);
  t.history = history_of(id);
  return t;
}

std::vector<Ticket> TicketStore::list(const TicketQuery& q) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM tickets WHERE id > $1";
  std::vector<SqlValue> params = {q.after_id};
  auto where = [&](const std::string& condition, SqlValue v) {
    params.push_back(std::move(v));
    sql += " AND " + condition + " $" + std::to_string(params.size());
  };
  const std::string& open_states = open_states_condition();
  if (q.state) where("state =", std::string(ticketing::status_name(*q.state)));
  if (!q.category.empty()) where("category =", q.category);
  if (!q.customer.empty()) where("customer =", q.customer);
  if (!q.group.empty()) where("owner_group =", q.group);
  if (!q.agent.empty()) where("agent =", q.agent);
  if (q.open_only) sql += " AND " + open_states;
  if (q.breaching_at) {
    sql += " AND " + open_states;
    where("resolution_due <", *q.breaching_at);
  }
  params.push_back(std::int64_t{q.limit});
  sql += " ORDER BY id LIMIT $" + std::to_string(params.size());
  std::vector<Ticket> out;
  for (const SqlRow& row : db_->run(sql, params).rows) {
    out.push_back(ticket_of(row));
    if (q.with_history) out.back().history = history_of(out.back().id);
  }
  return out;
}

Ticket TicketStore::update(const Ticket& t) {
  return in_transaction(*db_, [&] {
    // What the stored version counts in agent_open_tickets. Should another
    // writer change the ticket after this read, the UPDATE below finds a
    // newer version and nothing is written.
    const SqlResult before = db_->run(
        "SELECT agent, state, category, owner_group, resolved, resolution_due FROM tickets WHERE id = $1 AND version = $2",
        {t.id, t.version});
    const SqlResult r = db_->run(
        "UPDATE tickets SET version = version + 1, customer = $1, category = $2, priority = $3, tags = $4, calls = $5, "
        "owner_group = $6, agent = $7, state = $8, escalated = $9, created = $10, first_response_due = $11, "
        "resolution_due = $12, first_response = $13, resolved = $14 WHERE id = $15 AND version = $16",
        with_id_and_version(ticket_columns(t), t));
    if (r.affected != 1 || before.rows.empty()) {
      const SqlResult v = db_->run("SELECT version FROM tickets WHERE id = $1", {t.id});
      if (v.rows.empty()) throw NoSuchTicket(t.id);
      throw StaleVersion(t.id, t.version, std::stoll(text(v.rows[0], 0)));
    }
    std::map<std::string, std::int64_t> moved;
    const auto was = ticketing::parse_status(text(before.rows[0], 1));
    if (!was) throw StoreError("ticket " + std::to_string(t.id) + " has an unknown state '" + text(before.rows[0], 1) + "'");
    if (const std::string* agent = counted_for(text(before.rows[0], 0), *was)) --moved[*agent];
    if (const std::string* agent = counted_for(t.agent, t.status)) ++moved[*agent];
    add_open_tickets(*db_, moved);
    // The stored history's length and what ticket_tallies counts of it,
    // against the due time before and after this update.
    const double due_before = std::stod(text(before.rows[0], 5));
    const SqlRow facts =
        db_->run("SELECT count(*), coalesce(sum(CASE WHEN field = 'state' AND to_value = 'resolved' THEN 1 ELSE 0 END), 0),"
                 " coalesce(sum(CASE WHEN field = 'state' AND to_value = 'cancelled' AND at > $2 THEN 1 ELSE 0 END), 0),"
                 " coalesce(sum(CASE WHEN field = 'state' AND to_value = 'cancelled' AND at > $3 THEN 1 ELSE 0 END), 0)"
                 " FROM ticket_history WHERE ticket_id = $1",
                 {t.id, due_before, t.resolution_due})
            .rows.at(0);
    auto fact = [&](std::size_t c) { return std::stoll(facts.at(c).value_or("0")); };
    const auto stored = static_cast<std::size_t>(fact(0));
    if (t.history.size() < stored)
      throw StoreError("ticket " + std::to_string(t.id) + ": an update must keep the history it was read with");
    Tallies tallies;
    add_share(tallies,
              TalliedTicket{text(before.rows[0], 1), text(before.rows[0], 2), text(before.rows[0], 3),
                            maybe_number(before.rows[0][4]), due_before, fact(1), fact(2) > 0},
              -1);
    add_share(tallies, tallied(t, stored, fact(1), fact(3) > 0), +1);
    write_deltas(*db_, tallies);
    append_history(t.id, t.history, stored);
    Ticket out = t;
    out.version = t.version + 1;
    return out;
  });
}

std::vector<Change> TicketStore::history_of(std::int64_t id) {
  std::vector<Change> out;
  for (const SqlRow& r : db_->run("SELECT who, at, field, from_value, to_value, note FROM ticket_history "
                                  "WHERE ticket_id = $1 ORDER BY seq",
                                  {id})
                             .rows)
    out.push_back(Change{text(r, 0), std::stod(text(r, 1)), text(r, 2), text(r, 3), text(r, 4), text(r, 5)});
  return out;
}

void TicketStore::append_history(std::int64_t id, const std::vector<Change>& history, std::size_t from) {
  for (std::size_t i = from; i < history.size(); ++i) {
    const Change& c = history[i];
    db_->run("INSERT INTO ticket_history (ticket_id, seq, who, at, field, from_value, to_value, note) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
             {id, static_cast<std::int64_t>(i), c.who, c.at, c.field, c.from, c.to, c.note});
  }
}

std::map<std::string, int> TicketStore::open_tickets_by_agent() {
  std::map<std::string, int> out;
  for (const SqlRow& r : db_->run("SELECT agent, open_tickets FROM agent_open_tickets WHERE open_tickets > 0").rows)
    out[text(r, 0)] = std::stoi(text(r, 1));
  return out;
}

TicketStats TicketStore::stats(double now) {
  // Three statements, one snapshot: a ticket that moves on while they run
  // (`serve` writes beside `tickets stats`) is counted once, where it was.
  return in_snapshot(*db_, [&] {
    TicketStats s;
    for (int i = 0; i < ticketing::kStatusCount; ++i)
      s.by_state[std::string(ticketing::status_name(static_cast<Status>(i)))] = 0;
    // What changes only with a write comes from ticket_tallies; what changes
    // with the clock (past a due time, ages) from the open tickets alone, which
    // the state index finds without reading the ones that are done.
    for (const auto& [key, t] : read_tallies(*db_)) {
      if (t.tickets == 0) continue;  // every ticket of it moved on
      s.by_state[key.state] += t.tickets;
      CategoryStats& k = s.by_category[key.category];
      if (key.state == "resolved" || key.state == "closed") {
        k.resolved += t.tickets;
        k.resolved_within_sla += t.within_sla;
      }
    }
    const SqlResult open = db_->run(
        "SELECT category, count(*),"
        " sum(CASE WHEN resolution_due < $1 THEN 1 ELSE 0 END),"
        " sum(CASE WHEN first_response IS NULL AND first_response_due < $2 THEN 1 ELSE 0 END)"
        " FROM tickets WHERE " + open_states_condition() + " GROUP BY category",
        {now, now});
    for (const SqlRow& r : open.rows) {
      CategoryStats& k = s.by_category[text(r, 0)];
      k.open = std::stoll(text(r, 1));
      k.breaching = std::stoll(text(r, 2));
      s.first_response_breaching += std::stoll(text(r, 3));
    }
    for (const auto& [category, k] : s.by_category) {
      s.open += k.open;
      s.breaching += k.breaching;
      s.resolved += k.resolved;
      s.resolved_within_sla += k.resolved_within_sla;
    }
    const SqlResult age = db_->run("SELECT avg($1 - created), max($2 - created) FROM tickets WHERE " + open_states_condition(), {now, now});
    s.mean_open_age = maybe_number(age.rows.at(0).at(0)).value_or(0);
    s.max_open_age = maybe_number(age.rows.at(0).at(1)).value_or(0);
    return s;
  });
}

}  // namespace switchboard::store
