// Recognises SIP retransmissions on the wire, for the
// switchboard_sip_retransmissions_total metric: libre retransmits and
// absorbs retransmissions inside its transactions and says nothing of
// them, but every datagram passes its trace hook. A message repeats one
// seen before when its start line, its top Via branch and its CSeq are the
// same (RFC 3261 17: a transaction is its branch and method; a response's
// start line and CSeq name which one), within the lifetime of a transaction.
//
// The table is fixed-size open addressing with a short probe and lazy
// expiry: nothing is allocated per message; the table doubles only when it
// would have to forget a message still inside the window. At 500 calls/s
// (about 180,000 messages in 40 s) it holds 2^18 slots: 2 MB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace switchboard::sip {

class RetransmissionDetector {
 public:
  explicit RetransmissionDetector(std::uint64_t window_ms = 40000, std::size_t initial_slots = 1u << 16);

  // True when this message repeats one seen within the window; remembers it.
  bool repeat(const char* message, std::size_t length, std::uint64_t now_ms);

  // The identity of a message (start line, top Via branch, CSeq), hashed;
  // 0 when it has none of them (not SIP).
  static std::uint64_t identity(const char* message, std::size_t length);

  std::size_t slots() const { return table_.size(); }

 private:
  // Eight bytes a message: 32 bits of the identity (a false match among
  // 200,000 live messages is a few in a billion) and the time in 64 ms steps.
  struct Slot {
    std::uint32_t key = 0;   // 0: never used
    std::uint32_t seen = 0;  // now_ms / 64, wrapping
  };
  static constexpr std::size_t kProbe = 16;
  void grow(std::uint32_t now);
  // Modular: the clock may wrap around 32 bits.
  bool fresh(const Slot& s, std::uint32_t now) const { return s.key != 0 && static_cast<std::uint32_t>(now - s.seen) < window_; }

  std::uint32_t window_;  // in 64 ms steps
  std::vector<Slot> table_;
};

}  // namespace switchboard::sip
