// serve --tickets-db: tickets the call center opens are stored with the
// caller's number and the Call-ID; the IVR's ticket_status node tells a
// caller's ticket state and the call counts as contained; promised
// callbacks survive kill -9 and are placed after the restart; the webhook
// gets every change despite failures; bad ticket flags exit 2.
// Loopback only; every server bounded by --duration or a kill.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "sip/loopback_udp.hpp"
#include "sip/raw_caller.hpp"
#include "sip/serve_harness.hpp"
#include "store/callback_store.hpp"
#include "store/schema.hpp"
#include "store/ticket_store.hpp"
#include "support/test_support.hpp"

namespace switchboard::test {
namespace {

using namespace std::chrono_literals;
using serve::Server;

// Polls `done` every 50 ms for at most `seconds`.
template <typename Done>
bool eventually(Done done, double seconds = 15) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

std::vector<ticketing::Ticket> tickets_of(const std::string& db, const std::string& customer) {
  store::TicketQuery q;
  q.customer = customer;
  return store::TicketStore::open(db)->list(q);
}

// The server's BYE (after `timeout_ms`), answered 200; false if none came.
bool hung_up_on(RawCaller& caller, int timeout_ms = 8000) {
  const std::string bye = caller.next_request(timeout_ms);
  if (bye.rfind("BYE ", 0) != 0) return false;
  caller.reply(bye, 200);
  return true;
}

std::vector<nlohmann::json> events(const std::filesystem::path& log) {
  std::vector<nlohmann::json> out;
  for (const std::string& line : read_lines(log / "events.jsonl")) out.push_back(nlohmann::json::parse(line));
  return out;
}

bool has_event(const std::filesystem::path& log, const std::string& call, const std::string& event, const std::string& detail) {
  for (const auto& e : events(log))
    if (e["call"] == call && e["event"] == event && (detail.empty() || e.value("detail", "") == detail)) return true;
  return false;
}

TEST(ServeTickets, CallTicketsAreStoredWithTheCallerAndTheIvrTellsTheirState) {
  TempDir dir;
  const std::string db = (dir / "t.db").string();
  // 00:01:05: three agents work, so a caller who queues is answered at once.
  Server server("serve-tickets.yaml", "--connect-signal none --clock 00:01:05 --tickets-db " + db + " --log-dir " + (dir / "log").string(),
                (dir / "serve.err").string());
  ASSERT_TRUE(server.running());

  // No open ticket: the caller gets one (repair, by the rules) and an agent.
  RawCaller first(server.sip_port(), "first-call@test", "customers", "+4930111");
  ASSERT_EQ(first.call().rfind("SIP/2.0 200", 0), 0u);
  ASSERT_TRUE(eventually([&] { return !tickets_of(db, "+4930111").empty(); }))
      << "the call's ticket was never stored: " << read_file(dir / "serve.err") << read_file(dir / "log/events.jsonl");
  const auto opened = tickets_of(db, "+4930111");
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].category, "repair");
  EXPECT_EQ(opened[0].calls, std::vector<std::string>{"first-call@test"});
  EXPECT_EQ(ticketing::status_name(opened[0].status), "assigned");  // to ann, the back office's login
  EXPECT_EQ(opened[0].agent, "ann");
  EXPECT_TRUE(hung_up_on(first));  // the agent's 1 s talk ends

  // The same number again: its ticket is assigned, the IVR says so, and the call is contained.
  RawCaller second(server.sip_port(), "second-call@test", "customers", "+4930111");
  ASSERT_EQ(second.call().rfind("SIP/2.0 200", 0), 0u);
  EXPECT_TRUE(hung_up_on(second));
  EXPECT_TRUE(has_event(dir / "log", "second-call@test", "ticket-status", "assigned"));
  EXPECT_TRUE(has_event(dir / "log", "second-call@test", "ended", "contained"));

