// A simulated day on Prometheus: `switchboard simulate --metrics-out`
// backfilled with `promtool tsdb create-blocks-from openmetrics`, a
// throwaway Prometheus started on the blocks, and the day's offered calls
// and service level queried through its HTTP API must equal what simulate
// itself reported (to float rounding).
#include <gtest/gtest.h>

#include "dashboards/prometheus_harness.hpp"

using namespace switchboard::test;
using namespace switchboard::test::dashboards;

namespace {

double scalar(const nlohmann::json& reply) {
  EXPECT_EQ(reply.value("status", ""), "success") << reply.dump();
  if (!reply.is_object() || reply["data"]["result"].empty()) return -1;
  return std::stod(reply["data"]["result"][0]["value"][1].get<std::string>());
}

// The last timestamp of the file (the end of the run), Unix seconds.
std::string last_timestamp(const std::string& openmetrics) {
  const auto eof = openmetrics.rfind("\n# EOF");
  const auto line = openmetrics.rfind('\n', eof - 1);
  const std::string last = openmetrics.substr(line + 1, eof - line - 1);
  return last.substr(last.rfind(' ') + 1);
}

}  // namespace

TEST(Backfill, ASimulatedDayQueriedInPrometheusEqualsSimulatesOwnReport) {
  TempDir dir;
  const std::string file = (dir / "day.om").string();
  const auto run = run_cli("simulate " + (source_dir() / "scenarios/bank-day.yaml").string() +
                           " --reps 1 --seed 7 --format json --metrics-out " + file + " --metrics-date 2026-11-30");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto report = nlohmann::json::parse(run.out);
  const std::string text = read_file(file);
  EXPECT_NE(text.find("source=\"simulation\""), std::string::npos);

  int status = -1;
  const std::string out = shell("promtool tsdb create-blocks-from openmetrics " + file + " " + (dir / "blocks").string() + " 2>&1", &status);
  ASSERT_EQ(status, 0) << out;
  Prometheus prometheus("global: {scrape_interval: 1m}\n", (dir / "blocks").string(), "--storage.tsdb.retention.time=100y");
  ASSERT_TRUE(prometheus.ready()) << prometheus.log();

  const std::string end = last_timestamp(text);
  // 2026-11-30 at the scenario's 07:00 start: the first sample.
  EXPECT_EQ(scalar(prometheus.query("min(timestamp(switchboard_calls_offered_total))", std::to_string(1795996800 + 7 * 3600))),
            1795996800 + 7 * 3600);
  const double offered = scalar(prometheus.query("sum(switchboard_calls_offered_total{source=\"simulation\"})", end));
  EXPECT_DOUBLE_EQ(offered, report["totals"]["offered"]["mean"].get<double>());
  EXPECT_GT(offered, 1000);
  const double sl = scalar(prometheus.query("sum(switchboard_service_level_answered_within_total{source=\"simulation\"}) / "
                                            "sum(switchboard_service_level_calls_total{source=\"simulation\"})", end));
  EXPECT_NEAR(sl, report["totals"]["service_level"]["mean"].get<double>(), 1e-12);
  const double asa = scalar(prometheus.query("sum(switchboard_answered_wait_seconds_total) / sum(switchboard_calls_answered_total)", end));
  EXPECT_NEAR(asa, report["totals"]["asa_seconds"]["mean"].get<double>(), 1e-9);
}

TEST(Backfill, BadMetricsFlagsExitTwoBeforeRunning) {
  TempDir dir;
  const std::string scenario = (source_dir() / "scenarios/erlang-c.yaml").string();
  for (const std::string& args : std::vector<std::string>{"--metrics-out /nonexistent/dir/day.om", "--metrics-out " + dir.path().string(),
                                 "--metrics-out x.om --metrics-date 2026-02-30", "--metrics-out x.om --metrics-date tomorrow",
                                 "--metrics-date 2026-11-30"}) {
    const auto r = run_cli("simulate " + scenario + " --reps 1 " + args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find("--metrics-"), std::string::npos) << args << ": " << r.err;
    EXPECT_EQ(r.out, "") << args;  // nothing ran
  }
  EXPECT_FALSE(std::filesystem::exists("x.om"));
}
