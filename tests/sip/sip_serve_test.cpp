// `switchboard serve` against SIPp on 127.0.0.1. Each test starts its own
// server on ports of its own, bounds every process in time (the server runs
// with --duration, SIPp with -timeout and `timeout`), and checks what SIPp
// saw and what /metrics reports.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <chrono>
#include <random>
#include <regex>
#include <thread>

#include "sip/loopback_udp.hpp"
#include "sip/serve_harness.hpp"

using namespace switchboard::test::serve;
using namespace std::chrono_literals;

TEST(Serve, TwoHundredCallsThroughTheIvrReachTheRightQueue) {
  Server server("ivr-two-queues.yaml", "--time-scale 4");
  // 120 callers press 1 (sales), 80 press 2 (support), at the same time.
  std::thread sales([&] { EXPECT_EQ(server.sipp("caller-ivr.xml", "-s customers -key digit 1 -d 600 -m 120 -r 40 -l 120", 0), 0); });
  std::thread support([&] { EXPECT_EQ(server.sipp("caller-ivr.xml", "-s customers -key digit 2 -d 600 -m 80 -r 40 -l 80", 1), 0); });
  sales.join();
  support.join();
  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"sales\"}", 120), 120);
  EXPECT_EQ(server.value("switchboard_calls_handled_total{queue=\"support\"}"), 80);
  EXPECT_EQ(server.value("switchboard_calls_offered_total{queue=\"sales\"}"), 120);
  EXPECT_EQ(server.value("switchboard_calls_offered_total{queue=\"support\"}"), 80);
  EXPECT_EQ(server.value("switchboard_calls_abandoned_total{queue=\"sales\"}"), 0);
  EXPECT_EQ(server.value("switchboard_sip_requests_total{method=\"INVITE\"}"), 200);
  EXPECT_EQ(server.value("switchboard_sip_requests_total{method=\"INFO\"}"), 200);
  EXPECT_EQ(server.value("switchboard_sip_invite_answer_seconds_count"), 200);
  EXPECT_EQ(server.value("switchboard_sip_dialogs_active"), 0);
  EXPECT_EQ(server.value("switchboard_calls_waiting{queue=\"sales\"}"), 0);
  EXPECT_EQ(server.stop(), 0);
}

TEST(Serve, CallerHangingUpWhileQueuedIsAbandonedWithItsWait) {
  Server server("no-support-agents.yaml", "");
  EXPECT_EQ(server.sipp("caller-abandon.xml", "-s customers -key digit 2 -d 1200 -m 10 -r 10 -l 10", 0), 0);
  EXPECT_EQ(wait_for(server, "switchboard_calls_abandoned_total{queue=\"support\"}", 10), 10);
  EXPECT_EQ(server.value("switchboard_calls_handled_total{queue=\"support\"}"), 0);
  // They waited about 1.5 s: short abandons (default threshold 5 s), so out
  // of the service-level denominator.
  EXPECT_EQ(server.value("switchboard_calls_short_abandoned_total{queue=\"support\"}"), 10);
  EXPECT_EQ(server.value("switchboard_service_level_calls_total{queue=\"support\"}"), 0);
}

TEST(Serve, CancelWhileRingingGets487AndNeverReachesTheCenter) {
  Server server("ivr-two-queues.yaml", "--answer-after 30");
  EXPECT_EQ(server.sipp("caller-cancel.xml", "-s customers -m 5 -r 10 -l 5", 0), 0);  // SIPp requires the 487
  EXPECT_EQ(wait_for(server, "switchboard_sip_requests_total{method=\"INVITE\"}", 5), 5);
  EXPECT_EQ(server.value("switchboard_calls_offered_total{queue=\"sales\"}"), 0);
  EXPECT_EQ(wait_for(server, "switchboard_sip_dialogs_active", 0), 0);
  // Counted on the wire, libre's own answers included.
  EXPECT_EQ(server.value("switchboard_sip_requests_total{method=\"CANCEL\"}"), 5);
  EXPECT_EQ(server.value("switchboard_sip_requests_total{method=\"ACK\"}"), 5);
  EXPECT_EQ(server.value("switchboard_sip_responses_total{code=\"487\"}"), 5);
  EXPECT_EQ(server.value("switchboard_sip_responses_total{code=\"180\"}"), 5);
}