  // Someone starts working on it (the tickets CLI on the same store): the next call hears in_progress.
  ASSERT_EQ(run_cli("tickets --db " + db + " move " + std::to_string(opened[0].id) + " --to in_progress --by ann").exit_code, 0);
  RawCaller third(server.sip_port(), "third-call@test", "customers", "+4930111");
  ASSERT_EQ(third.call().rfind("SIP/2.0 200", 0), 0u);
  EXPECT_TRUE(hung_up_on(third));
  EXPECT_TRUE(has_event(dir / "log", "third-call@test", "ticket-status", "in_progress"));

  // Another number has no ticket: a second one is opened, nothing told.
  RawCaller other(server.sip_port(), "other-call@test", "customers", "+4930222");
  ASSERT_EQ(other.call().rfind("SIP/2.0 200", 0), 0u);
  EXPECT_TRUE(hung_up_on(other));
  EXPECT_TRUE(has_event(dir / "log", "other-call@test", "ticket-status", "none"));
  EXPECT_TRUE(eventually([&] { return tickets_of(db, "+4930222").size() == 1; }));
  EXPECT_EQ(tickets_of(db, "+4930111").size(), 1u);

  // KPIs: the two calls told their state are the contained ones; /metrics has the store's figures.
  EXPECT_TRUE(eventually([&] { return server.value("switchboard_calls_contained_total{queue=\"none\"}") == 2; }, 5))
      << server.metrics();
  EXPECT_TRUE(eventually([&] { return server.value("switchboard_ticket_store_created_total") == 2; }, 5)) << server.metrics();
  EXPECT_EQ(server.value("switchboard_ticket_store_tickets{category=\"repair\",state=\"in_progress\"}"), 1);
  EXPECT_EQ(server.value("switchboard_ticket_store_tickets{category=\"repair\",state=\"assigned\"}"), 1);
  EXPECT_EQ(server.value("switchboard_ticket_store_open_age_seconds{le=\"+Inf\"}"), 2);
  EXPECT_EQ(server.value("switchboard_ticket_store_open_age_seconds{le=\"3600\"}"), 2);
  EXPECT_EQ(server.value("switchboard_ticket_store_sla_breaches_total"), 0);
  EXPECT_EQ(server.value("switchboard_ticket_store_backlog{group=\"back\"}"), 2);  // the back office's figures
  EXPECT_EQ(server.value("switchboard_ticket_store_breaching{group=\"back\"}"), 0);
  EXPECT_EQ(server.value("switchboard_ticket_store_resolved{group=\"back\"}"), 0);
  EXPECT_EQ(server.value("switchboard_ticket_store_resolved_within_sla{group=\"back\"}"), 0);
  EXPECT_EQ(server.stop(), 0);
}

