// --media rtp's parts: prompts read from WAV files into µ-law, and RTP
// sessions on 127.0.0.1 streaming a prompt and carrying RFC 4733 digits.
#include <sys/socket.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <re/re.h>

#include "core/input_error.hpp"
#include "sip/media_session.hpp"
#include "sip/prompt_audio.hpp"
#include "sip/loopback_udp.hpp"
#include "sip/wav_writer.hpp"
#include "support/test_support.hpp"

using namespace switchboard;
using namespace switchboard::sip;
using switchboard::test::put16;
using switchboard::test::put32;
using switchboard::test::write_wav;

namespace {

std::vector<IvrNode> nodes() {
  std::vector<IvrNode> ivr(4);
  ivr[0].id = "welcome";  ivr[0].kind = IvrKind::prompt;
  ivr[1].id = "menu";     ivr[1].kind = IvrKind::menu;
  ivr[2].id = "goodbye";  ivr[2].kind = IvrKind::prompt;
  ivr[3].id = "to_queue"; ivr[3].kind = IvrKind::queue;
  return ivr;
}

std::string messages(const InputError& e) {
  std::string out;
  for (const Problem& p : e.problems()) out += p.format() + "\n";
  return out;
}

class RtpMedia : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(libre_init(), 0); }
  void TearDown() override { libre_close(); }
  // Runs libre's loop for `ms` milliseconds.
  static void run_for(std::uint64_t ms) {
    struct tmr bound;
    tmr_init(&bound);
    tmr_start(&bound, ms, [](void*) { re_cancel(); }, nullptr);
    re_main(nullptr);
    tmr_cancel(&bound);
  }
};

}  // namespace

TEST(PromptAudio, ReadsPcmMuLawAndALawIntoMuLaw) {
  test::TempDir dir;
  std::string pcm;
  for (std::int16_t v : {0, 1000, -1000, 32767}) put16(pcm, static_cast<std::uint16_t>(v));
  write_wav(dir / "welcome.wav", 1, 1, 8000, 16, pcm);
  write_wav(dir / "menu.wav", 7, 1, 8000, 8, std::string("\x11\x22\x33", 3));
  write_wav(dir / "goodbye.wav", 6, 1, 8000, 8, std::string("\xd5\x55", 2));  // A-law of +8 and -8
  const PromptAudio audio = PromptAudio::load(dir.path().string(), nodes());
  EXPECT_EQ(audio.files(), 3u);
  ASSERT_NE(audio.find(0), nullptr);
  // G.711 mu-law: 0 -> 0xFF, +1000 -> 0xCE, -1000 -> 0x4E, full scale -> 0x80.
  EXPECT_EQ(*audio.find(0), (std::vector<std::uint8_t>{0xff, 0xce, 0x4e, 0x80}));
  EXPECT_EQ(*audio.find(1), (std::vector<std::uint8_t>{0x11, 0x22, 0x33}));
  ASSERT_EQ(audio.find(2)->size(), 2u);
  EXPECT_EQ((*audio.find(2))[0] & 0x80, 0x80);  // positive
  EXPECT_EQ((*audio.find(2))[1] & 0x80, 0x00);  // negative
  EXPECT_EQ(audio.find(3), nullptr);             // a queue node has no prompt
}

TEST(PromptAudio, UnsupportedSampleSizesAreNamed) {
  test::TempDir dir;
  write_wav(dir / "welcome.wav", 1, 1, 8000, 24, std::string(6, '\0'));
  try {
    PromptAudio::load(dir.path().string(), nodes());
    FAIL() << "accepted 24-bit PCM";
  } catch (const InputError& e) {
    EXPECT_NE(messages(e).find("got 24-bit PCM, 8000 Hz, 1 channel(s)"), std::string::npos) << messages(e);
  }
}

TEST(PromptAudio, NodeWithoutAFilePlaysSilence) {
  test::TempDir dir;
  const PromptAudio audio = PromptAudio::load(dir.path().string(), nodes());
  EXPECT_EQ(audio.files(), 0u);
  EXPECT_EQ(audio.find(0), nullptr);
}

