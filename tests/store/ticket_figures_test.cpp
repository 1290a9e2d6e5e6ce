// serve's /metrics ticket figures and `tickets stats` come from
// ticket_tallies, kept as tickets change: after every step of a random walk through the lifecycle (creates,
// assignments, escalations to another group, resolutions late and in time,
// reopens, cancels before and after the due time, closes, the clock moving
// past due times), they equal what counting every stored ticket and its
// history says; and a schema 4 database is tallied when migrated.
#include <gtest/gtest.h>

#include <random>

#include "core/ticket_rules.hpp"
#include "store/postgres_cluster.hpp"
#include "store/store_rules.hpp"
#include "store/schema.hpp"
#include "store/ticket_figures.hpp"
#include "store/ticket_store.hpp"
#include "support/test_support.hpp"

using namespace switchboard;
using namespace switchboard::ticketing;
using namespace switchboard::store;

namespace {

constexpr double kT0 = 1764576000;

Rules rules() { return test::store_rules(); }

const std::string kOpen = "state IN ('new', 'assigned', 'in_progress', 'waiting_for_customer')";

std::int64_t number(const std::optional<std::string>& v) { return std::stoll(v.value_or("0")); }

// The figures by counting every ticket and its history (what serve did each
// second before the tallies).
TicketFigures recount(SqlConnection& db, double now) {
  TicketFigures f;
  for (const SqlRow& r : db.run("SELECT state, category, count(*) FROM tickets GROUP BY state, category").rows)
    f.by_state_category[{*r.at(0), *r.at(1)}] = number(r.at(2));
  f.created = number(db.run("SELECT count(*) FROM tickets").rows.at(0).at(0));
  f.resolved = number(db.run("SELECT count(*) FROM ticket_history WHERE field = 'state' AND to_value = 'resolved'").rows.at(0).at(0));
  f.sla_breaches = number(db.run("SELECT count(*) FROM tickets WHERE (resolved IS NOT NULL AND resolved > resolution_due) OR (" + kOpen +
                                     " AND resolution_due < $1) OR (state = 'cancelled' AND EXISTS (SELECT 1 FROM ticket_history h "
                                     "WHERE h.ticket_id = tickets.id AND h.field = 'state' AND h.to_value = 'cancelled' AND "
                                     "h.at > tickets.resolution_due))",
                                 {now})
                              .rows.at(0)
                              .at(0));
  for (const SqlRow& r : db.run("SELECT owner_group, sum(CASE WHEN " + kOpen + " THEN 1 ELSE 0 END), sum(CASE WHEN " + kOpen +
                                    " AND resolution_due < $1 THEN 1 ELSE 0 END), sum(CASE WHEN state IN ('resolved', 'closed') THEN 1 "
                                    "ELSE 0 END), sum(CASE WHEN state IN ('resolved', 'closed') AND resolved <= resolution_due THEN 1 "
                                    "ELSE 0 END) FROM tickets GROUP BY owner_group",
                                {now})
                            .rows)
    f.by_group[*r.at(0)] = {number(r.at(1)), number(r.at(2)), number(r.at(3)), number(r.at(4))};
  return f;
}

// `tickets stats` by counting every ticket (what TicketStore::stats did
// before the tallies).
TicketStats recount_stats(SqlConnection& db, double now) {
  TicketStats s;
  for (int i = 0; i < kStatusCount; ++i) s.by_state[std::string(status_name(static_cast<Status>(i)))] = 0;
  for (const SqlRow& r : db.run("SELECT state, count(*) FROM tickets GROUP BY state").rows) s.by_state[*r.at(0)] = number(r.at(1));
  for (const SqlRow& r : db.run("SELECT category, sum(CASE WHEN " + kOpen + " THEN 1 ELSE 0 END), sum(CASE WHEN " + kOpen +
                                    " AND resolution_due < $1 THEN 1 ELSE 0 END), sum(CASE WHEN state IN ('resolved', 'closed') THEN 1 "
                                    "ELSE 0 END), sum(CASE WHEN state IN ('resolved', 'closed') AND resolved <= resolution_due THEN 1 "
                                    "ELSE 0 END), sum(CASE WHEN " + kOpen + " AND first_response IS NULL AND first_response_due < $2 "
                                    "THEN 1 ELSE 0 END) FROM tickets GROUP BY category",
                                {now, now})
                            .rows) {
    CategoryStats& k = s.by_category[*r.at(0)];
    k = {number(r.at(1)), number(r.at(2)), number(r.at(3)), number(r.at(4))};
    s.open += k.open;
    s.breaching += k.breaching;
    s.resolved += k.resolved;
    s.resolved_within_sla += k.resolved_within_sla;
    s.first_response_breaching += number(r.at(5));
  }
  const SqlRow age = db.run("SELECT avg($1 - created), max($2 - created) FROM tickets WHERE " + kOpen, {now, now}).rows.at(0);
  s.mean_open_age = age.at(0) ? std::stod(*age.at(0)) : 0;
  s.max_open_age = age.at(1) ? std::stod(*age.at(1)) : 0;
  return s;
}

void expect_same(const TicketStats& tallied, const TicketStats& counted, const std::string& after) {
  EXPECT_EQ(tallied.by_state, counted.by_state) << after;
  EXPECT_EQ(tallied.by_category, counted.by_category) << after;
  EXPECT_EQ(tallied.open, counted.open) << after;
  EXPECT_EQ(tallied.breaching, counted.breaching) << after;
  EXPECT_EQ(tallied.first_response_breaching, counted.first_response_breaching) << after;
  EXPECT_EQ(tallied.resolved, counted.resolved) << after;
  EXPECT_EQ(tallied.resolved_within_sla, counted.resolved_within_sla) << after;
  EXPECT_DOUBLE_EQ(tallied.mean_open_age, counted.mean_open_age) << after;
  EXPECT_DOUBLE_EQ(tallied.max_open_age, counted.max_open_age) << after;
}

void expect_same(const TicketFigures& tallied, const TicketFigures& counted, const std::string& after) {
  EXPECT_EQ(tallied.by_state_category, counted.by_state_category) << after;
  EXPECT_EQ(tallied.created, counted.created) << after;
  EXPECT_EQ(tallied.resolved, counted.resolved) << after;
  EXPECT_EQ(tallied.sla_breaches, counted.sla_breaches) << after;
  EXPECT_EQ(tallied.by_group, counted.by_group) << after;
}

class TicketFiguresTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    location_ = GetParam() == "sqlite" ? (dir_ / "tickets.db").string() : test::shared_postgres_cluster().fresh_database();
  }
  test::TempDir dir_;
  std::string location_;
};

}  // namespace

