// Every PromQL expression of the dashboards and rules, run against a real
// Prometheus that scraped a real `switchboard serve` under a small SIPp load
// (callers through the IVR, a burst beyond --max-calls for 503s, and a
// forecast for the early warning's series): each
// must parse and return data. The rules are loaded by that Prometheus too,
// and the recorded series must exist.
#include <gtest/gtest.h>

#include "dashboards/prometheus_harness.hpp"
#include "dashboards/queries.hpp"
#include "sip/serve_harness.hpp"

using namespace switchboard::test;
using namespace switchboard::test::dashboards;

namespace {

std::string scrape_config(int metrics_port) {
  const std::string rules = (source_dir() / "dashboards/prometheus").string();
  return "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
         "rule_files: ['" + rules + "/recording-rules.yml', '" + rules + "/alerting-rules.yml']\n"
         "scrape_configs:\n"
         "  - job_name: switchboard\n"
         "    static_configs: [{targets: ['127.0.0.1:" + std::to_string(metrics_port) + "']}]\n";
}

void expect_data(const Prometheus& prometheus, const Query& q) {
  const auto reply = prometheus.query(q.expr);
  ASSERT_TRUE(reply.is_object()) << q.where << ": no reply to " << q.expr;
  ASSERT_EQ(reply.value("status", ""), "success") << q.where << ": " << reply.dump() << "\n" << q.expr;
  EXPECT_FALSE(reply["data"]["result"].empty()) << q.where << ": no data for " << q.expr;
}

}  // namespace

TEST(LiveQueries, EveryDashboardAndRuleExpressionReturnsDataFromAServedLoad) {
  TempDir tickets;  // the ticket store's series (the tickets panel)
  serve::Server server("ivr-two-queues.yaml", "--time-scale 4 --max-calls 12 --forecast " +
                                                (source_dir() / "tests/dashboards/fixtures/ivr-two-queues-forecast.csv").string() +
                                                " --tickets-db " + (tickets / "tickets.db").string());
  Prometheus prometheus(scrape_config(serve::base_port() + 1));
  ASSERT_TRUE(prometheus.ready()) << prometheus.log();
  std::this_thread::sleep_for(2s);  // a first scrape before the calls
  std::thread sales([&] { server.sipp("caller-ivr.xml", "-s customers -key digit 1 -d 600 -m 40 -r 10 -l 40", 0); });
  std::thread support([&] { server.sipp("caller-ivr.xml", "-s customers -key digit 2 -d 600 -m 20 -r 10 -l 20", 1); });
  sales.join();
  support.join();
  // A burst beyond --max-calls: some INVITEs get 503.
  server.sipp("caller-ivr.xml", "-s customers -key digit 1 -d 2000 -m 30 -r 200 -l 30", 2);
  EXPECT_GT(serve::wait_for(server, "switchboard_calls_handled_total{queue=\"sales\"}", 40), 0);
  std::this_thread::sleep_for(3s);  // scraped and the rules evaluated since

  const auto dashboards = dashboard_queries("10s");
  const auto rules = rule_queries();
  EXPECT_GE(dashboards.size(), 25u);
  EXPECT_GE(rules.size(), 10u);
  for (const auto& q : dashboards) expect_data(prometheus, q);
  for (const auto& q : rules) expect_data(prometheus, q);
  for (const char* recorded : {"queue:switchboard_service_level:ratio_rate5m", "queue:switchboard_asa_seconds:rate15m",
                               "queue:switchboard_abandonment:ratio_rate5m"})
    expect_data(prometheus, {std::string("recorded ") + recorded, recorded});
  // The burst did meet the limit (else the 503 panel and alert proved nothing).
  const auto rejected = prometheus.query("sum(switchboard_sip_responses_total{code=\"503\"})");
  ASSERT_FALSE(rejected["data"]["result"].empty());
  EXPECT_GT(std::stod(rejected["data"]["result"][0]["value"][1].get<std::string>()), 0);
}
