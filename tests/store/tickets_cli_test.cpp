// `switchboard tickets`: the lifecycle from the command line on a real
// SQLite file (and once on PostgreSQL), and every mistake a user can make:
// exit 2, a message naming the flag, and nothing stored changes (the export
// before and after is byte for byte the same).
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "store/postgres_cluster.hpp"
#include "store/sql_connection.hpp"
#include "support/api_load.hpp"
#include "support/test_support.hpp"

using namespace switchboard;

namespace {

std::string scenario() { return (test::source_dir() / "scenarios" / "back-office.yaml").string(); }

class TicketsCli : public ::testing::Test {
 protected:
  // `tickets --db DB --scenario S --now T ARGS`
  test::CommandResult run(const std::string& args, const std::string& now = "2026-12-01T08:00:00Z") {
    return test::run_cli("tickets --db " + db() + " --scenario " + scenario() + " --now " + now + " " + args);
  }
  std::string db() const { return (dir_ / "t.db").string(); }
  std::string exported() { return test::run_cli("tickets --db " + db() + " export").out; }

  // Checks `args` fails with exit 2 naming `flag`, and the store is unchanged.
  void refused(const std::string& args, const std::string& flag, const std::string& message) {
    SCOPED_TRACE(args);
    const std::string before = exported();
    const auto r = run(args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("switchboard tickets: " + flag + ": "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(exported(), before);
  }

  test::TempDir dir_;
};

}  // namespace

TEST_F(TicketsCli, CreateAssignsByTheRules) {
  auto r = run("create --customer +4930123 --category repair --tag vip --tag outage --call cdr-7 --note 'no dial tone'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "ticket 1: assigned to pia in premium, priority 5, first response due 2026-12-01T12:00:00Z, "
            "resolution due 2026-12-03T08:00:00Z\n");
  r = run("create --customer +4930124 --category repair");
  EXPECT_EQ(r.out.substr(0, 29), "ticket 2: assigned to ann in ");
  r = run("create --customer +4930125 --category repair");  // ann has one now: ben is the least loaded
  EXPECT_EQ(r.out.substr(0, 29), "ticket 3: assigned to ben in ");
  r = run("create --customer +4930126 --category dispute --tag complaint --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["id"], 4);
  EXPECT_EQ(j["escalated"], true);
  EXPECT_EQ(j["group"], "seniors");
  EXPECT_EQ(j["agent"], "sam");
  EXPECT_EQ(j["priority"], 4);
}

TEST_F(TicketsCli, TheLifecycleShowAndList) {
  ASSERT_EQ(run("create --customer +4930123 --category repair").exit_code, 0);
  EXPECT_EQ(run("move 1 --to in_progress --by ann", "2026-12-01T09:00:00Z").exit_code, 0);
  EXPECT_EQ(run("move 1 --to waiting_for_customer --by ann --note 'asked for the router model'", "2026-12-01T09:10:00Z").exit_code, 0);
  auto r = run("move 1 --to resolved --by ann --expect-version 3", "2026-12-01T10:00:00Z");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 21), "ticket 1: resolved to");
  r = test::run_cli("tickets --db " + db() + " show 1");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("ticket 1 (version 4)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  first response       2026-12-01T09:00:00Z"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2026-12-01T09:10:00Z  ann  state in_progress -> waiting_for_customer: asked for the router model"),
            std::string::npos)
      << r.out;
  ASSERT_EQ(run("create --customer +4930999 --category dispute").exit_code, 0);
  r = test::run_cli("tickets --db " + db() + " list --open --format json");
  const auto open = nlohmann::json::parse(r.out);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]["id"], 2);
  r = test::run_cli("tickets --db " + db() + " list --state resolved");
  EXPECT_NE(r.out.find("     1  resolved"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("     2  "), std::string::npos) << r.out;
  // The dispute is due a day after 08:00; at 08:00 the next day plus a second it breaches.
  r = test::run_cli("tickets --db " + db() + " list --breaching --now 2026-12-02T08:00:01Z --format json");
  EXPECT_EQ(nlohmann::json::parse(r.out).size(), 1u);
  r = test::run_cli("tickets --db " + db() + " stats --now 2026-12-02T08:00:01Z --format json");
  const auto s = nlohmann::json::parse(r.out);
  EXPECT_EQ(s["open"], 1);
  EXPECT_EQ(s["breaching"], 1);
  EXPECT_EQ(s["resolved"], 1);
  EXPECT_EQ(s["resolved_within_sla"], 1);
  EXPECT_EQ(s["by_state"]["resolved"], 1);
}

