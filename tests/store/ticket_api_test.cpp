// The ticket HTTP API: every endpoint, every refusal (a JSON error naming
// the field, and the store unchanged), and the real thing on 127.0.0.1
// through cpp-httplib — 401, 403, 409, 413, and four concurrent clients with
// no duplicate id and no lost update.
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>

#include "core/input_error.hpp"
#include "io/scenario_loader.hpp"
#include "store/ticket_api.hpp"
#include "store/ticket_http.hpp"
#include "store/ticket_json.hpp"
#include "support/test_support.hpp"

using namespace switchboard;
using namespace switchboard::store;
using nlohmann::json;

namespace {

// One request written to the server as given, the whole reply read back
// (the server closes: the request says Connection: close).
std::string raw_http(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string reply;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
      send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
    char buffer[4096];
    for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;) reply.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return reply;
}

// The kernel's backlog of this process's socket listening on 127.0.0.1:port
// (TCP_INFO gives a listening socket's backlog in tcpi_sacked); -1: none.
int listen_backlog(int port) {
  for (int fd = 0; fd < 4096; ++fd) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    int listening = 0;
    socklen_t ilen = sizeof listening;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0 || a.sin_family != AF_INET || ntohs(a.sin_port) != port ||
        getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ilen) != 0 || !listening)
      continue;
    tcp_info info{};
    socklen_t tlen = sizeof info;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &tlen) != 0) return -1;
    return static_cast<int>(info.tcpi_sacked);
  }
  return -1;
}

const std::string kWriter = "writer-secret-0123456789";
const std::string kReader = "reader-secret-0123456789";

class ApiTest : public ::testing::Test {
 protected:
  ApiTest()
      : scenario_(load_scenario((test::source_dir() / "scenarios" / "back-office.yaml").string())),
        store_(TicketStore::open((dir_ / "t.db").string())),
        desk_(*store_, ticketing::rules_from(scenario_),
              ticketing::candidates_from(scenario_, [](const std::string&) { return 0; })),
        api_(*store_, desk_, {{"app", kWriter, true}, {"board", kReader, false}}, [this] { return now_; }) {}

  ApiResponse call(const std::string& method, const std::string& path, const std::string& body = "",
                   const std::string& token = kWriter, std::multimap<std::string, std::string> query = {}) {
    return api_.handle({method, path, std::move(query), token.empty() ? "" : "Bearer " + token, body});
  }
  std::string everything() {
    TicketQuery q;
    q.limit = 10000;
    q.with_history = true;
    json all = json::array();
    for (const auto& t : store_->list(q)) all.push_back(ticket_json(t));
    return all.dump();
  }
  // Checks the request is refused with `status`, naming `field`, and changes nothing.
  void refused(int status, const std::string& field, const std::string& method, const std::string& path,
               const std::string& body = "", const std::string& token = kWriter,
               std::multimap<std::string, std::string> query = {}) {
    SCOPED_TRACE(method + " " + path + " " + body);
    const std::string before = everything();
    const ApiResponse r = call(method, path, body, token, std::move(query));
    EXPECT_EQ(r.status, status) << r.body.dump();
    EXPECT_EQ(r.body.value("field", "?"), field) << r.body.dump();
    EXPECT_FALSE(r.body.value("message", "").empty()) << r.body.dump();
    EXPECT_EQ(everything(), before);
  }

  test::TempDir dir_;
  Scenario scenario_;
  std::unique_ptr<TicketStore> store_;
  TicketDesk desk_;
  TicketApi api_;
  double now_ = 1796112000;  // 2026-12-01T08:00:00Z
};

}  // namespace

TEST_F(ApiTest, CreateGetMoveNoteHistory) {
  auto r = call("POST", "/tickets", R"({"customer": "+4930123", "category": "repair", "tags": ["vip"], "calls": ["cdr-1"]})");
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_EQ(r.body["id"], 1);
  EXPECT_EQ(r.body["agent"], "ann");
  EXPECT_EQ(r.body["priority"], 4);
  EXPECT_EQ(r.body["history"][0]["who"], "app");
  r = call("GET", "/tickets/1", "", kReader);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["version"], 1);
  now_ += 60;
  r = call("POST", "/tickets/1/transitions", R"({"to": "in_progress", "version": 1})");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["state"], "in_progress");
  EXPECT_EQ(r.body["first_response"], 1796112060.0);
  r = call("POST", "/tickets/1/notes", R"({"text": "router replaced", "version": 2})");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["version"], 3);
  r = call("GET", "/tickets/1/history", "", kReader);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.body.size(), 5u);
  EXPECT_EQ(r.body[4]["note"], "router replaced");
}

