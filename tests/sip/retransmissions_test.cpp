// Retransmissions recognised on the wire: the same start line, top Via
// branch and CSeq within the window, and nothing else.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sip/retransmissions.hpp"

using switchboard::sip::RetransmissionDetector;

namespace {

std::string request(const std::string& method, const std::string& branch, int cseq) {
  return method + " sip:customers@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=" + branch +
         ";rport\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:customers@127.0.0.1>\r\nCall-ID: c1\r\nCSeq: " +
         std::to_string(cseq) + " " + method + "\r\nContent-Length: 0\r\n\r\n";
}

std::string response(const std::string& status, const std::string& branch, const std::string& cseq) {
  return "SIP/2.0 " + status + "\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=" + branch +
         "\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:customers@127.0.0.1>;tag=2\r\nCall-ID: c1\r\nCSeq: " + cseq +
         "\r\nContent-Length: 0\r\n\r\n";
}

bool repeat(RetransmissionDetector& d, const std::string& m, std::uint64_t now) { return d.repeat(m.data(), m.size(), now); }

}  // namespace

TEST(Retransmissions, TheSameMessageAgainIsARetransmission) {
  RetransmissionDetector d;
  EXPECT_FALSE(repeat(d, request("INVITE", "z9hG4bK-1", 1), 0));
  EXPECT_TRUE(repeat(d, request("INVITE", "z9hG4bK-1", 1), 500));
  EXPECT_TRUE(repeat(d, request("INVITE", "z9hG4bK-1", 1), 1500));
  EXPECT_FALSE(repeat(d, response("180 Ringing", "z9hG4bK-1", "1 INVITE"), 10));
  EXPECT_FALSE(repeat(d, response("200 OK", "z9hG4bK-1", "1 INVITE"), 20));
  EXPECT_TRUE(repeat(d, response("200 OK", "z9hG4bK-1", "1 INVITE"), 520));
}

TEST(Retransmissions, OtherTransactionsAndMethodsAreNot) {
  RetransmissionDetector d;
  EXPECT_FALSE(repeat(d, request("INVITE", "z9hG4bK-1", 1), 0));
  EXPECT_FALSE(repeat(d, request("INVITE", "z9hG4bK-2", 1), 0));  // another branch
  EXPECT_FALSE(repeat(d, request("CANCEL", "z9hG4bK-1", 1), 0));  // CANCEL shares the INVITE's branch
  EXPECT_FALSE(repeat(d, request("INFO", "z9hG4bK-3", 2), 0));
  EXPECT_FALSE(repeat(d, request("INFO", "z9hG4bK-3", 3), 0));     // another CSeq
  EXPECT_FALSE(repeat(d, response("200 OK", "z9hG4bK-1", "1 CANCEL"), 0));
  EXPECT_FALSE(repeat(d, response("487 Request Terminated", "z9hG4bK-1", "1 INVITE"), 0));
  const std::string junk = "not SIP at all";
  EXPECT_FALSE(d.repeat(junk.data(), junk.size(), 0));
  EXPECT_FALSE(d.repeat(junk.data(), junk.size(), 0));  // no identity: never counted
}

TEST(Retransmissions, ForgottenAfterTheWindow) {
  RetransmissionDetector d(40000);
  EXPECT_FALSE(repeat(d, request("BYE", "z9hG4bK-9", 3), 1000));
  EXPECT_TRUE(repeat(d, request("BYE", "z9hG4bK-9", 3), 40900));  // the clock has 64 ms steps
  EXPECT_FALSE(repeat(d, request("BYE", "z9hG4bK-9", 3), 81000));
}

TEST(Retransmissions, HeaderNamesInAnyCaseAndCompactVia) {
  RetransmissionDetector d;
  const std::string a = "INFO sip:x@h SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK-c\r\ncseq: 4 INFO\r\n\r\n";
  const std::string b = "INFO sip:x@h SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK-d\r\ncseq: 4 INFO\r\n\r\n";
  EXPECT_NE(d.identity(a.data(), a.size()), 0u);
  EXPECT_NE(d.identity(a.data(), a.size()), d.identity(b.data(), b.size()));
  EXPECT_FALSE(d.repeat(a.data(), a.size(), 0));
  EXPECT_TRUE(d.repeat(a.data(), a.size(), 1));
}

// A flood inside the window (500,000 messages, 30 times the table): the
// table keeps its size and forgets the oldest; the newest are still known.
TEST(Retransmissions, AFloodLeavesTheTableItsSize) {
  RetransmissionDetector d(40000, 1u << 14);
  ASSERT_EQ(d.slots(), 1u << 14);
  for (int i = 0; i < 500000; ++i) repeat(d, request("OPTIONS", "b" + std::to_string(i), 1), i / 100);
  EXPECT_EQ(d.slots(), 1u << 14);
  EXPECT_GT(d.evictions(), 0u);
  int repeats = 0;
  for (int i = 499000; i < 500000; ++i) repeats += repeat(d, request("OPTIONS", "b" + std::to_string(i), 1), 5001);
  EXPECT_GE(repeats, 990);  // the last 1,000 of 16,384 slots: a probe of 16 rarely has to forget one so young
}