TEST(Serve, OverloadGets503WithRetryAfter) {
  Server server("no-support-agents.yaml", "--max-calls 3");
  // Ten callers to the unstaffed queue at once: three get in and wait, the
  // other seven are turned away (SIPp reports them as failed calls).
  switchboard::test::TempDir dir;
  const auto trace = dir / "messages.log";
  EXPECT_NE(server.sipp("caller-abandon.xml", "-s customers -key digit 2 -d 1200 -m 10 -r 100 -l 10 -trace_msg -message_file " +
                                                  trace.string(), 0), 0);
  EXPECT_EQ(wait_for(server, "switchboard_sip_responses_total{code=\"503\"}", 7), 7);
  EXPECT_EQ(wait_for(server, "switchboard_calls_abandoned_total{queue=\"support\"}", 3), 3);
  const std::string messages = switchboard::test::read_file(trace);
  EXPECT_NE(messages.find("SIP/2.0 503 Service Unavailable"), std::string::npos);
  EXPECT_NE(messages.find("Retry-After: 5"), std::string::npos);
}

TEST(Serve, UnknownCallTypeGets404) {
  Server server("ivr-two-queues.yaml", "");
  EXPECT_NE(server.sipp("caller-ivr.xml", "-s nobody -key digit 1 -d 100 -m 2 -r 10", 0), 0);
  EXPECT_EQ(wait_for(server, "switchboard_sip_responses_total{code=\"404\"}", 2), 2);
}

// The mutation fuzz, under every configuration: sip_fuzz_test.cpp.

TEST(Serve, RetransmissionsAreCountedBothWays) {
  Server server("ivr-two-queues.yaml", "");
  // A caller on a plain UDP socket sends its INVITE twice and never ACKs:
  // one retransmission received, and the server's 200 OK goes out again
  // (every 500 ms, then 1 s, ...) until the ACK it never gets.
  const switchboard::test::LoopbackUdp caller;
  const std::string port = std::to_string(caller.port());
  const std::string invite =
      "INVITE sip:customers@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK-rtx\r\n"
      "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:customers@127.0.0.1>\r\nCall-ID: rtx-1\r\nCSeq: 1 INVITE\r\n"
      "Contact: <sip:a@127.0.0.1:" + port + ">\r\nMax-Forwards: 70\r\nContent-Type: application/sdp\r\nContent-Length: 10\r\n\r\nv=0\r\ns=-\r\n";
  EXPECT_EQ(server.value("switchboard_sip_retransmissions_total{direction=\"received\"}"), 0);
  for (int i = 0; i < 2; ++i) {
    caller.send_to(server.sip_port(), invite);
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(wait_for(server, "switchboard_sip_retransmissions_total{direction=\"received\"}", 1), 1);
  double sent = 0;
  for (int i = 0; i < 30 && (sent = server.value("switchboard_sip_retransmissions_total{direction=\"sent\"}")) < 2; ++i)
    std::this_thread::sleep_for(100ms);
  EXPECT_GE(sent, 2);  // the 200 OK again at 0.5 s and 1.5 s (and the 100/180 repeated for the duplicate INVITE)
}

TEST(Serve, CallsOverTcp) {
  const int tcp_port = base_port() + 8;
  Server server("ivr-two-queues.yaml", "--time-scale 4 --sip tcp:127.0.0.1:" + std::to_string(tcp_port));
  const std::string command = "timeout 60 sipp -sf " + (source_dir() / "loadgen/caller-ivr.xml").string() + " -t t1 127.0.0.1:" +
                              std::to_string(tcp_port) + " -i 127.0.0.1 -p " + std::to_string(base_port() + 2) +
                              " -s customers -key digit 2 -d 600 -m 10 -r 10 -nostdin -timeout 40s -timeout_error >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"support\"}", 10), 10);
  EXPECT_EQ(server.value("switchboard_sip_retransmissions_total{direction=\"received\"}"), 0);  // TCP: none
}