TEST_F(TicketsCli, EscalateOverdueTickets) {
  ASSERT_EQ(run("create --customer a --category dispute").exit_code, 0);  // first response due 10:00
  ASSERT_EQ(run("create --customer b --category repair").exit_code, 0);   // first response due 12:00
  auto r = run("escalate", "2026-12-01T10:00:01Z");
  EXPECT_EQ(r.out, "escalated 1 ticket: 1\n");
  r = run("escalate", "2026-12-01T10:00:02Z");
  EXPECT_EQ(r.out, "escalated 0 tickets\n");  // once only
  const auto t = nlohmann::json::parse(test::run_cli("tickets --db " + db() + " show 1 --format json").out);
  EXPECT_EQ(t["group"], "seniors");
  EXPECT_EQ(t["agent"], "sam");
  EXPECT_EQ(t["state"], "assigned");
}

TEST_F(TicketsCli, ExportJsonAndCsv) {
  ASSERT_EQ(run("create --customer 'Smith, \"J\"' --category repair --tag vip").exit_code, 0);
  const auto j = nlohmann::json::parse(exported());
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["customer"], "Smith, \"J\"");
  EXPECT_EQ(j[0]["history"].size(), 3u);  // created, state, agent
  const auto out = dir_ / "out.csv";
  const auto r = test::run_cli("tickets --db " + db() + " export --format csv --out " + out.string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = test::read_file(out);
  EXPECT_EQ(csv.substr(0, 19), "id,version,customer");
  EXPECT_NE(csv.find("\n1,1,\"Smith, \"\"J\"\"\",repair,4,vip,,back,ann,assigned,0,"), std::string::npos) << csv;
}

TEST_F(TicketsCli, MistakesAreRefusedAndChangeNothing) {
  ASSERT_EQ(run("create --customer +4930123 --category repair").exit_code, 0);
  refused("create --customer x --category refund", "--category", "unknown ticket category 'refund' (known: repair, dispute)");
  refused("create --category repair", "--customer", "expected the customer");
  refused("create --customer x --category repair --tag ''", "--tag", "non-empty");
  // Bytes that are not UTF-8 (printf's octal escapes: the tests' shell is sh).
  refused("create --customer x --category repair --tag \"$(printf '\\377')\"", "--tag", "expected UTF-8 text; got '\\xff'");
  refused("create --customer \"$(printf '+49\\376')\" --category repair", "--customer", "expected UTF-8 text; got '+49\\xfe'");
  refused("create --customer x --category repair --call \"$(printf 'c\\303')\"", "--call", "expected UTF-8 text");
  refused("move 1 --to closed", "--to", "ticket 1 is assigned: it cannot move to closed; from assigned it can move to assigned, in_progress, cancelled");
  refused("move 1 --to done", "--to", "expected a state: new, assigned");
  refused("move 1", "--to", "expected the state");
  refused("move 9 --to cancelled", "ID", "no ticket 9");
  refused("move x --to cancelled", "ID", "a ticket id");
  refused("move 1 --to cancelled --expect-version 7", "--expect-version", "changed since it was read (version 7, now 1)");
  refused("move 1 --to assigned --agent zed", "--agent", "unknown agent 'zed'");
  refused("move 1 --to assigned --agent sam", "--agent", "agent sam works in group seniors, not in the ticket's group back");
  refused("move 1 --to in_progress --agent ben", "--agent", "only named when moving to assigned");
  refused("show 1 --to closed", "--to", "not a flag of tickets show");
  refused("list 1", "ID", "'list' takes no ticket id");
  refused("frobnicate", "COMMAND", "one of create, move");
  refused("list --format xml", "--format", "table or json");
  refused("list --limit 0", "--limit", "1 to 100000");
  refused("move 1 --to cancelled --by ''", "--by", "expected who");
  refused("list --sync fast", "--sync", "normal or full; got 'fast'");
  const auto pg = test::run_cli("tickets --db postgresql://nobody@127.0.0.1:1/x --sync full list");
  EXPECT_EQ(pg.exit_code, 2);
  EXPECT_NE(pg.err.find("--sync: expected a SQLite --db"), std::string::npos) << pg.err;
  ASSERT_EQ(run("--sync full move 1 --to cancelled").exit_code, 0);  // a change kept with synchronous=FULL
  const auto r = run("list", "yesterday");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--now: expected a UTC time"), std::string::npos) << r.err;
}