// Callers take the callback offer while nobody works; serve is killed
// (kill -9) before any agent comes; restarted on the same database when
// agents work, it calls every one of them back.
TEST(ServeTickets, PromisedCallbacksSurviveKillNineAndArePlacedAfterTheRestart) {
  TempDir dir;
  const std::string db = (dir / "t.db").string();
  const std::vector<std::string> calls = {"cb-1@test", "cb-2@test", "cb-3@test"};
  {
    // 00:00:05: nobody works in the first minute, so every caller is offered a callback.
    Server server("serve-tickets.yaml", "--connect-signal none --clock 00:00:05 --tickets-db " + db + " --log-dir " + (dir / "before").string());
    ASSERT_TRUE(server.running());
    for (std::size_t i = 0; i < calls.size(); ++i) {
      RawCaller caller(server.sip_port(), calls[i], "customers", "+493033" + std::to_string(i));
      ASSERT_EQ(caller.call().rfind("SIP/2.0 200", 0), 0u);
      std::this_thread::sleep_for(300ms);  // in the queue, the offer made
      caller.send(caller.request("INFO", 2, "", "Signal=1\r\nDuration=160\r\n", "application/dtmf-relay"));
      ASSERT_TRUE(hung_up_on(caller, 3000)) << "callback not accepted for " << calls[i];
    }
    // The promise is on disk before the caller is hung up.
    EXPECT_EQ(store::CallbackStore(store::connect(db)).pending().size(), calls.size());
    server.kill9();
  }
  const auto pending = store::CallbackStore(store::connect(db)).pending();
  ASSERT_EQ(pending.size(), calls.size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(pending[i].call_id, calls[i]);
    EXPECT_EQ(pending[i].queue, "repairs");
    EXPECT_NE(pending[i].caller.find("sip:+493033" + std::to_string(i) + "@127.0.0.1"), std::string::npos) << pending[i].caller;
  }
  EXPECT_EQ(store::connect_sqlite(db)->run("PRAGMA integrity_check").rows.at(0).at(0), "ok");

  // 00:01:05: three agents; each restored callback is offered to one and placed.
  Server server("serve-tickets.yaml", "--connect-signal none --clock 00:01:05 --tickets-db " + db + " --log-dir " + (dir / "after").string());
  ASSERT_TRUE(server.running());
  EXPECT_TRUE(eventually([&] { return store::CallbackStore(store::connect(db)).pending().empty(); }))
      << "callbacks still pending after the restart";
  const auto outcomes = store::connect(db)->run("SELECT call_id, outcome FROM callbacks ORDER BY id").rows;
  ASSERT_EQ(outcomes.size(), calls.size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(outcomes[i].at(0), calls[i]);
    EXPECT_EQ(outcomes[i].at(1), "placed");
    EXPECT_TRUE(has_event(dir / "after", calls[i], "callback-restored", "repairs"));
    EXPECT_TRUE(has_event(dir / "after", calls[i], "answered", ""));
  }
  EXPECT_TRUE(eventually([&] { return server.value("switchboard_callbacks_stored_pending") == 0; }, 5));
  EXPECT_EQ(server.stop(), 0);
}

// The webhook receiver fails the first two attempts (500): the change is
// retried with back-off and delivered, and the next one after it, in order.
TEST(ServeTickets, TheWebhookGetsEveryChangeInOrderDespiteFailures) {
  TempDir dir;
  const std::string db = (dir / "t.db").string();
  write_file(dir / "tokens", "app 0123456789abcdef0123\n");
  httplib::Server receiver;
  std::mutex mutex;
  std::vector<nlohmann::json> got;
  std::atomic<int> attempts{0};
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    if (++attempts <= 2) {
      res.status = 500;
      return;
    }
    std::lock_guard lock(mutex);
    got.push_back(nlohmann::json::parse(req.body));
    res.status = 204;
  });
  const int hook_port = receiver.bind_to_any_port("127.0.0.1");
  ASSERT_GT(hook_port, 0);
  std::thread listening([&] { receiver.listen_after_bind(); });
  const int api_port = serve::base_port() + 8;
  {
    Server server("serve-tickets.yaml", "--connect-signal none --clock 00:01:05 --tickets-db " + db + " --api 127.0.0.1:" + std::to_string(api_port) +
                                            " --api-tokens " + (dir / "tokens").string() + " --ticket-webhook http://127.0.0.1:" +
                                            std::to_string(hook_port) + "/hook");
    ASSERT_TRUE(server.running());
    httplib::Client api("127.0.0.1", api_port);
    const httplib::Headers auth = {{"Authorization", "Bearer 0123456789abcdef0123"}};
    auto made = api.Post("/tickets", auth, R"({"customer": "+4930999", "category": "repair"})", "application/json");
    ASSERT_TRUE(made);
    ASSERT_EQ(made->status, 201) << made->body;
    const auto t = nlohmann::json::parse(made->body);
    auto moved = api.Post("/tickets/" + std::to_string(t["id"].get<int>()) + "/transitions", auth,
                          R"({"to": "in_progress", "version": 1})", "application/json");
    ASSERT_TRUE(moved);
    ASSERT_EQ(moved->status, 200) << moved->body;
    ASSERT_TRUE(eventually([&] {
      std::lock_guard lock(mutex);
      return got.size() == 2;
    }));
    std::lock_guard lock(mutex);
    EXPECT_EQ(got[0]["event"], "ticket.changed");
    EXPECT_EQ(got[0]["ticket"]["id"], t["id"]);
    EXPECT_EQ(got[0]["ticket"]["state"], "assigned");
    EXPECT_EQ(got[1]["ticket"]["state"], "in_progress");
    EXPECT_EQ(got[1]["change"]["to"], "in_progress");
    EXPECT_EQ(got[1]["change"]["who"], "app");
    EXPECT_FALSE(got[1]["ticket"].contains("history"));
    EXPECT_EQ(attempts, 4);
    EXPECT_TRUE(eventually([&] { return server.value("switchboard_ticket_webhook_posts_total{outcome=\"delivered\"}") == 2; }, 5))
        << server.metrics();
    EXPECT_EQ(server.value("switchboard_ticket_webhook_retries_total"), 2);
    EXPECT_EQ(server.value("switchboard_ticket_webhook_posts_total{outcome=\"dropped\"}"), 0);
    EXPECT_EQ(server.stop(), 0);
  }
  receiver.stop();
  listening.join();
}