TEST_F(ApiTest, ListFiltersAndPages) {
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(call("POST", "/tickets", json{{"customer", "c" + std::to_string(i % 2)}, {"category", i < 3 ? "repair" : "dispute"}}.dump()).status, 201);
  auto r = call("GET", "/tickets", "", kReader, {{"limit", "2"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["tickets"].size(), 2u);
  EXPECT_EQ(r.body["next_after"], 2);
  r = call("GET", "/tickets", "", kReader, {{"limit", "2"}, {"after", "4"}});
  EXPECT_EQ(r.body["tickets"].size(), 1u);
  EXPECT_EQ(r.body["next_after"], nullptr);
  r = call("GET", "/tickets", "", kReader, {{"category", "dispute"}, {"customer", "c1"}});
  ASSERT_EQ(r.body["tickets"].size(), 1u);
  EXPECT_EQ(r.body["tickets"][0]["id"], 4);
  now_ += 86400 + 1;  // disputes (sla 1d) now breach, repairs (2d) do not
  r = call("GET", "/tickets", "", kReader, {{"breaching", "true"}});
  EXPECT_EQ(r.body["tickets"].size(), 2u);
  r = call("GET", "/tickets", "", kReader, {{"state", "assigned"}, {"open", "true"}});
  EXPECT_EQ(r.body["tickets"].size(), 5u);
}

TEST_F(ApiTest, BadRequestsNameTheFieldAndChangeNothing) {
  ASSERT_EQ(call("POST", "/tickets", R"({"customer": "+4930123", "category": "repair"})").status, 201);
  refused(400, "body", "POST", "/tickets", "{not json");
  refused(400, "body", "POST", "/tickets", "[1, 2]");
  refused(400, "colour", "POST", "/tickets", R"({"customer": "x", "category": "repair", "colour": "red"})");
  refused(400, "category", "POST", "/tickets", R"({"customer": "x"})");
  refused(400, "customer", "POST", "/tickets", R"({"customer": 42, "category": "repair"})");
  refused(400, "tags", "POST", "/tickets", R"({"customer": "x", "category": "repair", "tags": "vip"})");
  refused(400, "tags", "POST", "/tickets", R"({"customer": "x", "category": "repair", "tags": [1]})");
  refused(400, "category", "POST", "/tickets", R"({"customer": "x", "category": "refund"})");
  refused(400, "customer", "POST", "/tickets", R"({"customer": "", "category": "repair"})");
  refused(409, "to", "POST", "/tickets/1/transitions", R"({"to": "closed", "version": 1})");
  refused(409, "version", "POST", "/tickets/1/transitions", R"({"to": "in_progress", "version": 7})");
  refused(400, "to", "POST", "/tickets/1/transitions", R"({"to": "done", "version": 1})");
  refused(400, "version", "POST", "/tickets/1/transitions", R"({"to": "in_progress"})");
  refused(400, "version", "POST", "/tickets/1/transitions", R"({"to": "in_progress", "version": "1"})");
  refused(400, "agent", "POST", "/tickets/1/transitions", R"({"to": "assigned", "agent": "zed", "version": 1})");
  refused(400, "text", "POST", "/tickets/1/notes", R"({"text": "", "version": 1})");
  refused(404, "id", "GET", "/tickets/99");
  refused(404, "id", "POST", "/tickets/99/transitions", R"({"to": "cancelled", "version": 1})");
  refused(404, "id", "GET", "/tickets/abc");
  refused(404, "path", "GET", "/tickets/1/frobs");
  refused(404, "path", "GET", "/agents");
  refused(405, "method", "DELETE", "/tickets/1");
  refused(400, "colour", "GET", "/tickets", "", kReader, {{"colour", "red"}});
  refused(400, "limit", "GET", "/tickets", "", kReader, {{"limit", "0"}});
  refused(400, "state", "GET", "/tickets", "", kReader, {{"state", "open"}});
  refused(400, "open", "GET", "/tickets", "", kReader, {{"open", "yes"}});
  refused(401, "Authorization", "GET", "/tickets/1", "", "");
  refused(403, "Authorization", "GET", "/tickets/1", "", "not-a-token");
  refused(403, "Authorization", "POST", "/tickets", R"({"customer": "x", "category": "repair"})", kReader);
  refused(413, "body", "POST", "/tickets", std::string(kMaxApiBody + 1, ' '));
}

// What group commit writes: several creates in one transaction, each
// assigned as if they came one after the other; a refused one stores none.
TEST_F(ApiTest, CreatesTogetherAreAssignedInTurn) {
  const TicketDesk::Creation repair{{"c", "repair", {}, {}, ""}, now_, "app"};
  const auto made = desk_.create_all({repair, repair, repair});
  ASSERT_EQ(made.size(), 3u);
  EXPECT_EQ(made[0].agent, "ann");
  EXPECT_EQ(made[1].agent, "ben");
  EXPECT_EQ(made[2].agent, "ann");
  EXPECT_EQ(made[2].id, made[0].id + 2);
  const std::string before = everything();
  TicketDesk::Creation bad = repair;
  bad.request.category = "refund";
  EXPECT_THROW(desk_.create_all({repair, bad}), ticketing::TicketError);
  EXPECT_EQ(everything(), before);
}

TEST_F(ApiTest, SqlLikeTextIsStoredLiterally) {
  const std::string evil = "'; DELETE FROM tickets; --";
  auto r = call("POST", "/tickets", json{{"customer", evil}, {"category", "repair"}, {"note", evil}}.dump());
  ASSERT_EQ(r.status, 201);
  r = call("GET", "/tickets", "", kReader, {{"customer", evil}});
  ASSERT_EQ(r.body["tickets"].size(), 1u);
  EXPECT_EQ(r.body["tickets"][0]["customer"], evil);
}

TEST(ApiTokens, TheFileIsChecked) {
  test::TempDir dir;
  const auto path = dir / "tokens";
  test::write_file(path, "# app tokens\napp 0123456789abcdef write\n\nboard fedcba9876543210 read\n");
  const auto tokens = load_api_tokens(path.string());
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_TRUE(tokens[0].can_write);
  EXPECT_FALSE(tokens[1].can_write);
  test::write_file(path, "app 0123456789abcdef\napp short\nx 0123456789abcdef\ny 0123456789abcdeg admin\n");
  try {
    load_api_tokens(path.string());
    FAIL();
  } catch (const InputError& e) {
    std::string all;
    for (const auto& p : e.problems()) all += p.format() + "\n";
    EXPECT_NE(all.find(path.string() + ":2:1: token: expected a secret of at least 16 characters"), std::string::npos) << all;
    EXPECT_NE(all.find(path.string() + ":2:1: token: duplicate name 'app'"), std::string::npos) << all;
    EXPECT_NE(all.find(path.string() + ":3:1: token: duplicate secret (of 'app')"), std::string::npos) << all;
    EXPECT_NE(all.find(path.string() + ":4:1: token: expected NAME SECRET [read|write]"), std::string::npos) << all;
  }
  test::write_file(path, "# none\n");
  EXPECT_THROW(load_api_tokens(path.string()), InputError);
  EXPECT_THROW(load_api_tokens((dir / "missing").string()), InputError);
}

// Over real HTTP on 127.0.0.1: the status codes the library answers itself
// (413 before the body is read) keep the JSON shape, and four clients
// creating and moving tickets at once get distinct ids and lose no update.
TEST_F(ApiTest, ReadsOnTheirOwnConnectionsSeeEveryWrite) {
  int opened = 0;
  api_.serve_reads_from([&] {
    ++opened;
    return TicketStore::open((dir_ / "t.db").string());
  });
  for (int i = 1; i <= 3; ++i) {
    auto r = call("POST", "/tickets", R"({"customer": "c", "category": "repair"})");
    ASSERT_EQ(r.status, 201);
    r = call("GET", "/tickets/" + std::to_string(i), "", kReader);
    ASSERT_EQ(r.status, 200) << r.body.dump();
    r = call("POST", "/tickets/" + std::to_string(i) + "/transitions", R"({"to": "in_progress", "version": 1})");
    ASSERT_EQ(r.status, 200) << r.body.dump();
    r = call("GET", "/tickets/" + std::to_string(i), "", kReader);
    EXPECT_EQ(r.body["version"], 2);
    EXPECT_EQ(r.body["state"], "in_progress");
  }
  EXPECT_EQ(opened, 1);  // one read at a time: one pooled connection, reused
  refused(404, "id", "GET", "/tickets/99", "", kReader);
}

// cpp-httplib as Debian built it listens with a backlog of 5: clients
// connecting at once beyond that had SYNs dropped and retried a second later.
// Stopped at once, too: stop() before the listening loop ran used to hang.
TEST_F(ApiTest, ListensWithABacklogForManyClientsConnectingAtOnce) {
  TicketHttpServer server(api_, "127.0.0.1", 0);
  EXPECT_EQ(listen_backlog(server.port()), 512);
}

TEST_F(ApiTest, OverHttpWithConcurrentClients) {
  api_.serve_reads_from([this] { return TicketStore::open((dir_ / "t.db").string()); });
  TicketHttpServer server(api_, "127.0.0.1", 0);
  ASSERT_GT(server.port(), 0);
  httplib::Client probe("127.0.0.1", server.port());
  probe.set_connection_timeout(5);
  probe.set_read_timeout(10);
  auto res = probe.Get("/tickets");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(json::parse(res->body)["field"], "Authorization");
  const httplib::Headers auth = {{"Authorization", "Bearer " + kWriter}};
  res = probe.Post("/tickets", auth, std::string(kMaxApiBody + 100, 'x'), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(json::parse(res->body)["field"], "body");
  res = probe.Post("/tickets", {{"Authorization", "Bearer wrong"}}, R"({"customer": "x", "category": "repair"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  res = probe.Get("/tickets/" + std::string(10'000, '1'), auth);  // past cpp-httplib's request-line limit
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 414);
  EXPECT_EQ(json::parse(res->body)["field"], "path");
  // A POST without Content-Length (curl -X POST with no data): cpp-httplib
  // refuses it before the API sees it; the reply still names the body.
  const std::string no_length = raw_http(server.port(), "POST /tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                                            kWriter + "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(no_length.rfind("HTTP/1.1 400", 0), 0u) << no_length;
  EXPECT_NE(no_length.find(R"("field":"body")"), std::string::npos) << no_length;

  constexpr int kClients = 4, kEach = 15;
  std::vector<std::vector<std::int64_t>> ids(kClients);
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&, c] {
      httplib::Client cli("127.0.0.1", server.port());
      cli.set_connection_timeout(5);
      cli.set_read_timeout(10);
      for (int i = 0; i < kEach; ++i) {
        auto made = cli.Post("/tickets", auth, json{{"customer", "c" + std::to_string(c)}, {"category", "repair"}}.dump(),
                             "application/json");
        if (!made || made->status != 201) {
          ++failures;
          continue;
        }
        const auto t = json::parse(made->body);
        ids[c].push_back(t["id"].get<std::int64_t>());
        auto moved = cli.Post("/tickets/" + std::to_string(ids[c].back()) + "/transitions", auth,
                              json{{"to", "in_progress"}, {"version", t["version"]}}.dump(), "application/json");
        if (!moved || moved->status != 200) ++failures;
      }
      // Everyone notes ticket 1 too, retrying on 409: no note may be lost.
      for (int done = 0; done < 3;) {
        auto got = cli.Get("/tickets/1", auth);
        if (!got || got->status != 200) {
          ++failures;
          return;
        }
        const auto v = json::parse(got->body)["version"];
        auto noted = cli.Post("/tickets/1/notes", auth, json{{"text", "from " + std::to_string(c)}, {"version", v}}.dump(),
                              "application/json");
        if (noted && noted->status == 200) ++done;
        else if (!noted || noted->status != 409) {
          ++failures;
          return;
        }
      }
    });
  for (auto& t : clients) t.join();
  server.stop();
  EXPECT_EQ(failures, 0);
  std::set<std::int64_t> distinct;
  for (const auto& v : ids) distinct.insert(v.begin(), v.end());
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kClients * kEach));
  const auto one = *store_->get(1);
  int notes = 0;
  for (const auto& h : one.history) notes += h.field == "note";
  EXPECT_EQ(notes, kClients * 3);
  TicketQuery q;
  q.state = ticketing::Status::in_progress;
  q.limit = 1000;
  EXPECT_EQ(store_->list(q).size(), static_cast<std::size_t>(kClients * kEach));
}
