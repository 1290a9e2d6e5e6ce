// Recognises SIP retransmissions on the wire, for the
// switchboard_sip_retransmissions_total metric: libre retransmits and
// absorbs retransmissions inside its transactions and says nothing of
// them, but every datagram passes its trace hook. A message repeats one
// seen before when its start line, its top Via branch and its CSeq are the
// same (RFC 3261 17: a transaction is its branch and method; a response's
// start line and CSeq name which one), within the lifetime of a transaction.
//
// The table has a fixed capacity (open addressing, a probe of 16 slots,
// lazy expiry): nothing is allocated per message and nothing after start.
// When every slot of a probe is still inside the window, the oldest of them
// is forgotten (eviction by age): a flood can only make the metric miss a
// few retransmissions, never take memory. The identity is a SipHash-2-4
// (libsodium's crypto_shorthash) under a key drawn at random for each
// detector, so a sender cannot craft messages that land in one probe. The
// default 2^19 slots (4 MB) hold the 40 s window of 500 calls/s (about
// 180,000 messages, 4,500 a second) with fewer than one message in 10,000
// evicting one (tests/sip/retransmissions_test.cpp,
// TheDefaultTableHoldsFiveHundredCallsASecond); at 2^18 the probes'
// clusters made 5% of them evict at that load.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace switchboard::sip {

class RetransmissionDetector {
 public:
  static constexpr std::size_t kDefaultCapacity = 1u << 19;
  using Key = std::array<unsigned char, 16>;

  // `capacity` is rounded up to a power of two (at least the probe's 16).
  explicit RetransmissionDetector(std::uint64_t window_ms = 40000, std::size_t capacity = kDefaultCapacity);
  // With a given hash key (tests): the same messages land in the same slots.
  RetransmissionDetector(std::uint64_t window_ms, std::size_t capacity, const Key& key);

  // True when this message repeats one seen within the window; remembers it.
  bool repeat(const char* message, std::size_t length, std::uint64_t now_ms);

  // The identity of a message (start line, top Via branch, CSeq), hashed
  // under this detector's key; 0 when it has none of them (not SIP).
  std::uint64_t identity(const char* message, std::size_t length) const;

  std::size_t slots() const { return table_.size(); }
  std::uint64_t evictions() const { return evictions_; }

 private:
  // Eight bytes a message: 32 bits of the identity (the other 32 choose the
  // slot) and the time in 64 ms steps.
  struct Slot {
    std::uint32_t key = 0;   // 0: never used
    std::uint32_t seen = 0;  // now_ms / 64, wrapping
  };
  static constexpr std::size_t kProbe = 16;
  // Modular: the clock may wrap around 32 bits.
  bool fresh(const Slot& s, std::uint32_t now) const { return s.key != 0 && static_cast<std::uint32_t>(now - s.seen) < window_; }

  std::uint32_t window_;  // in 64 ms steps
  Key key_;
  std::vector<Slot> table_;
  std::uint64_t evictions_ = 0;
};

}  // namespace switchboard::sip
