// `switchboard serve` at the edges (issue 15): hand-made datagrams on
// 127.0.0.1 that once crashed or fooled the server. Each test starts its own
// server (bounded by --duration) and checks what came back, that the server
// is still serving, and what it wrote.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

using switchboard::test::read_lines;

// Every line of the event log is JSON.
void expect_json_lines(const std::filesystem::path& file) {
  for (const std::string& l : read_lines(file)) EXPECT_TRUE(nlohmann::json::accept(l)) << l;
}

}  // namespace

TEST(ServeEdges, CallIdThatIsNotAsciiIsRefusedAndTheServerLives) {
  TempDir logs;
  Server server("ivr-two-queues.yaml", "--log-dir " + logs.path().string());
  RawCaller caller(server.sip_port(), "\xff\xfe-x");
  const std::string answer = caller.call();
  EXPECT_EQ(answer.rfind("SIP/2.0 400 ", 0), 0u) << answer;
  // Still serving: a normal call goes through.
  RawCaller next(server.sip_port(), "after-bad-call-id");
  EXPECT_EQ(next.call().rfind("SIP/2.0 200 ", 0), 0u);
  EXPECT_EQ(wait_for(server, "switchboard_calls_offered_total{queue=\"none\"}", 0), 0);
  EXPECT_EQ(wait_for(server, "switchboard_sip_dialogs_active", 1), 1);
  EXPECT_EQ(server.stop(), 0);
  expect_json_lines(logs / "events.jsonl");
}

TEST(ServeEdges, InfoSignalThatIsNoKeyGets400AndNeverReachesTheLog) {
  TempDir logs;
  Server server("ivr-two-queues.yaml", "--log-dir " + logs.path().string());
  RawCaller caller(server.sip_port(), "bad-signal-1");
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200 ", 0), 0u);
  caller.send(caller.request("INFO", 2, "", "Signal=\xff\r\nDuration=160\r\n", "application/dtmf-relay"));
  const std::string answer = caller.final_response();
  EXPECT_EQ(answer.rfind("SIP/2.0 400 ", 0), 0u) << answer;
  caller.send(caller.request("INFO", 3, "", "Signal=2\r\nDuration=160\r\n", "application/dtmf-relay"));
  EXPECT_EQ(caller.final_response().rfind("SIP/2.0 200 ", 0), 0u);  // alive, and the dialog too
  EXPECT_EQ(server.stop(), 0);
  expect_json_lines(logs / "events.jsonl");
  const std::string events = switchboard::test::read_file(logs / "events.jsonl");
  EXPECT_NE(events.find("\"detail\":\"2\",\"event\":\"digit\""), std::string::npos) << events;
  EXPECT_EQ(events.find("xff"), std::string::npos) << events;
}

// application/dtmf may carry several keys; one INFO counts at most 16 (the
// server reads the body in place, into a fixed buffer), logged together at
// its arrival. A key typed ahead is logged again when a menu takes it, so
// the keys past the 16th are ones the first 16 do not use.
TEST(ServeEdges, OneDtmfInfoCountsAtMostSixteenKeys) {
  TempDir logs;
  Server server("ivr-two-queues.yaml", "--connect-signal none --log-dir " + logs.path().string());
  RawCaller caller(server.sip_port(), "many-keys-1");
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200 ", 0), 0u);
  const std::string first16 = "0123456789*#0123";
  caller.send(caller.request("INFO", 2, "", first16 + "ABCD", "application/dtmf"));  // 20 keys
  EXPECT_EQ(caller.final_response().rfind("SIP/2.0 200 ", 0), 0u);
  EXPECT_EQ(server.stop(), 0);
  std::vector<nlohmann::json> digits;
  for (const auto& line : read_lines(logs / "events.jsonl")) {
    auto event = nlohmann::json::parse(line);
    if (event["event"] == "digit") digits.push_back(std::move(event));
  }
  ASSERT_GE(digits.size(), 16u);
  std::string keys;
  for (std::size_t i = 0; i < 16; ++i) {
    keys += digits[i]["detail"].get<std::string>();
    EXPECT_EQ(digits[i]["time"], digits[0]["time"]) << "key " << i;
  }
  EXPECT_EQ(keys, first16);
  for (const auto& d : digits) EXPECT_EQ(std::string("ABCD").find(d["detail"].get<std::string>()), std::string::npos) << d.dump();
}

