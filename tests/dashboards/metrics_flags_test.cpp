// The observability flags' bad input, as a user meets it on the command
// line: a metrics address that is taken or not loopback-shaped, a forecast
// on the wrong grid. Each is one message naming the flag, exit 2, and the
// server never starts taking calls.
#include <gtest/gtest.h>

#include <algorithm>

#include "dashboards/prometheus_harness.hpp"
#include "sip/loopback_udp.hpp"
#include "support/test_support.hpp"

using namespace switchboard::test;
using namespace switchboard::test::dashboards;

namespace {

const std::string kScenario = (source_dir() / "tests/sip/fixtures/ivr-two-queues.yaml").string();

// A loopback UDP port free a moment ago, for --sip.
std::string free_sip() { return "--sip udp:127.0.0.1:" + std::to_string(LoopbackUdp().port()); }

}  // namespace

TEST(MetricsFlags, AMetricsAddressInUseExitsTwoNamingIt) {
  const LoopbackListener taken;
  ASSERT_NE(taken.port(), 0);
  const std::string address = "127.0.0.1:" + std::to_string(taken.port());
  const auto r = run_cli("serve " + kScenario + " " + free_sip() + " --duration 5 --metrics " + address);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--metrics"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(address), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
}

TEST(MetricsFlags, AForecastOnAnotherGridExitsTwoNamingTheFile) {
  TempDir dir;
  const auto forecast = dir / "forecast.csv";
  write_file(forecast, "timestamp,calls\n2026-11-30 00:00,10\n2026-11-30 00:07,10\n");  // a 7-minute step
  const std::string address = "127.0.0.1:" + std::to_string(free_tcp_port());  // the forecast is the only bad input
  const auto r = run_cli("serve " + kScenario + " " + free_sip() + " --metrics " + address + " --duration 5 --forecast " + forecast.string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(forecast.string()), std::string::npos) << r.err;
}
