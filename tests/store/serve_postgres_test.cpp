// `switchboard serve --tickets-db postgresql://...`: two serve processes on
// one PostgreSQL database (the throwaway cluster of postgres_cluster.hpp),
// each with --api. Tickets created and moved through either API are in
// PostgreSQL, the other server answers them at their latest version, a
// stale version is refused across servers, and a caller of one server hears
// the state of a ticket created through the other (the IVR's ticket_status).
// Loopback only; each server bounded by --duration.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <set>

#include "sip/raw_caller.hpp"
#include "sip/serve_harness.hpp"
#include "store/postgres_cluster.hpp"
#include "store/ticket_store.hpp"
#include "support/test_support.hpp"

namespace switchboard::test {
namespace {

using nlohmann::json;
using serve::Server;

const std::string kToken = "0123456789abcdef0123";
const httplib::Headers kAuth = {{"Authorization", "Bearer " + kToken}};

struct Answer {
  int status = 0;
  json body;
};

Answer call(httplib::Client& api, const std::string& method, const std::string& path, const json& body = nullptr) {
  const auto r = method == "GET" ? api.Get(path.c_str(), kAuth) : api.Post(path.c_str(), kAuth, body.dump(), "application/json");
  if (!r) return {};
  return {r->status, json::parse(r->body, nullptr, false)};
}

TEST(ServePostgres, TwoServersShareOneStoreThroughTheirApis) {
  const std::string uri = shared_postgres_cluster().fresh_database();
  TempDir dir;
  write_file(dir / "tokens", "app " + kToken + "\n");
  const int api_a = serve::base_port() + 8, api_b = serve::base_port() + 9;
  // 00:00:05: nobody works yet, so a caller who reaches the queue stays in the IVR's hands.
  auto flags = [&](int api, const std::string& log) {
    return "--connect-signal none --clock 00:00:05 --duration 50 --tickets-db " + uri + " --api 127.0.0.1:" + std::to_string(api) +
           " --api-tokens " + (dir / "tokens").string() + " --log-dir " + (dir / log).string();
  };
  Server a("serve-tickets.yaml", flags(api_a, "a"), (dir / "a.err").string());
  Server b("serve-tickets.yaml", flags(api_b, "b"), (dir / "b.err").string(), 4);
  ASSERT_TRUE(a.running()) << read_file(dir / "a.err");
  ASSERT_TRUE(b.running()) << read_file(dir / "b.err");
  httplib::Client ca("127.0.0.1", api_a), cb("127.0.0.1", api_b);
  for (auto* c : {&ca, &cb}) c->set_read_timeout(10), c->set_connection_timeout(5);

  // Three tickets through A, two through B: five distinct ids from the one database.
  std::vector<json> made;
  for (int i = 0; i < 5; ++i) {
    const Answer r = call(i < 3 ? ca : cb, "POST", "/tickets", {{"customer", "+49301" + std::to_string(i)}, {"category", "repair"}});
    ASSERT_EQ(r.status, 201) << r.body.dump() << read_file(dir / (i < 3 ? "a.err" : "b.err"));
    made.push_back(r.body);
  }
  std::set<std::int64_t> ids;
  for (const auto& t : made) ids.insert(t["id"].get<std::int64_t>());
  EXPECT_EQ(ids.size(), 5u);

  // B moves a ticket A created; A then reads it at B's version, and A's stale copy is refused.
  const std::string first = "/tickets/" + std::to_string(made[0]["id"].get<std::int64_t>());
  const Answer moved = call(cb, "POST", first + "/transitions", {{"to", "in_progress"}, {"version", made[0]["version"]}});
  ASSERT_EQ(moved.status, 200) << moved.body.dump();
  const Answer seen = call(ca, "GET", first);
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(seen.body["state"], "in_progress");
  EXPECT_EQ(seen.body["version"], moved.body["version"]);
  const Answer stale = call(ca, "POST", first + "/transitions", {{"to", "cancelled"}, {"version", made[0]["version"]}});
  EXPECT_EQ(stale.status, 409) << stale.body.dump();
  EXPECT_EQ(stale.body["error"], "stale_version");
  // A notes a ticket B created, at the version B answered.
  const std::string fifth = "/tickets/" + std::to_string(made[4]["id"].get<std::int64_t>());
  EXPECT_EQ(call(ca, "POST", fifth + "/notes", {{"text", "seen by A"}, {"version", made[4]["version"]}}).status, 200);

  // Both servers list the same five tickets, and PostgreSQL holds them as answered.
  const Answer listed_a = call(ca, "GET", "/tickets"), listed_b = call(cb, "GET", "/tickets");
  ASSERT_EQ(listed_a.status, 200);
  EXPECT_EQ(listed_a.body["tickets"].size(), 5u);
  EXPECT_EQ(listed_a.body, listed_b.body);
  store::TicketQuery q;
  q.with_history = true;
  const auto stored = store::TicketStore::open(uri)->list(q);
  ASSERT_EQ(stored.size(), 5u);
  EXPECT_EQ(ticketing::status_name(stored[0].status), "in_progress");
  EXPECT_EQ(stored[0].version, moved.body["version"].get<std::int64_t>());
  EXPECT_EQ(stored[4].history.back().note, "seen by A");
  EXPECT_EQ(stored[4].history.back().who, "app");  // the token's name

  // A caller of A whose ticket was opened through B hears its state.
  RawCaller caller(a.sip_port(), "pg-status@test", "customers", "+493014");
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200", 0), 0u);
  const std::string bye = caller.next_request(8000);
  ASSERT_EQ(bye.rfind("BYE ", 0), 0u) << bye;
  caller.reply(bye, 200);
  const std::string told(ticketing::status_name(stored[4].status));
  bool heard = false;
  for (const std::string& line : read_lines(dir / "a" / "events.jsonl")) {
    const auto e = json::parse(line);
    heard = heard || (e["call"] == "pg-status@test" && e["event"] == "ticket-status" && e.value("detail", "") == told);
  }
  EXPECT_TRUE(heard) << "expected ticket-status " << told << " in " << read_file(dir / "a" / "events.jsonl");
  EXPECT_EQ(a.stop(), 0);
  EXPECT_EQ(b.stop(), 0);
}

}  // namespace
}  // namespace switchboard::test
