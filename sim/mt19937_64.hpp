// MT19937-64, the generator of std::mt19937_64, giving the same numbers from
// the same seed (tests/sim/random_test.cpp checks them against the standard
// library's), written so that a draw inlines: the simulator makes two or
// three draws per call, and libstdc++'s operator() is an out-of-line call
// that also tests for the refill and tempers each number on its own. Here a
// refill regenerates the whole state and tempers it into a buffer in two
// plain loops the compiler vectorises, and a draw is a load.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace switchboard::sim {

class Mt19937_64 {
 public:
  explicit Mt19937_64(std::uint64_t seed) {
    state_[0] = seed;
    for (std::size_t i = 1; i < kN; ++i) state_[i] = kInitMultiplier * (state_[i - 1] ^ (state_[i - 1] >> 62)) + i;
  }
  std::uint64_t operator()() {
    if (next_ == kN) [[unlikely]]
      refill();
    return out_[next_++];
  }

 private:
  static constexpr std::size_t kN = 312, kM = 156;
  static constexpr std::uint64_t kInitMultiplier = 6364136223846793005ull;
  static constexpr std::uint64_t kMatrix = 0xb5026f5aa96619e9ull;
  static constexpr std::uint64_t kUpper = ~std::uint64_t{0} << 31, kLower = ~kUpper;

  static std::uint64_t twist(std::uint64_t upper_of, std::uint64_t lower_of, std::uint64_t shifted) {
    const std::uint64_t y = (upper_of & kUpper) | (lower_of & kLower);
    return shifted ^ (y >> 1) ^ ((std::uint64_t{0} - (y & 1)) & kMatrix);  // branch-free: vectorises
  }
  // The standard's recurrence in three runs (no index wraps inside a run),
  // then its tempering of every new number.
  [[gnu::noinline]] void refill() {
    std::size_t i = 0;
    for (; i < kN - kM; ++i) state_[i] = twist(state_[i], state_[i + 1], state_[i + kM]);
    for (; i < kN - 1; ++i) state_[i] = twist(state_[i], state_[i + 1], state_[i + kM - kN]);
    state_[kN - 1] = twist(state_[kN - 1], state_[0], state_[kM - 1]);
    for (std::size_t k = 0; k < kN; ++k) {
      std::uint64_t z = state_[k];
      z ^= (z >> 29) & 0x5555555555555555ull;
      z ^= (z << 17) & 0x71d67fffeda60000ull;
      z ^= (z << 37) & 0xfff7eee000000000ull;
      z ^= z >> 43;
      out_[k] = z;
    }
    next_ = 0;
  }

  std::array<std::uint64_t, kN> state_;
  std::array<std::uint64_t, kN> out_;
  std::size_t next_ = kN;  // the first draw refills, as the standard's engine does
};

}  // namespace switchboard::sim
