// `switchboard serve --media rtp` end to end: SIPp carries the signalling,
// this test is the caller's RTP endpoint (a UDP socket on 127.0.0.1): it
// hears the welcome prompt as PCMU and answers the menu with an RFC 4733 key.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "sip/loopback_udp.hpp"
#include "sip/serve_harness.hpp"
#include "sip/wav_writer.hpp"

using namespace switchboard::test::serve;

namespace {

constexpr int kCallers = 0, kRtpOffset = 7;

// An RFC 4733 telephone-event packet (payload type 101).
std::string telephone_event(int event, bool end, std::uint16_t seq, std::uint16_t duration) {
  std::string p;
  p += static_cast<char>(0x80);
  p += static_cast<char>(101);
  p += static_cast<char>(seq >> 8);
  p += static_cast<char>(seq & 0xff);
  p += std::string("\x00\x00\x10\x00", 4);  // timestamp
  p += std::string("\x12\x34\x56\x78", 4);  // SSRC
  p += static_cast<char>(event);
  p += static_cast<char>((end ? 0x80 : 0) | 10);
  p += static_cast<char>(duration >> 8);
  p += static_cast<char>(duration & 0xff);
  return p;
}

}  // namespace

TEST(ServeMedia, CallerHearsThePromptAndAnswersTheMenuWithRfc4733) {
  switchboard::test::TempDir prompts;
  std::string welcome(8000, '\0');  // 1 s of mu-law, a recognisable ramp
  for (std::size_t i = 0; i < welcome.size(); ++i) welcome[i] = static_cast<char>(i % 251);
  switchboard::test::write_wav(prompts / "welcome.wav", 7, 1, 8000, 8, welcome);
  Server server("ivr-two-queues.yaml", "--media rtp --prompts " + prompts.path().string());

  switchboard::test::LoopbackUdp rtp(base_port() + 2 + kRtpOffset);  // the caller's RTP endpoint
  ASSERT_TRUE(rtp.bound());

  std::thread caller([&] {
    EXPECT_EQ(server.sipp("caller-rtp.xml", "-s customers -key rtp_port " + std::to_string(base_port() + 2 + kRtpOffset) + " -m 1",
                          kCallers),
              0);
  });
  // The welcome prompt: 1 s, 50 packets of 20 ms (the last may be cut by
  // the menu that starts at the same moment); heard until 300 ms of quiet.
  std::string heard;
  int server_rtp_port = 0;
  int packets = 0;
  for (int quiet = 0, waited = 0; waited < 5000 && (packets == 0 || quiet < 300);) {
    const std::string d = rtp.receive(50, &server_rtp_port);
    if (d.empty()) {
      waited += 50;
      quiet += 50;
      continue;
    }
    quiet = 0;
    if (d.size() != 12 + 160 || (d[1] & 0x7f) != 0) continue;
    heard += d.substr(12);
    ++packets;
  }
  EXPECT_GE(packets, 49);
  EXPECT_LE(packets, 50);
  EXPECT_TRUE(heard == welcome.substr(0, heard.size())) << "the prompt's samples differ from the WAV file's";
  // Key 2 (support), as RFC 4733: three start packets and three end packets,
  // now that the welcome is over (keys during a plain prompt are ignored).
  std::uint16_t seq = 1;
  for (int i = 0; i < 6; ++i) {
    rtp.send_to(server_rtp_port, telephone_event(2, i >= 3, seq++, static_cast<std::uint16_t>(160 * (i + 1))));
  }
  caller.join();
  EXPECT_EQ(wait_for(server, "switchboard_calls_handled_total{queue=\"support\"}", 1), 1);
  EXPECT_EQ(server.value("switchboard_calls_handled_total{queue=\"sales\"}"), 0);
}

TEST(ServeMedia, OfferWithoutPcmuGets488AndBadPromptsExitTwo) {
  switchboard::test::TempDir prompts;
  switchboard::test::write_wav(prompts / "welcome.wav", 1, 2, 44100, 16, std::string(8, '\0'));
  const std::string command = std::string(SWITCHBOARD_CLI) + " serve " +
                              (switchboard::test::source_dir() / "tests/sip/fixtures/ivr-two-queues.yaml").string() +
                              " --media rtp --prompts " + prompts.path().string() + " --metrics none 2>&1";
  const std::string out = capture(command + "; echo exit=$?");
  EXPECT_NE(out.find("exit=2"), std::string::npos) << out;
  EXPECT_NE(out.find("welcome.wav"), std::string::npos) << out;
  EXPECT_NE(out.find("8000 Hz mono"), std::string::npos) << out;
  EXPECT_NE(capture(std::string(SWITCHBOARD_CLI) + " serve x.yaml --prompts /tmp 2>&1; echo exit=$?").find("exit=2"), std::string::npos);

  // An offer of A-law only: the server streams PCMU, so 488.
  Server server("ivr-two-queues.yaml", "--media rtp");
  const std::string sdp = "v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n";
  const std::string invite =
      "INVITE sip:customers@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-pcma\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\n"
      "To: <sip:customers@127.0.0.1>\r\nCall-ID: pcma-1\r\nCSeq: 1 INVITE\r\nContact: <sip:a@127.0.0.1:9>\r\nMax-Forwards: 70\r\n"
      "Content-Type: application/sdp\r\nContent-Length: " + std::to_string(sdp.size()) + "\r\n\r\n" + sdp;
  switchboard::test::LoopbackUdp().send_to(server.sip_port(), invite);
  EXPECT_EQ(wait_for(server, "switchboard_sip_responses_total{code=\"488\"}", 1), 1);
  EXPECT_EQ(server.value("switchboard_sip_requests_total{method=\"INVITE\"}"), 1);
  EXPECT_EQ(server.value("switchboard_sip_dialogs_active"), 0);  // no dialog, no call
}
