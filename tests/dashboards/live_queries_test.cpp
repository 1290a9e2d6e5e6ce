// Every PromQL expression of the dashboards and rules, run against a real
// Prometheus that scraped a real `switchboard serve` under a small SIPp load
// (callers through the IVR, a burst beyond --max-calls for 503s, and a
// forecast for the early warning's series): each
// must parse and return data. The rules are loaded by that Prometheus too,
// and the recorded series must exist.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <regex>

#include "dashboards/graph_page.hpp"
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

// A `switchboard serve` under a small SIPp load, scraped by a Prometheus
// that loads the project's rules: callers through the IVR to two queues,
// then a burst beyond --max-calls for 503s.
struct ServedLoad {
  // `fixture`: a scenario of tests/sip/fixtures/ or an absolute path.
  ServedLoad(const std::string& fixture, const std::string& flags)
      : server(fixture, flags + " --tickets-db " + (tickets / "tickets.db").string()) {}
  TempDir tickets;  // the ticket store, for its series (the tickets panel)
  serve::Server server;
  Prometheus prometheus{scrape_config(serve::base_port() + 1)};

  // Returns once the calls were placed, scraped and the rules evaluated.
  void run() {
    ASSERT_TRUE(prometheus.ready()) << prometheus.log();
    std::this_thread::sleep_for(2s);  // a first scrape before the calls
    std::thread sales([&] { server.sipp("caller-ivr.xml", "-s customers -key digit 1 -d 600 -m 40 -r 10 -l 40", 0); });
    std::thread support([&] { server.sipp("caller-ivr.xml", "-s customers -key digit 2 -d 600 -m 20 -r 10 -l 20", 1); });
    sales.join();
    support.join();
    server.sipp("caller-ivr.xml", "-s customers -key digit 1 -d 2000 -m 30 -r 200 -l 30", 2);
    EXPECT_GT(serve::wait_for(server, "switchboard_calls_handled_total{queue=\"sales\"}", 40), 0);
    std::this_thread::sleep_for(3s);  // scraped and the rules evaluated since
  }
};

}  // namespace

TEST(LiveQueries, EveryDashboardAndRuleExpressionReturnsDataFromAServedLoad) {
  ServedLoad load("ivr-two-queues.yaml", "--time-scale 4 --max-calls 12 --forecast " +
                                           (source_dir() / "tests/dashboards/fixtures/ivr-two-queues-forecast.csv").string());
  load.run();
  const Prometheus& prometheus = load.prometheus;

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

// The key curves of *Call center — now* (SL, offered, waiting) on
// Prometheus' own graph page in headless Chromium, after a load that makes
// callers wait: each page draws a curve per series, with no error box, and
// at least one curve that rises or falls; each page is kept as a PNG (in SWITCHBOARD_SCREENSHOT_DIR if set, which is how docs/img/ is made).
TEST(LiveQueries, PrometheusGraphPageDrawsTheKeyCurvesAfterALoad) {
  // Three agents a queue: the callers queue up, the SL drops, the queues drain.
  ServedLoad load((source_dir() / "tests/dashboards/fixtures/short-staffed.yaml").string(), "--time-scale 4");
  load.run();
  const char* keep = std::getenv("SWITCHBOARD_SCREENSHOT_DIR");
  const std::filesystem::path shots = keep != nullptr ? std::filesystem::path(keep) : load.prometheus.dir().path();
  std::filesystem::create_directories(shots);

  struct Key {
    std::string panel, png, series;  // the panel's title starts with `panel`; `series`: a label every curve has
    std::size_t curves;
  };
  const std::vector<Key> keys = {{"Service level (15 min)", "prometheus-service-level.png", "queue=", 3},  // two queues + the 0.8 line
                                 {"Calls per minute", "prometheus-offered.png", "panel_target=", 4},  // offered, handled, abandoned, contained
                                 {"Calls waiting", "prometheus-waiting.png", "queue=", 2}};
  const auto queries = dashboard_queries("30s");
  for (const Key& key : keys) {
    const auto q = std::find_if(queries.begin(), queries.end(), [&](const Query& q) {
      return q.where.rfind("call-center-now.json: " + key.panel, 0) == 0;
    });
    ASSERT_NE(q, queries.end()) << "no panel " << key.panel;
    // Every target of the panel in one graph, each labelled by its metric
    // (`or` would otherwise merge series with the same labels).
    std::string expr;
    static const std::regex metric(R"(switchboard_\w+)");
    for (auto t = q; t != queries.end() && t->where == q->where; ++t) {
      std::smatch m;
      const std::string name = std::regex_search(t->expr, m, metric) ? m.str() : "target";
      expr += (expr.empty() ? "" : " or ") + ("label_replace(" + t->expr + ", \"panel_target\", \"" + name + "\", \"\", \"\")");
    }
    const GraphPage page = render_graph_page(prometheus_port(), expr, "2m", shots / key.png);
    ASSERT_EQ(page.chromium_status, 0) << "chromium (Debian package chromium) must be installed";
    EXPECT_EQ(page.error, "") << key.panel << ": " << expr;
    EXPECT_EQ(page.legend.size(), key.curves) << key.panel;
    for (const auto& label : page.legend)
      if (label.find("panel_target=\"target\"") == std::string::npos) {
        EXPECT_NE(label.find(key.series), std::string::npos) << label;
      }
    EXPECT_GE(page.most_points, 10u) << key.panel << ": too short a curve to see";
    EXPECT_GE(page.widest_swing, 20.0) << key.panel << ": every curve is flat";
    const auto [width, height] = png_size(shots / key.png);
    EXPECT_EQ(width, 1200u) << shots / key.png;
    EXPECT_EQ(height, 1100u);
  }
}