// A ticket an agent's after-call disposition opens is recorded as opened by
// that agent (the event log's "answered" names the same one), not by the IVR.
TEST(ServeTickets, DispositionTicketsAreOpenedByTheAgent) {
  TempDir dir;
  const std::string db = (dir / "t.db").string();
  Server server("serve-dispositions.yaml", "--connect-signal none --tickets-db " + db + " --log-dir " + (dir / "log").string(),
                (dir / "serve.err").string());
  ASSERT_TRUE(server.running());
  RawCaller caller(server.sip_port(), "disposed@test", "customers", "+4930333");
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200", 0), 0u);
  EXPECT_TRUE(hung_up_on(caller));  // the agent's 1 s talk ends
  ASSERT_TRUE(eventually([&] { return !tickets_of(db, "+4930333").empty(); })) << read_file(dir / "serve.err");
  const auto t = tickets_of(db, "+4930333").at(0);
  std::string answered_by;
  for (const auto& e : events(dir / "log"))
    if (e["call"] == "disposed@test" && e["event"] == "answered") answered_by = e.value("detail", "");
  ASSERT_EQ(answered_by.rfind("agent ", 0), 0u) << read_file(dir / "log/events.jsonl");
  store::TicketQuery q;
  q.customer = "+4930333";
  q.with_history = true;
  const auto stored = store::TicketStore::open(db)->list(q).at(0);
  ASSERT_FALSE(stored.history.empty());
  EXPECT_EQ(stored.history.front().who, answered_by);
  EXPECT_EQ(stored.calls, std::vector<std::string>{"disposed@test"});
  EXPECT_EQ(server.stop(), 0);
}

// A From whose user part is not UTF-8 still gets its call's ticket, under the
// number spelled readably (\xNN): the store's text and the API's JSON can
// hold it, and `tickets show --format json` prints it.
TEST(ServeTickets, ACallerWhoseNumberIsNotUtf8GetsAReadableTicket) {
  TempDir dir;
  const std::string db = (dir / "t.db").string();
  Server server("serve-dispositions.yaml", "--connect-signal none --tickets-db " + db, (dir / "serve.err").string());
  ASSERT_TRUE(server.running());
  RawCaller caller(server.sip_port(), "not-utf8@test", "customers", "+4930\xff\xfe" "1");
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200", 0), 0u);
  EXPECT_TRUE(hung_up_on(caller));
  ASSERT_TRUE(eventually([&] { return !tickets_of(db, "+4930\\xff\\xfe1").empty(); })) << read_file(dir / "serve.err");
  EXPECT_EQ(server.stop(), 0);
  const auto id = tickets_of(db, "+4930\\xff\\xfe1").at(0).id;
  const auto shown = run_cli("tickets --db " + db + " show " + std::to_string(id) + " --format json");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(nlohmann::json::parse(shown.out)["customer"], "+4930\\xff\\xfe1");
}

