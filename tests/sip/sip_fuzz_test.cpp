// A bounded mutation fuzz of `switchboard serve`, under every configuration
// a user runs (plain, --log-dir, SIP agents, RTP media, TCP): first the
// regression corpus (tests/sip/fuzz-corpus/: every message that once
// crashed or fooled the server), then 2,000 messages made by flipping,
// cutting, repeating and zeroing bytes of valid requests — out of dialog and
// inside an established call. Afterwards the server must still take a call,
// exit 0 on SIGTERM, have written only whole, valid records, and its memory
// must not have grown by more than 32 MB (RSS read from /proc).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <ostream>
#include <random>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "sip/csv_row.hpp"
#include "sip/raw_caller.hpp"
#include "sip/serve_harness.hpp"

using namespace switchboard::test::serve;
using switchboard::test::RawCaller;
using switchboard::test::TempDir;

namespace {

struct Config {
  const char* name;
  const char* fixture;
  const char* flags;
  bool tcp;
};

const Config kConfigs[] = {
    {"plain", "ivr-two-queues.yaml", "", false},
    {"log_dir", "ivr-two-queues.yaml", "--log-dir {LOGS}", false},
    {"sip_agents", "sip-agents.yaml", "--agents sip --log-dir {LOGS}", false},
    {"rtp_media", "ivr-two-queues.yaml", "--media rtp --log-dir {LOGS}", false},
    {"tcp", "ivr-two-queues.yaml", "--sip tcp:127.0.0.1:{TCP} --log-dir {LOGS}", true},
};

void PrintTo(const Config& c, std::ostream* os) { *os << c.name; }

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

// A TCP connection to the server, written and closed (the fuzz's stream).
void send_tcp(int port, const std::vector<std::string>& messages) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0)
    for (const std::string& m : messages) (void)!send(fd, m.data(), m.size(), MSG_NOSIGNAL);  // the server may close first: no SIGPIPE
  close(fd);
}

std::string mutate(std::string m, std::mt19937& rng) {
  switch (rng() % 5) {
    case 0: for (int k = 0; k < 8; ++k) m[rng() % m.size()] = static_cast<char>(rng()); break;  // any byte, high ones too
    case 1: m.resize(rng() % m.size()); break;
    case 2: m.insert(rng() % m.size(), m.substr(rng() % m.size(), 40)); break;
    case 3: m[rng() % m.size()] = '\0'; break;
    default: {  // a header's value replaced by bytes that are not UTF-8
      const auto colon = m.find(": ", rng() % m.size());
      if (colon != std::string::npos) m.replace(colon + 2, std::min<std::size_t>(4, m.size() - colon - 2), "\xff\xfe\xc3\x28");
    }
  }
  return m;
}

class Fuzz : public ::testing::TestWithParam<Config> {};

}  // namespace

