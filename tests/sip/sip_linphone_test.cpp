// A second real softphone (Debian linphone-cli's linphonec) against
// `switchboard serve --media rtp` on 127.0.0.1: as a caller it dials, is
// answered with RTP streaming, presses 2 (RFC 4733) and is routed to
// support, where the call is handled; as an agent (--agents sip) it
// registers, answers and is bridged to a caller. linphonec on a host with an IPv6 address offers its
// media as c=IN IP6 even over IPv4 signalling; the server got 488 for that
// until it took media of the other family. linphonec reads its commands on
// stdin (fed by a timed shell pipeline); it must be installed
// (scripts/install-deps), else the test fails. Bounded: linphonec by
// `timeout`, the server by --duration.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sip/serve_harness.hpp"

using namespace switchboard::test::serve;
using switchboard::test::TempDir;

namespace {

// A linphonec of its own under `dir`: SIP on `sip_port`, RTP on the three
// ports after it; its own home (linphonec stays in its start-up state
// without a writable ~/.local/share/linphone, its call database).
// Returns the command that runs it reading `commands` (a shell pipeline's
// left side), bounded by `timeout` seconds, its output in `dir`/NAME.out.
std::string linphonec(const std::filesystem::path& dir, const std::string& name, int sip_port, const std::string& commands,
                      int timeout, const std::string& flags = "") {
  const auto home = dir / (name + "-home");
  std::filesystem::create_directories(home / ".local/share/linphone");
  std::ofstream(dir / (name + ".rc")) << "[sip]\nsip_port=" << sip_port << "\nsip_tcp_port=0\nsip_tls_port=0\n"
                                      << "[rtp]\naudio_rtp_port=" << sip_port + 1 << "\nvideo_rtp_port=" << sip_port + 2
                                      << "\ntext_rtp_port=" << sip_port + 3 << "\n[sound]\nechocancellation=0\n"
                                      << "[video]\ncapture=0\ndisplay=0\nautomatically_initiate=0\nautomatically_accept=0\n";
  return commands + " | HOME=" + home.string() + " timeout " + std::to_string(timeout) + " linphonec " + flags + " -c " +
         (dir / (name + ".rc")).string() + " -d 0 >" + (dir / (name + ".out")).string() + " 2>&1";
}

}  // namespace


TEST(Linphone, CallsPressesAKeyAndIsHandled) {
  ASSERT_NE(capture("command -v linphonec"), "") << "linphonec missing: run scripts/install-deps";
  TempDir dir, logs;
  Server server("ivr-two-queues.yaml", "--media rtp --duration 60 --log-dir " + logs.path().string());
  // Dialling 3 s after its start; the 1 s welcome prompt, then the menu
  // (10 s): the key comes 4 s after the dial (typed ahead if the prompt
  // still plays); the 2 s talk ends with the server's BYE; it quits 6 s later.
  const std::string commands = "(sleep 3; echo 'call sip:customers@127.0.0.1:" + std::to_string(server.sip_port()) +
                               "'; sleep 4; echo 2; sleep 6; echo quit)";
  const int status = std::system(linphonec(dir.path(), "caller", base_port() + 3, commands, 40).c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  const std::string trace = switchboard::test::read_file(dir / "caller.out");
  EXPECT_NE(trace.find("connected."), std::string::npos) << trace.substr(0, 4000);
  EXPECT_NE(trace.find("Media streams established"), std::string::npos) << trace.substr(0, 4000);
  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"support\"}", 1), 1) << trace.substr(0, 4000);
  EXPECT_EQ(server.value("switchboard_sip_responses_total{code=\"488\"}"), -1);  // none
  EXPECT_EQ(server.stop(), 0);
  const std::string events = switchboard::test::read_file(logs / "events.jsonl");
  EXPECT_NE(events.find("\"detail\":\"2\",\"event\":\"digit\""), std::string::npos) << events;
  EXPECT_NE(events.find("\"detail\":\"handled\",\"event\":\"ended\""), std::string::npos) << events;
}

// linphonec as an agent (--agents sip): it registers with its digest login,
// answers the call routed to it on its own (-a), and the call is bridged
// to it and handled when the caller (another linphonec) hangs up.
TEST(Linphone, AnAgentRegistersAnswersAndTheCallIsHandled) {
  ASSERT_NE(capture("command -v linphonec"), "") << "linphonec missing: run scripts/install-deps";
  TempDir dir, logs;
  Server server("sip-agents.yaml", "--agents sip --media rtp --duration 60 --log-dir " + logs.path().string());
  const std::string at = "127.0.0.1:" + std::to_string(server.sip_port());
  Server::Background agent(linphonec(dir.path(), "agent", base_port() + 2,
                                     "(sleep 2; echo 'register sip:alice@127.0.0.1 sip:" + at + " wonderland'; sleep 20; echo quit)",
                                     40, "-a"));
  ASSERT_EQ(wait_for(server, "switchboard_agents{group=\"desk\",state=\"available\"}", 1), 1) << switchboard::test::read_file(dir / "agent.out");
  // A key for the queue 4 s after the dial; the caller hangs up 8 s later.
  const int status = std::system(
      linphonec(dir.path(), "caller", base_port() + 6, "(sleep 3; echo 'call sip:customers@" + at + "'; sleep 4; echo 1; sleep 8; echo terminate; sleep 1; echo quit)", 40)
          .c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"service\"}", 1), 1) << switchboard::test::read_file(dir / "caller.out");
  agent.wait();
  const std::string answered = switchboard::test::read_file(dir / "agent.out");
  EXPECT_NE(answered.find("auto answering"), std::string::npos) << answered.substr(0, 4000);
  EXPECT_NE(answered.find("connected."), std::string::npos) << answered.substr(0, 4000);
  EXPECT_EQ(server.stop(), 0);
  const std::string events = switchboard::test::read_file(logs / "events.jsonl");
  EXPECT_NE(events.find("\"call\":\"alice\",\"event\":\"agent-registered\""), std::string::npos) << events;
  EXPECT_NE(events.find("\"detail\":\"agent alice\",\"event\":\"answered\""), std::string::npos) << events;
  EXPECT_NE(events.find("\"detail\":\"handled\",\"event\":\"ended\""), std::string::npos) << events;
}
