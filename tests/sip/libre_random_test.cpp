// libre's random numbers served by sip/libre_random.cpp: libre's own calls
// reach the generator, and its output does not repeat and is balanced.
#include <sys/socket.h>

#include <cstdint>
#include <cmath>
#include <cstring>
#include <unordered_set>

#include <gtest/gtest.h>
#include <re/re.h>

#include "sip/libre_random.hpp"

namespace {

using switchboard::sip::random_bytes_drawn;

// libre's message decoder tags each message with rand_u64(): 8 bytes from us.
TEST(LibreRandom, LibresOwnCallsDrawFromTheGenerator) {
  const char* text = "OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-1\r\n"
                     "From: <sip:b@127.0.0.1>;tag=1\r\nTo: <sip:a@127.0.0.1>\r\nCall-ID: r1\r\nCSeq: 1 OPTIONS\r\n"
                     "Content-Length: 0\r\n\r\n";
  struct mbuf* mb = mbuf_alloc(512);
  mbuf_write_str(mb, text);
  mbuf_set_pos(mb, 0);
  const std::uint64_t before = random_bytes_drawn();
  struct sip_msg* msg = nullptr;
  ASSERT_EQ(sip_msg_decode(&msg, mb), 0);
  EXPECT_EQ(random_bytes_drawn() - before, 8u);
  mem_deref(msg);
  mem_deref(mb);
  char s[17];
  rand_str(s, sizeof s);  // libre's rand_str draws through rand_bytes
  EXPECT_EQ(random_bytes_drawn() - before, 8u + 16u);
  EXPECT_EQ(std::strlen(s), 16u);
}

// Deterministic bounds that a sound generator misses with negligible
// probability (family-wise error below 1e-8, by the union bound over the
// three checks): 200,000 64-bit draws hold no repeat (birthday bound
// n^2 / 2^65 = 1.1e-9), and their 12.8 million bits have a count of ones
// within 6 standard deviations of half (two-sided 2e-9).
TEST(LibreRandom, DrawsDoNotRepeatAndTheirBitsAreBalanced) {
  constexpr int kDraws = 200000;
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(kDraws);
  std::uint64_t ones = 0;
  for (int i = 0; i < kDraws; ++i) {
    const std::uint64_t v = rand_u64();
    EXPECT_TRUE(seen.insert(v).second) << "repeat after " << i << " draws";
    ones += static_cast<std::uint64_t>(__builtin_popcountll(v));
  }
  const double bits = 64.0 * kDraws;
  const double sd = std::sqrt(bits / 4);
  EXPECT_LT(std::abs(static_cast<double>(ones) - bits / 2), 6 * sd) << ones << " ones in " << bits << " bits";
  // Other widths come from the same stream.
  std::uint8_t buffer[1000] = {};
  rand_bytes(buffer, sizeof buffer);
  int zeros = 0;
  for (std::uint8_t b : buffer) zeros += b == 0;
  EXPECT_LT(zeros, 30);  // expected 3.9; P(>= 30) < 1e-15 (Chernoff)
}

}  // namespace
