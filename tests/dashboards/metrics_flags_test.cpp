// The observability flags' bad input, as a user meets it on the command
// line: a metrics address that is taken or not loopback-shaped, a forecast
// on the wrong grid. Each is one message naming the flag, exit 2, and the
// server never starts taking calls.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/test_support.hpp"

using namespace switchboard::test;

namespace {

const std::string kScenario = (source_dir() / "tests/sip/fixtures/ivr-two-queues.yaml").string();

// A loopback TCP port held open by this process while the object lives.
class TakenPort {
 public:
  TakenPort() : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd_, 1);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~TakenPort() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

// A loopback port of `type` (SOCK_DGRAM, SOCK_STREAM) that was free a moment ago.
int free_port(int type) {
  const int fd = socket(AF_INET, type, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

std::string free_sip() { return "--sip udp:127.0.0.1:" + std::to_string(free_port(SOCK_DGRAM)); }

}  // namespace

TEST(MetricsFlags, AMetricsAddressInUseExitsTwoNamingIt) {
  TakenPort taken;
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
  const std::string address = "127.0.0.1:" + std::to_string(free_port(SOCK_STREAM));  // the forecast is the only bad input
  const auto r = run_cli("serve " + kScenario + " " + free_sip() + " --metrics " + address + " --duration 5 --forecast " + forecast.string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(forecast.string()), std::string::npos) << r.err;
}