TEST(ServeEdges, CallIdWithCommasAndQuotesIsOneCdrField) {
  TempDir logs;
  Server server("ivr-two-queues.yaml", "--log-dir " + logs.path().string());
  const std::string id = "a,b\"c\",,d@host";
  RawCaller caller(server.sip_port(), id);
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200 ", 0), 0u);
  caller.send(caller.request("BYE", 2));  // hung up in the IVR
  EXPECT_EQ(caller.final_response().rfind("SIP/2.0 200 ", 0), 0u);
  EXPECT_EQ(wait_for(server, "switchboard_sip_dialogs_active", 0), 0);
  EXPECT_EQ(server.stop(), 0);
  const auto cdr = read_lines(logs / "cdr.csv");
  ASSERT_EQ(cdr.size(), 2u);
  const auto row = switchboard::test::csv_row(cdr[1]);
  ASSERT_EQ(row.size(), 8u) << cdr[1];
  EXPECT_EQ(row[0], id);
  EXPECT_EQ(row[1], "customers");
  EXPECT_EQ(row[6], "abandoned");
  const auto events = read_lines(logs / "events.jsonl");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(nlohmann::json::parse(events.front())["call"], id);
}

TEST(ServeEdges, InviteWithoutContactGets400) {
  Server server("ivr-two-queues.yaml", "");
  RawCaller caller(server.sip_port(), "no-contact-1");
  caller.send(caller.request("INVITE", 1, "", RawCaller::kOffer));
  const std::string answer = caller.final_response();
  EXPECT_EQ(answer.rfind("SIP/2.0 400 ", 0), 0u) << answer;
  EXPECT_EQ(wait_for(server, "switchboard_sip_dialogs_active", 0), 0);
}

TEST(ServeEdges, OptionsGets200WithAllowAndAccept) {
  Server server("ivr-two-queues.yaml", "");
  RawCaller probe(server.sip_port(), "options-1");
  probe.send(probe.request("OPTIONS", 1));
  const std::string answer = probe.final_response();
  EXPECT_EQ(answer.rfind("SIP/2.0 200 ", 0), 0u) << answer;
  EXPECT_NE(RawCaller::header(answer, "Allow:").find("INVITE"), std::string::npos) << answer;
  EXPECT_NE(RawCaller::header(answer, "Allow:").find("OPTIONS"), std::string::npos) << answer;
  EXPECT_NE(RawCaller::header(answer, "Accept:").find("application/sdp"), std::string::npos) << answer;
}

// 60,000 OPTIONS with distinct transactions inside the retransmission
// window (the table's default holds 2^18): the server's memory stays flat.
TEST(ServeEdges, AFloodOfOptionsLeavesMemoryFlat) {
  Server server("ivr-two-queues.yaml", "");
  const switchboard::test::LoopbackUdp flood;
  auto send = [&](int from, int to) {
    for (int i = from; i < to; ++i) {
      flood.send_to(server.sip_port(), "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-f" +
                                           std::to_string(i) + "\r\nFrom: <sip:f@127.0.0.1>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\n"
                                           "Call-ID: flood-" + std::to_string(i) + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
      if (i % 100 == 0) std::this_thread::sleep_for(2ms);  // mostly within the socket's buffer
    }
  };
  send(0, 5000);  // warm up: the allocator's arenas, libre's buffers
  std::this_thread::sleep_for(300ms);
  const long before = server.rss_kb();
  send(5000, 65000);
  std::this_thread::sleep_for(500ms);
  const long after = server.rss_kb();
  ASSERT_GT(before, 0);
  EXPECT_LT(after - before, 8 * 1024) << before << " kB -> " << after << " kB";
  // Most of them reached the server (a loaded machine drops some datagrams).
  EXPECT_GT(wait_for(server, "switchboard_sip_requests_total{method=\"OPTIONS\"}", 65000), 30000);
}

// --sip udp:0.0.0.0:P listens on every local address (libre needs concrete
// ones); the SDP names the address the INVITE came to.
TEST(ServeEdges, ListensOnAllInterfaces) {
  const int any_port = base_port() + 8;
  Server server("ivr-two-queues.yaml", "--sip udp:0.0.0.0:" + std::to_string(any_port));
  RawCaller caller(any_port, "any-address-1");
  const std::string ok = caller.call();
  ASSERT_EQ(ok.rfind("SIP/2.0 200 ", 0), 0u) << ok;
  EXPECT_NE(RawCaller::body(ok).find("c=IN IP4 127.0.0.1"), std::string::npos) << ok;
  EXPECT_EQ(wait_for(server, "switchboard_sip_dialogs_active", 1), 1);
}

// --sip udp:[::1]:P: IPv6, SIPp's stock uac over ::1; the answer's SDP is IP6.
TEST(ServeEdges, ServesOverIpv6) {
  const int v6_port = base_port() + 8;
  Server server("straight-to-queue.yaml", "--connect-signal none --sip udp:[::1]:" + std::to_string(v6_port));
  TempDir dir;
  const auto trace = dir / "messages.log";
  const std::string command = "timeout 30 sipp -sn uac -s customers [::1]:" + std::to_string(v6_port) + " -i ::1 -p " +
                              std::to_string(base_port() + 2) + " -d 300 -m 2 -r 5 -nostdin -timeout 20s -timeout_error " +
                              "-trace_msg -message_file " + trace.string() + " >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(wait_for(server, "switchboard_calls_offered_total{queue=\"service\"}", 2), 2);
  const std::string messages = switchboard::test::read_file(trace);
  EXPECT_NE(messages.find("c=IN IP6 ::1"), std::string::npos) << messages.substr(0, 3000);
  EXPECT_NE(messages.find("o=switchboard 1 1 IN IP6 ::1"), std::string::npos);
}