// Each ticket flag a user can get wrong: a clear message naming it, exit 2,
// and nothing left behind.
TEST(ServeTickets, BadTicketFlagsExitTwoNamingTheFlag) {
  TempDir dir;
  const std::string fixture = (source_dir() / "tests/sip/fixtures/serve-tickets.yaml").string();
  const std::string base = "serve " + fixture + " --sip udp:127.0.0.1:" + std::to_string(serve::base_port() + 3) +
                           " --metrics none --duration 5 ";
  auto expect_refused = [&](const std::string& flags, const std::string& message) {
    const CommandResult r = run_cli(base + flags);
    EXPECT_EQ(r.exit_code, 2) << flags << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << flags << "\n" << r.err;
  };
  expect_refused("--tickets-db " + (dir / "missing/t.db").string(), "switchboard serve: --tickets-db: ");
  write_file(dir / "corrupt.db", std::string(4096, 'x'));
  expect_refused("--tickets-db " + (dir / "corrupt.db").string(), "--tickets-db: the ticket database " + (dir / "corrupt.db").string() +
                                                                      " is not a database or is corrupt");
  EXPECT_EQ(read_file(dir / "corrupt.db"), std::string(4096, 'x'));
  write_file(dir / "tokens", "app 0123456789abcdef0123\n");
  write_file(dir / "bad-tokens", "app short\n");
  expect_refused("--tickets-db " + (dir / "a.db").string() + " --api 127.0.0.1:1 --api-tokens " + (dir / "bad-tokens").string(),
                 "expected a secret of at least 16 characters");
  expect_refused("--tickets-db " + (dir / "a.db").string() + " --api 127.0.0.1:9 --api-tokens " + (dir / "nothing").string(),
                 "--api-tokens: cannot read the tokens file");
  expect_refused("--tickets-db " + (dir / "a.db").string() + " --api 127.0.0.1:9", "--api-tokens: expected the file of bearer tokens");
  expect_refused("--tickets-db " + (dir / "a.db").string() + " --api 127.0.0.1:x --api-tokens " + (dir / "tokens").string(),
                 "--api: expected HOST:PORT");
  expect_refused("--tickets-db " + (dir / "a.db").string() + " --ticket-webhook ftp://example/hook",
                 "--ticket-webhook: expected an http://HOST[:PORT][/PATH] URL");
  expect_refused("--tickets-db " + (dir / "a.db").string() + " --ticket-webhook https://127.0.0.1/hook", "(https is not supported)");
  expect_refused("--tickets-db none --api 127.0.0.1:9 --api-tokens " + (dir / "tokens").string(), "--api: expected a --tickets-db");
  expect_refused("--tickets-db " + (dir / "a.db").string() + " --tickets-sync off", "--tickets-sync: expected normal or full; got 'off'");
  expect_refused("--tickets-db postgresql://nobody@127.0.0.1:1/x --tickets-sync full", "--tickets-sync: expected a SQLite --tickets-db");
  expect_refused("--tickets-db none --tickets-sync full", "--tickets-sync: expected a SQLite --tickets-db");
  // An --api address in use.
  httplib::Server taken;
  const int port = taken.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  expect_refused("--tickets-db " + (dir / "a.db").string() + " --api 127.0.0.1:" + std::to_string(port) + " --api-tokens " +
                     (dir / "tokens").string(),
                 "--api: cannot listen on 127.0.0.1:" + std::to_string(port));
}