TEST(PromptAudio, WrongFormatsAreNamedEveryOneAtOnce) {
  test::TempDir dir;
  std::string stereo;
  put32(stereo, 0);
  write_wav(dir / "welcome.wav", 1, 2, 8000, 16, stereo);
  write_wav(dir / "menu.wav", 1, 1, 44100, 16, stereo);
  std::ofstream(dir / "goodbye.wav") << "this is not a WAV file, only text long enough for a header";
  try {
    PromptAudio::load(dir.path().string(), nodes());
    FAIL() << "accepted bad prompts";
  } catch (const InputError& e) {
    const std::string m = messages(e);
    EXPECT_EQ(e.problems().size(), 3u) << m;
    EXPECT_NE(m.find((dir / "welcome.wav").string() + ": expected a WAV file of 8000 Hz mono"), std::string::npos) << m;
    EXPECT_NE(m.find("2 channel(s)"), std::string::npos) << m;
    EXPECT_NE(m.find("44100 Hz"), std::string::npos) << m;
    EXPECT_NE(m.find((dir / "goodbye.wav").string() + ": expected a WAV file of 8000 Hz mono 16-bit PCM, mu-law or A-law, "
                     "got a file that is not RIFF/WAVE"), std::string::npos) << m;
  }
  EXPECT_THROW(PromptAudio::load((dir / "missing").string(), nodes()), InputError);
}

TEST(MediaSdp, TakesTheFirstAudioStreamsAddressPortAndEventType) {
  auto offer = MediaSession::read_offer(
      "v=0\r\no=a 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8 0 96\r\n"
      "a=rtpmap:96 telephone-event/8000\r\n");
  ASSERT_TRUE(offer.has_value());
  EXPECT_EQ(offer->ip, "10.0.0.2");
  EXPECT_EQ(offer->port, 4000);
  EXPECT_TRUE(offer->pcmu);
  EXPECT_EQ(offer->telephone_event, 96);
  offer = MediaSession::read_offer(
      "v=0\r\nc=IN IP4 10.0.0.2\r\nm=video 5000 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\nm=audio 4002 RTP/AVP 8\r\n"
      "c=IN IP4 10.0.0.3\r\n");
  ASSERT_TRUE(offer.has_value());
  EXPECT_EQ(offer->ip, "10.0.0.3");  // the stream's own c= wins
  EXPECT_EQ(offer->port, 4002);
  EXPECT_FALSE(offer->pcmu);
  EXPECT_EQ(offer->telephone_event, -1);
  // IPv6 (linphone's default offer): read by libre's SDP decoder like IPv4.
  offer = MediaSession::read_offer(
      "v=0\r\no=l 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 7078 RTP/AVP 0 101\r\n"
      "a=rtpmap:101 telephone-event/8000\r\n");
  ASSERT_TRUE(offer.has_value());
  EXPECT_EQ(offer->ip, "::1");
  EXPECT_EQ(offer->port, 7078);
  EXPECT_TRUE(offer->pcmu);
  EXPECT_EQ(offer->telephone_event, 101);
  EXPECT_FALSE(MediaSession::read_offer("v=0\r\nc=IN IP4 10.0.0.2\r\n").has_value());
  EXPECT_FALSE(MediaSession::read_offer("v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio x RTP/AVP 0\r\n").has_value());
}