TEST_F(TicketsCli, ABadRequestCreatesNoDatabase) {
  auto r = run("create --customer x --category refund");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(db()));
  r = test::run_cli("tickets --db " + db() + " create --customer x --category repair");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--scenario: expected the scenario"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(db()));
}

TEST_F(TicketsCli, ACorruptDatabaseIsRefusedAtStart) {
  const std::string garbage = "this is not a database, and it must stay exactly as it is";
  test::write_file(db(), garbage);
  const auto r = test::run_cli("tickets --db " + db() + " list");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("switchboard tickets: --db: the ticket database " + db() + " is not a database or is corrupt"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(test::read_file(db()), garbage);
}

// A file the user may not write. As root, permissions do not stop writes, so
// the command runs as `nobody` there.
TEST_F(TicketsCli, AReadOnlyDatabaseIsRefusedAtStart) {
  ASSERT_EQ(run("create --customer +4930123 --category repair").exit_code, 0);
  const std::string before = exported();
  ASSERT_EQ(chmod(db().c_str(), 0444), 0);
  const std::string as = geteuid() == 0 ? "--reuid=nobody --regid=nogroup --clear-groups " : "";
  const std::string cmd = (geteuid() == 0 ? "setpriv " + as : std::string()) + SWITCHBOARD_CLI + " tickets --db " + db() +
                          " move 1 --to cancelled 2>" + (dir_ / "err").string();
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const std::string err = test::read_file(dir_ / "err");
  EXPECT_NE(err.find("--db: the ticket database " + db() + " is read-only"), std::string::npos) << err;
  ASSERT_EQ(chmod(db().c_str(), 0644), 0);
  EXPECT_EQ(exported(), before);
}

TEST(TicketsCliPostgres, TheSameCommandsOnPostgresql) {
  const std::string db = test::shared_postgres_cluster().fresh_database();
  const std::string base = "tickets --db " + db + " --scenario " + scenario() + " --now 2026-12-01T08:00:00Z ";
  auto r = test::run_cli(base + "create --customer +4930123 --category repair --tag vip");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 29), "ticket 1: assigned to ann in ");
  r = test::run_cli(base + "move 1 --to resolved");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--to: ticket 1 is assigned: it cannot move to resolved"), std::string::npos) << r.err;
  r = test::run_cli(base + "move 1 --to in_progress --by ann");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = test::run_cli("tickets --db " + db + " show 1 --format json");
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["state"], "in_progress");
  EXPECT_EQ(j["version"], 2);
  EXPECT_EQ(j["priority"], 4);
}