TEST(Serve, InDialogRequestForAnUnknownDialogGets481) {
  Server server("ivr-two-queues.yaml", "");
  const switchboard::test::LoopbackUdp caller;
  const std::string port = std::to_string(caller.port());
  const std::string bye =
      "BYE sip:customers@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK-nodialog\r\n"
      "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:customers@127.0.0.1>;tag=nosuch\r\nCall-ID: nosuch-1\r\nCSeq: 2 BYE\r\n"
      "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
  caller.send_to(server.sip_port(), bye);
  const std::string answer = caller.receive(2000);
  EXPECT_EQ(answer.rfind("SIP/2.0 481 ", 0), 0u) << answer;
}

TEST(Serve, VirtualAgentsFollowTheScenariosStaffingByInterval) {
  // One-minute intervals at --time-scale 10: a new interval every 6 s.
  Server server("staffing-by-interval.yaml", "--time-scale 10 --clock 00:00");  // the horizon's start
  const std::string available = "switchboard_agents{group=\"desk\",state=\"available\"}";
  EXPECT_EQ(wait_for(server, available, 2), 2);
  double v = -1;
  for (int i = 0; i < 100 && (v = server.value(available)) != 5; ++i) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(v, 5);  // the second interval
  for (int i = 0; i < 100 && (v = server.value(available)) != 2; ++i) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(v, 2);  // the day again
}

// Each bad flag exits 2 with a message naming that flag; the control run
// (the same command, good flags, free ports) exits 0, so the 2s come from
// the flags and not from the fixture or a busy default port.
TEST(Serve, BadFlagsExitTwo) {
  const std::string fixture = (source_dir() / "tests/sip/fixtures/ivr-two-queues.yaml").string();
  const std::string agents = (source_dir() / "tests/sip/fixtures/sip-agents.yaml").string();
  const std::string ports = " --sip udp:127.0.0.1:" + std::to_string(base_port()) + " --metrics 127.0.0.1:" + std::to_string(base_port() + 1);
  const auto control = switchboard::test::run_cli("serve " + fixture + ports + " --duration 0.3");
  ASSERT_EQ(control.exit_code, 0) << control.err;
  const auto agents_control = switchboard::test::run_cli("serve " + agents + ports + " --duration 0.3 --agents sip --agent-networks 10.0.0.0/8");
  ASSERT_EQ(agents_control.exit_code, 0) << agents_control.err;
  struct Case {
    std::string scenario, args, field;
  };
  const std::vector<Case> cases = {
      {fixture, "--sip bogus", "--sip"},
      {fixture, "--sip udp:127.0.0.1:notaport", "--sip"},
      {fixture, "--sip udp:[::1:5060", "--sip"},
      {fixture, "--agents sip", "--agents"},
      {fixture, "--time-scale 0", "--time-scale"},
      {fixture, "--max-calls 0", "--max-calls"},
      {fixture, "--media video", "--media"},
      {fixture, "--prompts /tmp", "--prompts"},
      {fixture, "--agents virtual --agent-logins x.csv", "--agent-logins"},
      {fixture, "--agents sip --agent-logins /nonexistent/agents.csv", "/nonexistent/agents.csv"},
      {fixture, "--metrics 999.1.1.1:1", "--metrics"},
      {fixture, "--grace -1", "--grace"},
      {fixture, "--grace nan", "--grace"},
      {fixture, "--duration -1", "--duration"},
      {fixture, "--connect-signal ring", "--connect-signal"},
      {fixture, "--calls-before nosuch=3", "--calls-before"},
      {fixture, "--calls-before customers=-3", "--calls-before"},
      {fixture, "--calls-before customers", "--calls-before"},
      {fixture, "--self-service-before nosuch=1", "--self-service-before"},
      {fixture, "--self-service-before welcome=1", "--self-service-before"},
      {fixture, "--agent-networks 10.0.0.0/8", "--agent-networks"},
      {agents, "--agents sip --agent-networks 10.0.0.0/40", "--agent-networks"},
  };
  for (const Case& c : cases) {
    const std::string metrics = c.args.find("--metrics") == std::string::npos ? " --metrics 127.0.0.1:" + std::to_string(base_port() + 1) : "";
    const std::string sip = c.args.find("--sip") == std::string::npos ? " --sip udp:127.0.0.1:" + std::to_string(base_port()) : "";
    const auto r = switchboard::test::run_cli("serve " + c.scenario + sip + metrics + " --duration 0.3 " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find(c.field), std::string::npos) << c.args << ": " << r.err;
  }
}
