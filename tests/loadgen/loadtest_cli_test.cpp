// `switchboard loadtest` end to end on loopback: SIPp callers against a
// `switchboard serve` the load test starts itself, at --time-scale 60 (a
// 15-minute window, about 300 calls, in about 20 s). The checks that need a
// run share one: the machine is small.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "loadgen/child_process.hpp"
#include "loadgen/metrics_scrape.hpp"
#include "support/test_support.hpp"

namespace switchboard::test {
namespace {

const std::string kScenario = std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/loadgen/fixtures/small-ivr.yaml";

// A shell command's status, its stdout and stderr together.
CommandResult run_shell(const std::string& command) {
  TempDir tmp;
  const int status = std::system(("(" + command + ") >" + (tmp / "stdout").string() + " 2>&1 </dev/null").c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(tmp / "stdout");
  return r;
}

// report.html in headless Chromium (Debian chromium, scripts/install-deps):
// it renders without errors and its charts hold the run's numbers.
void expect_html_report_draws(const std::filesystem::path& html, const nlohmann::json& report) {
  const CommandResult dom = run_shell("chromium --headless --no-sandbox --disable-gpu --virtual-time-budget=10000 --dump-dom file://" +
                                      html.string() + " 2>/dev/null");
  ASSERT_EQ(dom.exit_code, 0) << "chromium (Debian package chromium) must be installed";
  EXPECT_NE(dom.out.find("data-charts=\"8\""), std::string::npos) << "not every chart was drawn";
  const std::string errors_tag = "<div id=\"errors\">", data_tag = "<pre id=\"chart-data\">";
  const auto errors_at = dom.out.find(errors_tag);
  ASSERT_NE(errors_at, std::string::npos);
  EXPECT_EQ(dom.out.compare(errors_at + errors_tag.size(), 6, "</div>"), 0) << dom.out.substr(errors_at, 400);
  const auto open = dom.out.find(data_tag) + data_tag.size();
  ASSERT_GT(open, data_tag.size());
  std::string text = dom.out.substr(open, dom.out.find("</pre>", open) - open);
  for (const auto& [entity, ch] : {std::pair<std::string, std::string>{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}})
    for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at)) text.replace(at, entity.size(), ch);
  const auto charts = nlohmann::json::parse(text);
  ASSERT_EQ(charts.size(), 8u);
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& c : charts) by_id[c["id"].get<std::string>()] = c;
  const auto& measured = report["measured"]["intervals"];
  const auto& offered = by_id["chart-offered"]["datasets"][0]["data"];
  ASSERT_EQ(offered.size(), measured.size());
  for (std::size_t i = 0; i < measured.size(); ++i) EXPECT_EQ(offered[i].get<double>(), measured[i]["offered"].get<double>());
  EXPECT_EQ(by_id["chart-sl"]["datasets"][1]["data"][0].get<double>(), report["predicted"]["intervals"][0]["sl"]["mean"].get<double>());
  const auto& histogram = report["sip"]["invite_200_ms"]["histogram"];
  double in_histogram = 0;
  for (std::size_t b = 0; b < histogram.size(); ++b) {
    EXPECT_EQ(by_id["chart-invite"]["datasets"][0]["data"][b].get<double>(), histogram[b]["count"].get<double>());
    in_histogram += histogram[b]["count"].get<double>();
  }
  EXPECT_EQ(in_histogram, report["sip"]["invite_200_ms"]["count"].get<double>());
  EXPECT_EQ(by_id["chart-load"]["datasets"][0]["data"].size(), report["metrics_samples"].size());
  const auto& resources = report["server_resources"];
  ASSERT_GT(resources.size(), 3u);  // a scrape every 2 s of a 20 s run
  for (std::size_t i = 0; i < resources.size(); ++i)
    EXPECT_EQ(by_id["chart-server"]["datasets"][1]["data"][i].get<double>(), resources[i]["rss_mb"].get<double>());
  EXPECT_GT(resources.back()["rss_mb"].get<double>(), 1);  // the server's memory was read
}