TEST_P(Fuzz, CorpusAndMutationsNeverStopTheServerNorGrowIt) {
  const Config& c = GetParam();
  TempDir logs;
  const int tcp_port = base_port() + 8;
  const std::string flags = replace_all(replace_all(c.flags, "{LOGS}", logs.path().string()), "{TCP}", std::to_string(tcp_port));
  Server server(c.fixture, flags);
  ASSERT_GT(server.rss_kb(), 0);

  // An established call, for the in-dialog messages.
  RawCaller caller(server.sip_port(), "fuzz-dialog-1");
  const std::string ok = caller.call();
  ASSERT_EQ(ok.rfind("SIP/2.0 200 ", 0), 0u) << ok;
  const std::string to_tag = RawCaller::header_param(ok, "To:", "tag=");
  auto fill = [&](std::string m) {
    m = replace_all(m, "{PORT}", std::to_string(caller.port()));
    m = replace_all(m, "{CALL_ID}", "fuzz-dialog-1");
    return replace_all(m, "{TO_TAG}", to_tag);
  };

  // 1. The regression corpus.
  int corpus = 0;
  for (const auto& entry : std::filesystem::directory_iterator(switchboard::test::source_dir() / "tests/sip/fuzz-corpus")) {
    if (entry.path().extension() != ".sip") continue;
    const std::string m = fill(switchboard::test::read_file(entry.path()));
    caller.socket().send_to(server.sip_port(), m);
    if (c.tcp) send_tcp(tcp_port, {m});
    ++corpus;
  }
  EXPECT_GE(corpus, 6);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const long before = server.rss_kb();

  // 2. Mutations of valid requests, in and out of the dialog.
  const std::vector<std::string> seeds = {
      fill("INVITE sip:customers@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-1\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\n"
           "To: <sip:customers@127.0.0.1>\r\nCall-ID: fuzz-1\r\nCSeq: 1 INVITE\r\nContact: <sip:a@127.0.0.1:9>\r\nMax-Forwards: 70\r\n"
           "Content-Type: application/sdp\r\nContent-Length: 129\r\n\r\nv=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           "m=audio 9 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"),
      fill("INFO sip:customers@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{PORT};branch=z9hG4bK-2\r\nFrom: <sip:caller@127.0.0.1:{PORT}>;tag=caller1\r\n"
           "To: <sip:customers@127.0.0.1>;tag={TO_TAG}\r\nCall-ID: {CALL_ID}\r\nCSeq: 9 INFO\r\nContent-Type: application/dtmf-relay\r\n"
           "Content-Length: 10\r\n\r\nSignal=1\r\n"),
      fill("INVITE sip:customers@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{PORT};branch=z9hG4bK-3\r\nFrom: <sip:caller@127.0.0.1:{PORT}>;tag=caller1\r\n"
           "To: <sip:customers@127.0.0.1>;tag={TO_TAG}\r\nCall-ID: {CALL_ID}\r\nCSeq: 10 INVITE\r\nContact: <sip:caller@127.0.0.1:{PORT}>\r\n"
           "Content-Type: application/sdp\r\nContent-Length: 60\r\n\r\nv=0\r\no=a 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 0.0.0.0\r\na=sendonly\r\n"),
      fill("REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-4\r\nFrom: <sip:alice@127.0.0.1>;tag=1\r\n"
           "To: <sip:alice@127.0.0.1>\r\nCall-ID: fuzz-reg\r\nCSeq: 2 REGISTER\r\nContact: <sip:alice@127.0.0.1:9>;expires=60\r\n"
           "Authorization: Digest username=\"alice\", realm=\"switchboard\", nonce=\"00000000000000000000000000000000000000000000000000000000\", "
           "uri=\"sip:127.0.0.1\", response=\"0123456789abcdef0123456789abcdef\", qop=auth, nc=00000001, cnonce=\"x\"\r\nContent-Length: 0\r\n\r\n"),
      "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-5\r\nFrom: <sip:f@127.0.0.1>;tag=1\r\n"
      "To: <sip:x@127.0.0.1>\r\nCall-ID: fuzz-opt\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
      "CANCEL sip:customers@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-1\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\n"
      "To: <sip:customers@127.0.0.1>\r\nCall-ID: fuzz-1\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n",
  };
  std::mt19937 rng(2026);
  std::vector<std::string> stream;
  for (int i = 0; i < 2000; ++i) {
    const std::string m = mutate(seeds[rng() % seeds.size()], rng);
    caller.socket().send_to(server.sip_port(), m);
    if (c.tcp) stream.push_back(m);
    if (stream.size() == 100) send_tcp(tcp_port, std::exchange(stream, {}));
    if (i % 100 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(3));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const long after = server.rss_kb();
  std::printf("%s: RSS %ld kB -> %ld kB after 2,000 mutated messages\n", c.name, before, after);
  EXPECT_LT(after - before, 32 * 1024) << c.name << ": " << before << " kB -> " << after << " kB";

  // 3. Still serving, and stops cleanly.
  RawCaller next(server.sip_port(), "fuzz-after-1");
  EXPECT_EQ(next.call().rfind("SIP/2.0 200 ", 0), 0u) << c.name;
  EXPECT_EQ(server.stop(), 0) << c.name;
  if (std::string(c.flags).find("--log-dir") == std::string::npos) return;
  std::istringstream events(switchboard::test::read_file(logs / "events.jsonl"));
  int lines = 0;
  for (std::string l; std::getline(events, l); ++lines) EXPECT_TRUE(nlohmann::json::accept(l)) << l;
  EXPECT_GT(lines, 0);
  std::istringstream cdr(switchboard::test::read_file(logs / "cdr.csv"));
  for (std::string l; std::getline(cdr, l);) EXPECT_EQ(switchboard::test::csv_row(l).size(), 8u) << l;
}

INSTANTIATE_TEST_SUITE_P(EveryConfiguration, Fuzz, ::testing::ValuesIn(kConfigs),
                         [](const ::testing::TestParamInfo<Config>& i) { return std::string(i.param.name); });