namespace {

// Starts `tickets api` on a free loopback port; returns its pid and port.
std::pair<pid_t, int> start_api(const std::string& db, const std::string& tokens) {
  int out[2];
  if (pipe(out) != 0) return {-1, 0};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    alarm(60);  // never outlives a test that died
    const std::string s = scenario();
    execl(SWITCHBOARD_CLI, SWITCHBOARD_CLI, "tickets", "--db", db.c_str(), "--scenario", s.c_str(), "api", "--listen",
          "127.0.0.1:0", "--tokens", tokens.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c = 0;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  const std::string prefix = "ticket API on http://127.0.0.1:";
  if (line.rfind(prefix, 0) != 0) return {pid, 0};
  return {pid, std::stoi(line.substr(prefix.size()))};
}

}  // namespace

// kill -9 of the API server while four clients create and move tickets as
// fast as they can: after a restart every ticket whose request got a 2xx is
// there in its acknowledged state, and the database is intact.
TEST_F(TicketsCli, ApiKilledMidLoadLosesNoAcknowledgedTicket) {
  const auto tokens = dir_ / "tokens";
  test::write_file(tokens, "app 0123456789abcdef0123\n");
  auto [pid, port] = start_api(db(), tokens.string());
  ASSERT_GT(port, 0);
  const httplib::Headers auth = {{"Authorization", "Bearer 0123456789abcdef0123"}};
  test::ApiLoad load(port, "0123456789abcdef0123");
  EXPECT_TRUE(load.wait_for(200)) << "the clients stalled";
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  load.stop();
  ASSERT_TRUE(WIFSIGNALED(status));
  const auto exported = nlohmann::json::parse(test::run_cli("tickets --db " + db() + " export").out);
  std::map<std::int64_t, std::string> stored;
  for (const auto& t : exported) stored[t["id"]] = t["state"];
  load.expect_kept(stored);
  const auto& acked = load.acknowledged();
  EXPECT_EQ(store::connect_sqlite(db())->run("PRAGMA integrity_check").rows.at(0).at(0), "ok");
  // And it starts again on the same file.
  std::tie(pid, port) = start_api(db(), tokens.string());
  ASSERT_GT(port, 0);
  httplib::Client cli("127.0.0.1", port);
  auto res = cli.Get("/tickets/" + std::to_string(acked.begin()->first), auth);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  kill(pid, SIGTERM);
  waitpid(pid, &status, 0);
}

// `tickets api`: the server as a process — serves on a free loopback port,
// answers with the store's tickets, and stops cleanly (exit 0) on SIGTERM.
TEST_F(TicketsCli, ApiServesUntilSigterm) {
  ASSERT_EQ(run("create --customer +4930123 --category repair").exit_code, 0);
  const auto tokens = dir_ / "tokens";
  test::write_file(tokens, "app 0123456789abcdef0123\n");
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    alarm(60);  // never outlives a test that died
    const std::string d = db(), s = scenario(), t = tokens.string();
    execl(SWITCHBOARD_CLI, SWITCHBOARD_CLI, "tickets", "--db", d.c_str(), "--scenario", s.c_str(), "api", "--listen",
          "127.0.0.1:0", "--tokens", t.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c = 0;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  const std::string prefix = "ticket API on http://127.0.0.1:";
  ASSERT_EQ(line.rfind(prefix, 0), 0u) << line;
  const int port = std::stoi(line.substr(prefix.size()));
  httplib::Client cli("127.0.0.1", port);
  cli.set_read_timeout(10);
  auto res = cli.Get("/tickets/1", {{"Authorization", "Bearer 0123456789abcdef0123"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(nlohmann::json::parse(res->body)["customer"], "+4930123");
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST_F(TicketsCli, ApiFlagsAreChecked) {
  const auto tokens = dir_ / "tokens";
  test::write_file(tokens, "app short\n");
  auto r = run("api --tokens " + tokens.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(tokens.string() + ":1:1: token: expected a secret of at least 16 characters"), std::string::npos) << r.err;
  r = run("api --listen localhost --tokens " + tokens.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--listen: expected HOST:PORT"), std::string::npos) << r.err;
  r = run("api");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--tokens: expected the file of bearer tokens"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(db()));
}
