// sim/mt19937_64.hpp is the standard's MT19937-64 written to inline: every
// simulated number depends on it giving std::mt19937_64's sequence exactly.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "sim/mt19937_64.hpp"
#include "sim/random.hpp"

using namespace switchboard;

// Several seeds (0, 1, a splitmix64 output, all ones), 2,000,000 draws each:
// thousands of refills, so every part of the recurrence is exercised.
TEST(Mt19937_64, GivesTheStandardEnginesSequence) {
  for (std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{1}, sim::mix(42), ~std::uint64_t{0}}) {
    std::mt19937_64 standard(seed);
    sim::Mt19937_64 ours(seed);
    for (int i = 0; i < 2'000'000; ++i) {
      const std::uint64_t want = standard();
      const std::uint64_t got = ours();
      ASSERT_EQ(got, want) << "seed " << seed << ", draw " << i;
    }
  }
}

// The C++ standard's check value: the 10,000th number of a default-seeded
// (5489) mt19937_64 ([rand.predef]).
TEST(Mt19937_64, TenThousandthDrawIsTheStandardsCheckValue) {
  sim::Mt19937_64 ours(5489);
  std::uint64_t x = 0;
  for (int i = 0; i < 10000; ++i) x = ours();
  EXPECT_EQ(x, 9981545732273789042ull);
}

// A stream copied mid-sequence goes on as the original does (ArrivalProcess
// takes its stream by value).
TEST(Mt19937_64, ACopyContinuesTheSequence) {
  sim::RandomStream a(7, 3, sim::Stream::patience, 2);
  for (int i = 0; i < 500; ++i) a.uniform();
  sim::RandomStream b = a;
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.uniform(), b.uniform()) << i;
}