// Its thresholds hold whatever the machine's speed: `placed_calls<100`
// misses (the plan places 200-480 calls: exit 1, named with by how much),
// the others pass; no wall-clock threshold (INVITE->200 times move with the
// machine's load; the 10,000-call profile measures them, docs/performance.md).
TEST(LoadtestCli, ServedRunExitsOneForItsMissedThresholdAgreesAndReportsWhatTheServerCounted) {
  TempDir dir;
  const CommandResult r = run_cli("loadtest " + kScenario + " --serve --time-scale 60 --window 08:00-08:15 --seed 3 --out " +
                                  (dir / "report").string() +
                                  " --assert failed_calls==0 --assert 'placed_calls<100' --assert 'handled>0' --agreement --drain 30");
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("threshold placed_calls<100: missed: measured "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("threshold failed_calls"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("threshold handled"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("disagrees"), std::string::npos) << r.err;
  const auto report = nlohmann::json::parse(read_file(dir / "report" / "report.json"));
  ASSERT_EQ(report["assertions"].size(), 3u);
  for (const auto& a : report["assertions"])
    EXPECT_EQ(a["passed"].get<bool>(), a["message"].get<std::string>().rfind("placed_calls<100:", 0) != 0) << a.dump();
  EXPECT_TRUE(report["complete"].get<bool>());
  const double planned = report["plan"]["calls"].get<double>();
  EXPECT_GT(planned, 200);
  EXPECT_LT(planned, 480);
  // Every planned call was placed and ended well, and the server counted each one.
  EXPECT_EQ(report["sip"]["calls_created"].get<double>(), planned);
  EXPECT_EQ(report["sip"]["successful_calls"].get<double>(), planned);
  EXPECT_EQ(report["sip"]["invite_200_ms"]["count"].get<double>(), planned);
  const auto& total = report["measured"]["total"];
  EXPECT_EQ(total["offered"].get<double>(), planned);
  // The report's numbers are the server's /metrics: its last sample's counters.
  const auto& last = report["metrics_samples"].back();
  EXPECT_EQ(total["offered"].get<double>(), last["offered"].get<double>());
  EXPECT_EQ(total["handled"].get<double>(), last["handled"].get<double>());
  EXPECT_EQ(total["abandoned"].get<double>(), last["abandoned"].get<double>());
  EXPECT_EQ(total["offered"].get<double>(), total["handled"].get<double>() + total["abandoned"].get<double>() +
                                                total["contained"].get<double>());
  // The callers' digits took them where the plan sent them: per queue and out of the IVR.
  for (const char* q : {"billing", "tech"})
    EXPECT_EQ(report["measured"]["queues"][q]["offered"].get<double>(), report["plan"]["by_first_queue"][q].get<double>()) << q;
  EXPECT_EQ(total["contained"].get<double>(), report["plan"]["by_first_queue"]["none"].get<double>());
  EXPECT_GT(total["abandoned"].get<double>(), 0);  // impatient callers hung up in queue
  // Each agreement check passed.
  EXPECT_EQ(report["agreement"].size(), 4u);
  for (const auto& a : report["agreement"]) EXPECT_TRUE(a["agrees"].get<bool>()) << a.dump();
  EXPECT_NEAR(report["predicted"]["total"]["offered"]["mean"].get<double>(), planned, 0.25 * planned);
  expect_html_report_draws(dir / "report" / "report.html", report);
}

// Tags and redials on the real run (tests/loadgen/fixtures/redial-vip.yaml):
// the callers' X-Switchboard-Tags route exactly the plan's VIPs to the gold
// queue, and guests who abandon call again (a new INVITE from the same SIPp
// call), no more often than the plan allows.
TEST(LoadtestCli, CallersCarryTheirTagsAndRedialAfterAbandoning) {
  TempDir dir;
  const std::string scenario = std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/loadgen/fixtures/redial-vip.yaml";
  const CommandResult r = run_cli("loadtest " + scenario + " --serve --time-scale 60 --window 08:00-08:15 --seed 2 --out " +
                                  (dir / "report").string() + " --assert failed_calls==0 --drain 30");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto report = nlohmann::json::parse(read_file(dir / "report" / "report.json"));
  const double callers = report["plan"]["calls"].get<double>();
  const double vips = report["plan"]["by_tag"]["vip"].get<double>();
  const double redials_planned = report["plan"]["redials_planned"].get<double>();
  ASSERT_GT(vips, 20);
  ASSERT_GT(redials_planned, 20);
  const auto& total = report["measured"]["total"];
  EXPECT_EQ(report["measured"]["queues"]["gold"]["offered"].get<double>(), vips);  // only members are tagged, and they never redial
  // One SIPp call per caller; each redial is one more INVITE the server answers and counts.
  EXPECT_EQ(report["sip"]["successful_calls"].get<double>(), callers);
  const double redials = total["offered"].get<double>() - callers;
  EXPECT_EQ(report["sip"]["invite_200_ms"]["count"].get<double>(), callers + redials);
  EXPECT_GT(redials, 0);
  EXPECT_LE(redials, redials_planned);
  EXPECT_LE(redials, report["measured"]["queues"]["general"]["abandoned"].get<double>());  // each follows an abandon
}

// Against a server that is already running (--target, --metrics): a
// missed threshold exits 1 and says which and by how much.
TEST(LoadtestCli, AMissedThresholdOnARunningTargetExitsOneSayingWhichAndByHowMuch) {
  TempDir dir;
  const int sip = loadgen::free_port(true), metrics = loadgen::free_port(false);
  loadgen::ChildProcess server({SWITCHBOARD_CLI, "serve", kScenario, "--sip", "udp:127.0.0.1:" + std::to_string(sip), "--metrics",
                                "127.0.0.1:" + std::to_string(metrics), "--time-scale", "60", "--grace", "2",
                                // an in-dialog OPTIONS to every caller each wall second: the
                                // callers answer it (failed_calls==0 below holds)
                                "--dialog-probe", "1"},
                               dir.path().string(), (dir / "serve.out").string(), (dir / "serve.err").string());
  for (int i = 0; i < 100 && !loadgen::fetch_metrics("127.0.0.1", metrics, 0.2); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const CommandResult r = run_cli("loadtest " + kScenario + " --target udp:127.0.0.1:" + std::to_string(sip) + " --metrics 127.0.0.1:" +
                                  std::to_string(metrics) + " --time-scale 60 --window 08:00-08:05 --out " + (dir / "report").string() +
                                  " --assert 'handled<5' --assert failed_calls==0 --drain 30");
  server.signal(SIGTERM);
  EXPECT_TRUE(server.wait_for(10));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("threshold handled<5: missed: measured "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("above the threshold < 5"), std::string::npos) << r.err;
  const auto report = nlohmann::json::parse(read_file(dir / "report" / "report.json"));
  // That one held. (It failed once in CI with one failed SIPp call, not
  // reproduced since: SIPp's failures by reason are printed if it fails.)
  EXPECT_EQ(r.err.find("failed_calls"), std::string::npos) << r.err << report["sip"].dump(1);
  EXPECT_EQ(report["target"], "udp:127.0.0.1:" + std::to_string(sip));
  EXPECT_EQ(report["measured"]["total"]["offered"].get<double>(), report["plan"]["calls"].get<double>());
  EXPECT_TRUE(std::filesystem::exists(dir / "report" / "report.html"));
}

TEST(LoadtestCli, BadInputIsOneMessageAndExitTwoWithNothingWritten) {
  TempDir dir;
  const std::string out = (dir / "report").string();
  const std::pair<std::string, std::string> cases[] = {
      {"--serve --assert 'latency<5'", "--assert: 'latency<5': expected a metric"},
      {"--serve --window 10:00-11:00", "--window: expected a window inside the scenario's horizon 08:00-09:00"},
      {"--target udp:127.0.0.1:9", "--target: no SIP server answers OPTIONS at 127.0.0.1:9"},
      {"--target tcp:127.0.0.1:5060", "--target: expected udp:HOST:PORT"},
      {"", "--serve: expected either --serve or --target udp:HOST:PORT"},
      {"--serve --time-scale 0", "--time-scale: expected a factor > 0"},
  };
  for (const auto& [flags, message] : cases) {
    const CommandResult r = run_cli("loadtest " + kScenario + " " + flags + " --out " + out);
    EXPECT_EQ(r.exit_code, 2) << flags << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << flags << "\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << flags;
  }
  write_file(dir / "file", "x");
  const CommandResult r = run_cli("loadtest " + kScenario + " --serve --out " + (dir / "file").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--out: expected a directory"), std::string::npos) << r.err;

  // A window without traffic.
  write_file(dir / "quiet.yaml", R"(name: quiet
horizon: {length: 1h, interval: 30m}
skills: [s]
agent_groups: [{name: g, skills: [s], agents: 1}]
queues: [{name: q, skill: s}]
call_types: [{name: c, arrivals: {process: poisson, rate: [0, 60]}, handle_time: {dist: constant, value: 60s}, entry: {queue: q}}]
)");
  const CommandResult quiet = run_cli("loadtest " + (dir / "quiet.yaml").string() + " --serve --window 00:00-00:30 --out " + out);
  EXPECT_EQ(quiet.exit_code, 2);
  EXPECT_NE(quiet.err.find("--window: no call arrives in the window"), std::string::npos) << quiet.err;
  EXPECT_FALSE(std::filesystem::exists(out));

  // SIPp missing (not on PATH).
  const CommandResult no_sipp = run_shell("PATH=/nonexistent " + std::string(SWITCHBOARD_CLI) + " loadtest " + kScenario +
                                          " --serve --out " + out);
  EXPECT_EQ(no_sipp.exit_code, 2);
  EXPECT_NE(no_sipp.out.find("sipp: SIPp is not installed"), std::string::npos) << no_sipp.out;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace switchboard::test

namespace switchboard::test {
namespace {

// The processes whose parent is `parent`, from /proc.
std::vector<int> children_of(int parent) {
  std::vector<int> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');  // "pid (comm) state ppid ..."
    if (close == std::string::npos) continue;
    std::istringstream rest(text.substr(close + 2));
    char state = 0;
    int ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) out.push_back(std::stoi(name));
  }
  return out;
}

TEST(LoadtestCli, CtrlCStopsSippAndTheServerAndStillWritesTheReportMarkedIncomplete) {
  TempDir dir;
  const std::string out = (dir / "report").string();
  loadgen::ChildProcess run({SWITCHBOARD_CLI, "loadtest", kScenario, "--serve", "--time-scale", "60", "--window", "08:00-09:00",
                             "--out", out},
                            dir.path().string(), (dir / "stdout").string(), (dir / "stderr").string());
  // Wait until the server and SIPp are both up (two children), then interrupt.
  std::vector<int> children;
  for (int i = 0; i < 150 && children.size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    children = children_of(run.pid());
  }
  ASSERT_EQ(children.size(), 2u) << read_file(dir / "stderr");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  run.signal(SIGINT);
  ASSERT_TRUE(run.wait_for(40)) << "the load test did not stop";
  EXPECT_EQ(run.exit_status(), 130) << read_file(dir / "stderr");
  for (int pid : children) EXPECT_FALSE(std::filesystem::exists("/proc/" + std::to_string(pid))) << "child " << pid << " left running";
  const auto report = nlohmann::json::parse(read_file(dir / "report" / "report.json"));
  EXPECT_FALSE(report["complete"].get<bool>());
  EXPECT_EQ(report["stopped_because"], "interrupted (SIGINT/SIGTERM)");
  EXPECT_GT(report["sip"]["calls_created"].get<double>(), 0);
  EXPECT_NE(read_file(dir / "stderr").find("incomplete: interrupted"), std::string::npos);
}

}  // namespace
}  // namespace switchboard::test