// Well below capacity nothing is forgotten inside the window. The key is
// fixed: under a random one, 5,000 messages in 16,384 slots fill some probe
// of 16 (one eviction) in about 1 run in 140.
TEST(Retransmissions, EveryRepeatIsKnownBelowCapacity) {
  RetransmissionDetector d(40000, 1u << 14, RetransmissionDetector::Key{42});
  for (int i = 0; i < 5000; ++i) EXPECT_FALSE(repeat(d, request("INVITE", "b" + std::to_string(i), 1), i));
  int repeats = 0;
  for (int i = 0; i < 5000; ++i) repeats += repeat(d, request("INVITE", "b" + std::to_string(i), 1), 6000);
  EXPECT_EQ(repeats, 5000);
  EXPECT_EQ(d.evictions(), 0u);
}

// The load the default table is sized for, under a random key: 500 calls/s
// of about 9 messages each (4,500 a second) for 200 s, the first 40 s (the
// window) filling the table, every tenth message retransmitted 500 ms
// later. Evictions stay under 1 in 10,000 messages (a simulation of the
// probe gives 5 in 100,000 at 2^19 slots and 5 in 100 at 2^18), and every
// retransmission is known but those an eviction took.
TEST(Retransmissions, TheDefaultTableHoldsFiveHundredCallsASecond) {
  RetransmissionDetector d;
  constexpr int kPerSecond = 4500, kSeconds = 200, kWindowMessages = 40 * kPerSecond;
  std::uint64_t evicted_at_warm = 0;
  int retransmitted = 0, known = 0, mistaken = 0;
  std::vector<std::pair<std::uint64_t, std::string>> again;  // (due, message), in due order
  std::size_t next_again = 0;
  for (int i = 0; i < kPerSecond * kSeconds; ++i) {
    const std::uint64_t now = static_cast<std::uint64_t>(i) * 1000 / kPerSecond;
    for (; next_again < again.size() && again[next_again].first <= now; ++next_again) {
      ++retransmitted;
      known += repeat(d, again[next_again].second, again[next_again].first);
    }
    if (i == kWindowMessages) evicted_at_warm = d.evictions();
    const std::string m = request("INVITE", "z9hG4bK-load" + std::to_string(i), 1);
    mistaken += repeat(d, m, now);  // a new message taken for a repeat: its 32-bit identity met another's in its probe
    if (i % 10 == 0) again.emplace_back(now + 500, m);
  }
  const std::uint64_t evicted = d.evictions() - evicted_at_warm;
  EXPECT_LT(evicted, static_cast<std::uint64_t>(kPerSecond * (kSeconds - 40) / 10000)) << evicted << " evictions";
  EXPECT_GE(known, retransmitted - static_cast<int>(d.evictions()));
  EXPECT_GT(retransmitted, kPerSecond * kSeconds / 10 - kPerSecond);
  EXPECT_LT(mistaken, 3);  // expected 900,000 x 16 / 2^32 = 0.003
}

// The hash is keyed: the same message has another identity (and slot) in
// another detector, so colliding messages cannot be crafted offline; with
// the same key it is the same.
TEST(Retransmissions, IdentityIsKeyedPerDetector) {
  const std::string m = request("OPTIONS", "z9hG4bK-k", 1);
  RetransmissionDetector a, b;
  EXPECT_NE(a.identity(m.data(), m.size()), b.identity(m.data(), m.size()));
  const RetransmissionDetector::Key key{1, 2, 3};
  RetransmissionDetector c(40000, 64, key), e(40000, 64, key);
  EXPECT_EQ(c.identity(m.data(), m.size()), e.identity(m.data(), m.size()));
}

// Messages crafted to share one probe (same slot under a known key): the
// 17th and later evict, the table stays as it is.
TEST(Retransmissions, CollidingMessagesEvictInsteadOfGrowing) {
  const RetransmissionDetector::Key key{7};
  RetransmissionDetector d(40000, 1024, key);
  int found = 0;
  for (int i = 0; found < 200 && i < 2000000; ++i) {
    const std::string m = request("OPTIONS", "c" + std::to_string(i), 1);
    if ((d.identity(m.data(), m.size()) & 1023) != 5) continue;  // the same home slot
    ++found;
    EXPECT_FALSE(repeat(d, m, found));
  }
  ASSERT_EQ(found, 200);
  EXPECT_EQ(d.slots(), 1024u);
  EXPECT_EQ(d.evictions(), 200u - 16u);
}
