// A second real softphone (Debian linphone-cli's linphonec) against
// `switchboard serve --media rtp` on 127.0.0.1: it dials, is answered with
// RTP streaming, presses 2 (RFC 4733) and is routed to support, where the
// call is handled. linphonec on a host with an IPv6 address offers its
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

TEST(Linphone, CallsPressesAKeyAndIsHandled) {
  ASSERT_NE(capture("command -v linphonec"), "") << "linphonec missing: run scripts/install-deps";
  TempDir dir, logs;
  // The server takes base_port() and + 1; linphonec's SIP, audio, video and text ports the block's others.
  const int phone_port = base_port() + 3, rtp_port = base_port() + 6;
  // Its own home: linphonec stays in its start-up state without a writable
  // ~/.local/share/linphone (its call database).
  std::filesystem::create_directories(dir / "home/.local/share/linphone");
  std::ofstream(dir / "linphonerc") << "[sip]\nsip_port=" << phone_port << "\nsip_tcp_port=0\nsip_tls_port=0\n"
                                    << "[rtp]\naudio_rtp_port=" << rtp_port << "\nvideo_rtp_port=" << rtp_port + 2
                                    << "\ntext_rtp_port=" << rtp_port + 3 << "\n[sound]\nechocancellation=0\n"
                                    << "[video]\ncapture=0\ndisplay=0\nautomatically_initiate=0\nautomatically_accept=0\n";
  Server server("ivr-two-queues.yaml", "--media rtp --duration 60 --log-dir " + logs.path().string());
  // linphonec is dialling 3 s after its start; the 1 s welcome prompt, then
  // the menu (10 s): the key comes 4 s after the dial (typed ahead if the prompt still plays); the 2 s talk ends with
  // the server's BYE; linphonec quits 6 s later.
  const std::string commands = "(sleep 3; echo 'call sip:customers@127.0.0.1:" + std::to_string(server.sip_port()) +
                               "'; sleep 4; echo 2; sleep 6; echo quit)";
  const std::string out = (dir / "linphonec.out").string();
  const int status = std::system((commands + " | HOME=" + (dir / "home").string() + " timeout 40 linphonec -c " +
                                  (dir / "linphonerc").string() + " -d 0 >" + out + " 2>&1")
                                     .c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  const std::string trace = switchboard::test::read_file(out);
  EXPECT_NE(trace.find("connected."), std::string::npos) << trace.substr(0, 4000);
  EXPECT_NE(trace.find("Media streams established"), std::string::npos) << trace.substr(0, 4000);
  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"support\"}", 1), 1) << trace.substr(0, 4000);
  EXPECT_EQ(server.value("switchboard_sip_responses_total{code=\"488\"}"), -1);  // none
  EXPECT_EQ(server.stop(), 0);
  const std::string events = switchboard::test::read_file(logs / "events.jsonl");
  EXPECT_NE(events.find("\"detail\":\"2\",\"event\":\"digit\""), std::string::npos) << events;
  EXPECT_NE(events.find("\"detail\":\"handled\",\"event\":\"ended\""), std::string::npos) << events;
}
