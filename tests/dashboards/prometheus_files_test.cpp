// dashboards/prometheus/ checked by Prometheus' own tool: the scrape config
// and rule files load, and the rules' unit tests (rules-test.yml) pass and
// cover every alert both firing and staying quiet.
#include <gtest/gtest.h>

#include <map>

#include "dashboards/prometheus_harness.hpp"
#include "dashboards/queries.hpp"

using namespace switchboard::test;
using namespace switchboard::test::dashboards;

namespace {
const std::string kDir = (source_dir() / "dashboards/prometheus").string();
}

TEST(PrometheusFiles, ConfigAndRulesPassPromtoolCheck) {
  int status = -1;
  std::string out = shell("promtool check config " + kDir + "/prometheus.yml 2>&1", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("2 rule files found"), std::string::npos) << out;
  out = shell("promtool check rules " + kDir + "/recording-rules.yml " + kDir + "/alerting-rules.yml 2>&1", &status);
  EXPECT_EQ(status, 0) << out;
}

TEST(PrometheusFiles, RuleUnitTestsPass) {
  int status = -1;
  const std::string out = shell("cd " + kDir + " && promtool test rules rules-test.yml 2>&1", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("SUCCESS"), std::string::npos) << out;
}

TEST(PrometheusFiles, EveryAlertHasAUnitTestThatFiresAndOneThatStaysQuiet) {
  std::map<std::string, std::pair<int, int>> seen;  // alert -> (quiet, firing) evaluations
  const YAML::Node tests = YAML::LoadFile(kDir + "/rules-test.yml");
  for (const auto& t : tests["tests"])
    for (const auto& a : t["alert_rule_test"]) {
      auto& counts = seen[a["alertname"].as<std::string>()];
      (a["exp_alerts"].size() == 0 ? counts.first : counts.second)++;
    }
  const YAML::Node rules = YAML::LoadFile(kDir + "/alerting-rules.yml");
  int alerts = 0;
  for (const auto& group : rules["groups"])
    for (const auto& rule : group["rules"]) {
      const std::string name = rule["alert"].as<std::string>();
      ++alerts;
      EXPECT_GE(seen[name].first, 1) << name << " has no test where it stays quiet";
      EXPECT_GE(seen[name].second, 1) << name << " has no test where it fires";
      EXPECT_TRUE(rule["for"]) << name << " has no for:";
      EXPECT_TRUE(rule["annotations"]["runbook"]) << name << " has no runbook";
    }
  EXPECT_GE(alerts, 4);
}