// serve opens its ticket store before the SIP stack: when the SIP stack is
// then refused (its address is taken), a database this run created is
// removed again, and one that was there before is kept as it was.
TEST(ServeTickets, ARefusedStartLeavesNoNewDatabaseBehind) {
  TempDir dir;
  const LoopbackUdp taken;  // the --sip address, in use
  ASSERT_TRUE(taken.bound());
  const std::string serve_cmd = std::string(SWITCHBOARD_CLI) + " serve " + (source_dir() / "tests/sip/fixtures/serve-tickets.yaml").string() +
                                " --sip udp:127.0.0.1:" + std::to_string(taken.port()) + " --metrics none --duration 5";
  auto run_in_dir = [&](const std::string& flags) {
    const int status = std::system(("cd " + dir.path().string() + " && " + serve_cmd + " " + flags + " 2>err").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  EXPECT_EQ(run_in_dir(""), 2);  // the default store, ./tickets.db
  EXPECT_NE(read_file(dir / "err").find("--sip"), std::string::npos) << read_file(dir / "err");
  for (const char* left : {"tickets.db", "tickets.db-wal", "tickets.db-shm"})
    EXPECT_FALSE(std::filesystem::exists(dir / left)) << left;

  const std::string kept = (dir / "kept.db").string();
  ASSERT_EQ(run_cli("tickets --db " + kept + " --scenario " + (source_dir() / "scenarios/back-office.yaml").string() + " create --customer 555 --category repair").exit_code, 0);
  const std::string before = run_cli("tickets --db " + kept + " list").out;
  EXPECT_EQ(run_in_dir("--tickets-db " + kept), 2);
  ASSERT_TRUE(std::filesystem::exists(kept));
  EXPECT_EQ(run_cli("tickets --db " + kept + " list").out, before);
}

// As root, permissions do not stop writes: the server runs as `nobody`.
TEST(ServeTickets, AReadOnlyTicketDatabaseIsRefusedAtStart) {
  TempDir dir;
  const std::string db = (dir / "t.db").string();
  ASSERT_EQ(run_cli("tickets --db " + db + " list").exit_code, 0);  // creates it
  ASSERT_EQ(chmod(db.c_str(), 0444), 0);
  ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);
  const std::string as = geteuid() == 0 ? "setpriv --reuid=nobody --regid=nogroup --clear-groups " : "";
  const std::string cmd = as + std::string(SWITCHBOARD_CLI) + " serve " + (source_dir() / "tests/sip/fixtures/serve-tickets.yaml").string() +
                          " --sip udp:127.0.0.1:" + std::to_string(serve::base_port() + 3) + " --metrics none --duration 5 --tickets-db " +
                          db + " 2>" + (dir / "err").string();
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const std::string err = read_file(dir / "err");
  EXPECT_NE(err.find("switchboard serve: --tickets-db: the ticket database " + db + " is read-only"), std::string::npos) << err;
}

}  // namespace
}  // namespace switchboard::test

namespace switchboard::test {
namespace {

// Without --tickets-db the store is DIR/tickets.db under --log-dir (made
// with the schema at start); --tickets-db none makes none.
TEST(ServeTickets, TheStoreDefaultsToTheLogDirectory) {
  TempDir dir;
  const std::string base = "serve " + (source_dir() / "tests/sip/fixtures/serve-tickets.yaml").string() + " --sip udp:127.0.0.1:" +
                           std::to_string(serve::base_port() + 3) + " --metrics none --duration 0.5 --log-dir ";
  CommandResult r = run_cli(base + (dir / "logs").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(std::filesystem::exists(dir / "logs/tickets.db"));
  EXPECT_EQ(store::TicketStore::open((dir / "logs/tickets.db").string())->schema_version(), store::kSchemaVersion);
  r = run_cli(base + (dir / "quiet").string() + " --tickets-db none");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "quiet/tickets.db"));
}

}  // namespace
}  // namespace switchboard::test
