// A real softphone (Debian baresip) against `switchboard serve --media rtp`
// on 127.0.0.1: it dials, hears the prompt, presses 2 as an RFC 4733 key
// (routing it to support), is connected (the re-INVITE), holds and resumes
// — each re-INVITE answered with SDP of the server's one origin, hold as
// recvonly — and the call is handled. baresip is driven through its cons
// module (commands as UDP datagrams); it must be installed
// (scripts/install-deps), else the test fails. Bounded: baresip by -t and
// `timeout`, the server by --duration.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <thread>

#include "sip/loopback_udp.hpp"
#include "sip/serve_harness.hpp"
#include "sip/wav_writer.hpp"

using namespace switchboard::test::serve;
using switchboard::test::TempDir;

namespace {

// The position of `what` in `text` after `from`, or npos.
std::size_t after(const std::string& text, const std::string& what, std::size_t from) {
  return from == std::string::npos ? std::string::npos : text.find(what, from);
}

}  // namespace

TEST(Baresip, CallsPressesAKeyHoldsAndResumes) {
  ASSERT_NE(capture("command -v baresip"), "") << "baresip missing: run scripts/install-deps";
  TempDir dir, logs;
  const int phone_port = base_port() + 3, cons_port = base_port() + 5;  // baresip takes phone_port + 1 for TLS
  {  // 30 s of a 440 Hz tone at 8 kHz: what the caller says
    std::string samples;
    for (int i = 0; i < 8000 * 30; ++i) {
      const auto v = static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 440 * i / 8000.0));
      samples.append(reinterpret_cast<const char*>(&v), 2);
    }
    switchboard::test::write_wav(dir / "tone.wav", 1, 1, 8000, 16, samples);
    std::ofstream config(dir / "config");
    config << "poll_method poll\nsip_listen 127.0.0.1:" << phone_port << "\naudio_source aufile," << (dir / "tone.wav").string()
           << "\nrtp_ports " << base_port() + 6 << "-" << base_port() + 9 << "\nmodule_path /usr/lib/baresip/modules\n"
           << "module g711.so\nmodule aufile.so\nmodule cons.so\nmodule menu.so\nmodule account.so\ncons_listen 127.0.0.1:" << cons_port
           << "\n";
    std::ofstream(dir / "accounts") << "<sip:caller@127.0.0.1>;regint=0\n";
  }
  // Scenario time at a quarter of the wall's: the 1 s prompt lasts 4 s, the 2 s talk 8 s.
  Server server("ivr-two-queues.yaml", "--media rtp --time-scale 0.25 --log-dir " + logs.path().string());
  const auto out = dir / "baresip.out";
  Server::Background phone("timeout 30 baresip -f " + dir.path().string() + " -s -t 20 -e \"/dial sip:customers@127.0.0.1:" +
                           std::to_string(server.sip_port()) + "\" >" + out.string() + " 2>&1");
  const switchboard::test::LoopbackUdp console;
  auto command = [&](const std::string& c, int at_ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(at_ms));
    console.send_to(cons_port, c);
  };
  command("2", 5700);  // after the prompt: a key (RFC 4733) for support
  command("x", 3000);  // hold, while talking
  command("X", 2000);  // resume
  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"support\"}", 1), 1);
  command("q", 500);   // baresip quits
  phone.wait();
  const std::string trace = switchboard::test::read_file(out);
  EXPECT_NE(trace.find("Call established"), std::string::npos) << trace.substr(0, 4000);
  EXPECT_NE(trace.find("send DTMF digit: '2'"), std::string::npos) << trace.substr(0, 1500);
  // Connected (our re-INVITE), then hold answered recvonly, resume sendrecv, one origin counting up.
  std::size_t at = after(trace, "o=switchboard 1 2 ", 0);
  at = after(trace, "call: hold", at);
  at = after(trace, "a=sendonly", at);
  at = after(trace, "o=switchboard 1 3 ", at);
  at = after(trace, "a=recvonly", at);
  at = after(trace, "call: resume", at);
  at = after(trace, "o=switchboard 1 4 ", at);
  at = after(trace, "a=sendrecv", at);
  EXPECT_NE(at, std::string::npos) << trace.substr(0, 8000);
  EXPECT_EQ(server.value("switchboard_sip_requests_total{method=\"INVITE\"}"), 3);  // the call, hold, resume
  EXPECT_EQ(server.stop(), 0);
  const std::string events = switchboard::test::read_file(logs / "events.jsonl");
  EXPECT_NE(events.find("\"detail\":\"2\",\"event\":\"digit\""), std::string::npos) << events;
  EXPECT_NE(events.find("\"detail\":\"handled\",\"event\":\"ended\""), std::string::npos) << events;
}