TEST_P(TicketFiguresTest, TalliesEqualARecountAfterEveryChange) {
  auto store = TicketStore::open(location_);
  auto db = connect(location_);
  TicketFigureReader reader(connect(location_));
  std::mt19937 draw(12);
  const Rules r = rules();
  double now = kT0;
  std::vector<std::int64_t> ids;
  auto check = [&](const std::string& after) {
    const TicketFigures counted = recount(*db, now);
    expect_same(reader.read(now), counted, after);
    expect_same(store->stats(now), recount_stats(*db, now), after);
    return counted;
  };
  int resolved_late = 0, cancelled_late = 0, reopened = 0, escalated = 0;
  for (int step = 0; step < 160; ++step) {
    now += std::uniform_real_distribution<double>(0, 3 * 3600)(draw);  // the 2-hour billing SLA is often missed
    const int what = std::uniform_int_distribution<int>(0, 9)(draw);
    if (what < 3 || ids.empty()) {
      const std::string category = draw() % 2 ? "repair" : "billing";
      Ticket t = open(r, OpenRequest{"c" + std::to_string(step), category, {}, {}, ""}, now, "ivr");
      if (draw() % 2) assign(t, "ann", now, "desk");
      ids.push_back(store->create(t).id);
      check("creating ticket " + std::to_string(ids.back()));
      continue;
    }
    Ticket t = *store->get(ids[draw() % ids.size()]);
    const std::vector<Status> moves = allowed_moves(t.status);
    if (what == 3 && !t.escalated && (t.status == Status::fresh || t.status == Status::assigned)) {
      escalate(t, r, now, "lead", "test");
      ++escalated;
    } else if (moves.empty()) {
      continue;  // cancelled: it cannot move
    } else {
      const Status to = moves[draw() % moves.size()];
      const bool was_resolved = t.status == Status::resolved;
      if (to == Status::assigned) assign(t, t.agent == "ann" ? "ben" : "ann", now, "desk");
      else move(t, to, now, "ann");
      resolved_late += to == Status::resolved && now > t.resolution_due;
      cancelled_late += to == Status::cancelled && now > t.resolution_due;
      reopened += was_resolved && is_open(to);
    }
    store->update(t);
    check("changing ticket " + std::to_string(t.id) + " to " + std::string(status_name(t.status)));
  }
  // The walk went through what the tallies must get right.
  EXPECT_GT(resolved_late, 0);
  EXPECT_GT(cancelled_late, 0);
  EXPECT_GT(reopened, 0);
  EXPECT_GT(escalated, 0);
  now += 10 * 86400;  // every open ticket past its due time
  const TicketFigures last = check("ten days on");
  EXPECT_GT(last.sla_breaches, 0);

  // A database of schema 4 (before the tallies) is tallied when migrated.
  store.reset();
  db->run("DROP TABLE ticket_tallies");
  db->run("UPDATE schema_version SET version = 4");
  store = TicketStore::open(location_);
  EXPECT_EQ(store->schema_version(), kSchemaVersion);
  expect_same(TicketFigureReader(connect(location_)).read(now), last, "migrating from schema 4");
  expect_same(store->stats(now), recount_stats(*db, now), "migrating from schema 4");
}

INSTANTIATE_TEST_SUITE_P(Backends, TicketFiguresTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });
