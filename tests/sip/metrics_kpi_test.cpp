// /metrics against the core's own report for the same run: calls played by
// hand (answered fast and slow, a short and a long abandon, an accepted
// callback), then every KPI recomputed from the exported counters the way
// docs/kpis.md's PromQL does must equal the report's. The exposition text
// must also pass `promtool check metrics` (Prometheus' naming lint).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/call_center.hpp"
#include "core/input_error.hpp"
#include "sip/metrics.hpp"
#include "support/recording_driver.hpp"
#include "support/test_support.hpp"

using namespace switchboard;

namespace {

Scenario one_queue_with_callbacks() {
  Scenario s;
  s.name = "metrics";
  s.horizon.length = 3600;
  s.horizon.interval = 900;
  s.skills = {"a"};
  s.priorities = {PriorityClass{"normal", 0, 1}};
  Queue q;
  q.name = "qa";
  q.skill = 0;
  q.callback.enabled = true;
  q.callback.offer_above_wait = 0;
  s.queues = {q};
  CallType t;
  t.name = "calls";
  t.arrivals.rate_per_hour = {60};
  t.handle_time = Distribution::exponential_of(100);
  t.entry_queue = 0;
  s.call_types = {t};
  AgentGroup g;
  g.name = "desk";
  g.skills = {{0, 1}};
  g.staffing = {1};
  s.groups = {g};
  return s;
}

// Sum of every series of `name` (all label sets) in exposition text.
double sum(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  double total = 0;
  while (std::getline(in, line)) {
    if (line.rfind(name, 0) != 0) continue;
    const char next = line[name.size()];
    if (next != ' ' && next != '{') continue;
    total += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return total;
}

double kpi(const KpiReport& r, CallKpi k) { return r.total[static_cast<int>(k)]; }

}  // namespace

TEST(MetricsKpis, EveryRatioFromTheExportedCountersEqualsTheCoresReport) {
  const Scenario s = one_queue_with_callbacks();
  test::RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle a = cc.on_call_arrived(10, 0, 0);  // rings the one agent at once
  cc.on_agent_answered(12, 0, a);                     // waited 2 s (ringing counts)
  const CallHandle b = cc.on_call_arrived(20, 0, 0);  // waits; declines the callback offer
  cc.on_callback_answer(21, b, false);
  const CallHandle c = cc.on_call_arrived(25, 0, 0);
  cc.on_callback_answer(26, c, true);                 // takes the callback: off the line
  const CallHandle short_abandon = cc.on_call_arrived(30, 0, 0);
  cc.on_caller_hangup(32, short_abandon);
  const CallHandle long_abandon = cc.on_call_arrived(35, 0, 0);
  cc.on_caller_hangup(80, long_abandon);
  cc.on_talk_ended(100, d.talk(0));  // the agent takes b (waited 80 s until the ring)
  ASSERT_EQ(d.rings.back().call.slot, b.slot);
  cc.on_agent_answered(101, 0, b);
  cc.on_talk_ended(150, d.talk(0));  // then the callback
  ASSERT_EQ(d.rings.back().call.slot, c.slot);
  cc.on_agent_answered(151, 0, c);
  cc.on_talk_ended(200, d.talk(0));

  sip::Metrics metrics(s, "");
  metrics.publish(cc, 250);
  const std::string text = metrics.text();
  const KpiReport r = cc.report(250);

  auto ratio = [&](const char* num, const char* den) { return sum(text, num) / sum(text, den); };
  EXPECT_EQ(sum(text, "switchboard_calls_offered_total"), kpi(r, CallKpi::offered));
  EXPECT_EQ(sum(text, "switchboard_calls_handled_total"), 3);
  EXPECT_EQ(sum(text, "switchboard_calls_abandoned_total"), kpi(r, CallKpi::abandoned));
  EXPECT_EQ(sum(text, "switchboard_callbacks_handled_total"), 1);
  // SL: a (2 s) within 20 s, of a, b and the long abandon (the short
  // abandon and the callback apart): 1/3.
  EXPECT_DOUBLE_EQ(ratio("switchboard_service_level_answered_within_total", "switchboard_service_level_calls_total"),
                   kpi(r, CallKpi::service_level));
  EXPECT_DOUBLE_EQ(kpi(r, CallKpi::service_level), 1.0 / 3.0);
  // ASA over the answered calls the caller waited for (a, b), not over
  // handled (which counts the callback): (2 + 81) / 2.
  EXPECT_DOUBLE_EQ(ratio("switchboard_answered_wait_seconds_total", "switchboard_calls_answered_total"), kpi(r, CallKpi::asa));
  EXPECT_DOUBLE_EQ(kpi(r, CallKpi::asa), 41.5);
  EXPECT_DOUBLE_EQ(ratio("switchboard_handle_seconds_total", "switchboard_calls_wrapped_up_total"), kpi(r, CallKpi::aht));
  EXPECT_DOUBLE_EQ(ratio("switchboard_queue_wait_seconds_sum", "switchboard_queue_wait_seconds_count"), kpi(r, CallKpi::mean_wait));
  const double busy = sum(text, "switchboard_agent_busy_seconds_total");
  EXPECT_DOUBLE_EQ(busy / (busy + sum(text, "switchboard_agent_available_seconds_total")), r.group[0][0]);
  EXPECT_DOUBLE_EQ(sum(text, "switchboard_calls_waiting_seconds_total") / 250, r.total_queue[0]);
  // The histogram: 4 waits (2, 2, 45, 81 s); le="5" holds the two short ones.
  EXPECT_EQ(sum(text, "switchboard_queue_wait_seconds_bucket{queue=\"qa\",le=\"5\"}"), 2);
  EXPECT_EQ(sum(text, "switchboard_queue_wait_seconds_bucket{queue=\"qa\",le=\"+Inf\"}"), 4);

  // Prometheus' own lint: units, _total suffixes, no ratios as counters.
  const test::TempDir dir;
  const std::string file = (dir.path() / "metrics.txt").string();
  std::ofstream(file) << text;
  FILE* p = popen(("promtool check metrics < " + file + " 2>&1").c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buffer[4096];
  std::string lint;
  while (std::size_t n = fread(buffer, 1, sizeof buffer, p)) lint.append(buffer, n);
  EXPECT_EQ(pclose(p), 0) << lint;
  EXPECT_EQ(lint, "");
}

TEST(MetricsKpis, SeriesOnlyGrowAndGaugesFollowTheQueue) {
  const Scenario s = one_queue_with_callbacks();
  test::RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  const CallHandle a = cc.on_call_arrived(10, 0, 0);
  cc.on_agent_answered(10, 0, a);
  cc.on_call_arrived(20, 0, 0);
  cc.on_call_arrived(30, 0, 0);
  sip::Metrics metrics(s, "");
  metrics.publish(cc, 50);
  std::string text = metrics.text();
  EXPECT_EQ(sum(text, "switchboard_calls_waiting"), 2);
  EXPECT_EQ(sum(text, "switchboard_queue_longest_wait_seconds"), 30);  // since 20
  EXPECT_EQ(sum(text, "switchboard_agents{group=\"desk\",state=\"talking\"}"), 1);
  cc.on_talk_ended(60, d.talk(0));
  cc.on_agent_answered(62, 0, d.rings.back().call);  // the call from 20 ends its wait
  metrics.publish(cc, 70);
  text = metrics.text();
  EXPECT_EQ(sum(text, "switchboard_calls_waiting"), 1);
  EXPECT_EQ(sum(text, "switchboard_queue_longest_wait_seconds"), 40);  // since 30
  EXPECT_EQ(sum(text, "switchboard_queue_wait_seconds_count"), 2);
}

TEST(MetricsKpis, AnAddressInUseIsABadFlagNamingIt) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;  // any free port, then it is taken
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  const std::string address = "127.0.0.1:" + std::to_string(ntohs(a.sin_port));
  const Scenario s = one_queue_with_callbacks();
  try {
    sip::Metrics metrics(s, address);  // checks the address's form
    metrics.serve();                   // opens it: the port is taken
    ADD_FAILURE() << "served metrics on a port in use";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--metrics"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(address + ": the port is in use"), std::string::npos) << e.what();
  }
  close(fd);
}