// A TCP listener's backlog is the system's most (libre's 5 lost up to 38% of
// a burst), and a burst of 200 callers connecting at once is answered.
TEST(ServeEdges, TcpListenerTakesABurstOfConnections) {
  const int tcp_port = base_port() + 8;
  Server server("ivr-two-queues.yaml", "--sip tcp:127.0.0.1:" + std::to_string(tcp_port));
  const std::string listening = capture("ss -ltnH 'sport = :" + std::to_string(tcp_port) + "'");
  std::istringstream fields(listening);
  std::string state, recv_q, send_q;
  fields >> state >> recv_q >> send_q;
  ASSERT_EQ(state, "LISTEN") << listening;
  EXPECT_GE(std::stoi(send_q), 128) << listening;  // the backlog
  std::vector<int> sockets;
  for (int i = 0; i < 200; ++i) {  // all connect before any is served
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(tcp_port));
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    sockets.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (std::size_t i = 0; i < sockets.size(); ++i) {
    const std::string m = "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-t" + std::to_string(i) +
                          "\r\nFrom: <sip:t@127.0.0.1>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: burst-" + std::to_string(i) +
                          "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    (void)!write(sockets[i], m.data(), m.size());
  }
  int answered = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  std::vector<bool> done(sockets.size(), false);
  while (answered < static_cast<int>(sockets.size()) && std::chrono::steady_clock::now() < deadline) {
    for (std::size_t i = 0; i < sockets.size(); ++i) {
      char buffer[2048];
      if (done[i] || read(sockets[i], buffer, sizeof buffer) <= 0) continue;
      done[i] = std::string(buffer, 12) == "SIP/2.0 200 ";
      answered += done[i];
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (int fd : sockets) close(fd);
  EXPECT_EQ(answered, 200);
}

// A key pressed during the welcome prompt (where the core takes none) is
// kept for the menu that follows: type-ahead. Without it the menu would
// time out after 10 s and send the call to sales.
TEST(ServeEdges, KeysTypedAheadDuringAPromptAnswerTheNextMenu) {
  Server server("ivr-two-queues.yaml", "--connect-signal none");
  RawCaller caller(server.sip_port(), "typeahead-1");
  ASSERT_EQ(caller.call().rfind("SIP/2.0 200 ", 0), 0u);
  caller.send(caller.request("INFO", 2, "", "Signal=2\r\n", "application/dtmf-relay"));  // at once: the 1 s prompt plays
  ASSERT_EQ(caller.final_response().rfind("SIP/2.0 200 ", 0), 0u);
  EXPECT_EQ(wait_for(server, "switchboard_calls_offered_total{queue=\"support\"}", 1), 1);
  EXPECT_EQ(server.value("switchboard_calls_offered_total{queue=\"sales\"}"), 0);
}

// The in-dialog probe (--dialog-probe): a caller who answers stays, one who
// answers 481 (it forgot the dialog) is ended, one who vanished is ended
// when the probe times out; none holds a --max-calls slot forever.
TEST(ServeEdges, DialogProbeEndsCallsWhoseCallerIsGone) {
  TempDir logs;
  Server server("no-support-agents.yaml", "--dialog-probe 1 --connect-signal none --log-dir " + logs.path().string());
  RawCaller alive(server.sip_port(), "probe-alive"), forgot(server.sip_port(), "probe-481");
  auto vanished = std::make_unique<RawCaller>(server.sip_port(), "probe-vanished");
  for (RawCaller* c : {&alive, &forgot, vanished.get()}) {
    ASSERT_EQ(c->call().rfind("SIP/2.0 200 ", 0), 0u);
    c->send(c->request("INFO", 2, "", "Signal=2\r\n", "application/dtmf-relay"));  // typed ahead: to the queue nobody serves
  }
  vanished.reset();  // its socket closes: nobody answers there any more
  const std::string probe_a = alive.next_request(3000), probe_f = forgot.next_request(3000);
  ASSERT_EQ(probe_a.rfind("OPTIONS ", 0), 0u) << probe_a;
  ASSERT_EQ(probe_f.rfind("OPTIONS ", 0), 0u) << probe_f;
  alive.reply(probe_a, 200);
  forgot.reply(probe_f, 481);
  EXPECT_EQ(wait_for(server, "switchboard_sip_dialogs_gone_total", 1), 1);
  EXPECT_EQ(alive.next_request(3000).rfind("OPTIONS ", 0), 0u);  // probed again: still there
  // The vanished caller's probe times out (libre's 32 s for a non-INVITE).
  double gone = 0;
  for (int i = 0; i < 45 && (gone = server.value("switchboard_sip_dialogs_gone_total")) < 2; ++i) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (std::chrono::steady_clock::now() < until) {  // the live caller answers every probe
      const std::string m = alive.next_request(100);
      if (m.rfind("OPTIONS ", 0) == 0) alive.reply(m, 200);
    }
  }
  EXPECT_EQ(gone, 2);
  EXPECT_EQ(server.value("switchboard_sip_dialogs_active"), 1);  // the one who answers
  server.stop();
  const std::string events = switchboard::test::read_file(logs / "events.jsonl");
  EXPECT_NE(events.find("\"call\":\"probe-481\",\"detail\":\"481\",\"event\":\"dialog-gone\""), std::string::npos) << events;
  EXPECT_NE(events.find("\"call\":\"probe-vanished\",\"detail\":\"no answer\",\"event\":\"dialog-gone\""), std::string::npos) << events;
}

// --media rtp: an IPv6 media offer over IPv4 signalling (linphonec on a
// dual-stack host) is answered from our address on the route to it (::1
// here), not refused with 488.
TEST(ServeEdges, AnIpv6MediaOfferOverIpv4IsAnsweredInIpv6) {
  Server server("straight-to-queue.yaml", "--media rtp --connect-signal none");
  RawCaller caller(server.sip_port(), "v6-media-over-v4");
  const std::string v6_offer = "v=0\r\no=l 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 7078 RTP/AVP 0 101\r\n"
                               "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
  const std::string answer = caller.call("", v6_offer);
  ASSERT_EQ(answer.rfind("SIP/2.0 200 ", 0), 0u) << answer;
  EXPECT_NE(RawCaller::body(answer).find("c=IN IP6 ::1\r\n"), std::string::npos) << answer;
  EXPECT_NE(RawCaller::body(answer).find("o=switchboard 1 1 IN IP6 ::1\r\n"), std::string::npos) << answer;
  caller.send(caller.request("BYE", 2));
  EXPECT_EQ(caller.final_response().rfind("SIP/2.0 200 ", 0), 0u);
  EXPECT_EQ(server.stop(), 0);
}

// --media rtp over IPv6: an offer of c=IN IP6 (linphone's default) is taken
// (it got 488 while offers were parsed by hand).
TEST(ServeEdges, Ipv6MediaOfferIsTakenWithRtp) {
  const int v6_port = base_port() + 8;
  Server server("straight-to-queue.yaml", "--media rtp --connect-signal none --sip udp:[::1]:" + std::to_string(v6_port));
  const std::string command = "timeout 30 sipp -sn uac -s customers [::1]:" + std::to_string(v6_port) + " -i ::1 -p " +
                              std::to_string(base_port() + 2) + " -mp " + std::to_string(base_port() + 4) +
                              " -d 300 -m 2 -r 5 -nostdin -timeout 20s -timeout_error >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(wait_for(server, "switchboard_calls_offered_total{queue=\"service\"}", 2), 2);
  EXPECT_EQ(server.value("switchboard_sip_responses_total{code=\"488\"}"), -1);  // none
}