TEST_F(RtpMedia, PromptStreamsAsPcmuPacketsEvery20Ms) {
  test::LoopbackUdp caller;  // stands for the caller's RTP endpoint
  ASSERT_TRUE(caller.bound());

  MediaClock clock;
  MediaSession session(clock, "127.0.0.1", [](char, void*) {}, nullptr);
  EXPECT_EQ(session.local_port() % 2, 0);
  session.set_remote("127.0.0.1", caller.port());
  std::vector<std::uint8_t> prompt(240);  // 30 ms, looped
  for (std::size_t i = 0; i < prompt.size(); ++i) prompt[i] = static_cast<std::uint8_t>(i);
  session.play(&prompt, 0.2);  // 10 packets
  run_for(400);
  EXPECT_FALSE(session.playing());

  std::vector<std::vector<std::uint8_t>> packets;
  for (std::string d; !(d = caller.receive(0)).empty();) packets.emplace_back(d.begin(), d.end());
  ASSERT_EQ(packets.size(), 10u);
  std::vector<std::uint8_t> heard;
  for (std::size_t i = 0; i < packets.size(); ++i) {
    const auto& p = packets[i];
    ASSERT_EQ(p.size(), 12u + 160u);
    EXPECT_EQ(p[0] >> 6, 2);                          // RTP version 2
    EXPECT_EQ(p[1] & 0x7f, 0);                        // PCMU
    EXPECT_EQ((p[1] & 0x80) != 0, i == 0);            // marker on the first packet only
    if (i > 0) {
      const auto& q = packets[i - 1];
      const int seq = (p[2] << 8 | p[3]), prev_seq = (q[2] << 8 | q[3]);
      EXPECT_EQ((seq - prev_seq) & 0xffff, 1);
      const std::uint32_t ts = static_cast<std::uint32_t>(p[4] << 24 | p[5] << 16 | p[6] << 8 | p[7]);
      const std::uint32_t prev_ts = static_cast<std::uint32_t>(q[4] << 24 | q[5] << 16 | q[6] << 8 | q[7]);
      EXPECT_EQ(ts - prev_ts, 160u);
    }
    heard.insert(heard.end(), p.begin() + 12, p.end());
  }
  for (std::size_t i = 0; i < heard.size(); ++i) ASSERT_EQ(heard[i], prompt[i % prompt.size()]) << "sample " << i;
}

TEST_F(RtpMedia, TelephoneEventsUseThePayloadTypeTheCallerOffered) {
  MediaClock clock;
  std::string heard;
  MediaSession a(clock, "127.0.0.1", [](char, void*) {}, nullptr);
  MediaSession b(clock, "127.0.0.1", [](char d, void* arg) { *static_cast<std::string*>(arg) += d; }, &heard);
  a.set_remote("127.0.0.1", b.local_port(), 96);
  b.set_remote("127.0.0.1", a.local_port(), 101);
  a.send_digit('7');
  run_for(300);
  EXPECT_EQ(heard, "");  // 96 is not b's event type
  b.set_remote("127.0.0.1", a.local_port(), 96);
  a.send_digit('7');
  run_for(300);
  EXPECT_EQ(heard, "7");
}

TEST_F(RtpMedia, TelephoneEventsArriveAsDigitsOnceEach) {
  MediaClock clock;
  std::string a_heard, b_heard;
  auto record = [](char d, void* arg) { *static_cast<std::string*>(arg) += d; };
  MediaSession a(clock, "127.0.0.1", record, &a_heard);
  MediaSession b(clock, "127.0.0.1", record, &b_heard);
  a.set_remote("127.0.0.1", b.local_port());
  b.set_remote("127.0.0.1", a.local_port());
  a.send_digit('5');
  a.send_digit('#');
  a.send_digit('5');  // the same key again is another press
  b.send_digit('9');
  run_for(800);
  EXPECT_EQ(b_heard, "5#5");
  EXPECT_EQ(a_heard, "9");
}

// RFC 4733: each event's packets carry the event's start time, and the same
// key pressed twice is two events with two timestamps (receivers drop a
// repeated one).
TEST_F(RtpMedia, EachTelephoneEventHasItsOwnTimestamp) {
  test::LoopbackUdp receiver;
  ASSERT_TRUE(receiver.bound());
  MediaClock clock;
  MediaSession sender(clock, "127.0.0.1", [](char, void*) {}, nullptr);
  sender.set_remote("127.0.0.1", receiver.port());
  sender.send_digit('5');
  sender.send_digit('5');
  run_for(500);
  std::vector<std::uint32_t> event_timestamps;  // one per marker (a new event)
  std::vector<std::uint32_t> all;
  for (std::string d; !(d = receiver.receive(0)).empty();) {
    ASSERT_GE(d.size(), 16u);
    ASSERT_EQ(d[1] & 0x7f, 101);
    const auto b = [&](int i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(d[i])); };
    const std::uint32_t ts = b(4) << 24 | b(5) << 16 | b(6) << 8 | b(7);
    if ((d[1] & 0x80) != 0) event_timestamps.push_back(ts);
    all.push_back(ts);
  }
  ASSERT_EQ(event_timestamps.size(), 2u);
  EXPECT_NE(event_timestamps[0], event_timestamps[1]);
  for (std::uint32_t ts : all) EXPECT_TRUE(ts == event_timestamps[0] || ts == event_timestamps[1]);
}
