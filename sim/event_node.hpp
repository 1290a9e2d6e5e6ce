// What the event list orders: an event's kind and fields, and the heap
// node that carries it, ordered by one 128-bit key (the time's bits made to
// sort as numbers, above the insertion sequence), so that comparing two
// nodes is one integer comparison instead of two floating-point ones and an
// integer one. Shared by the event list's heaps (event_heap.hpp,
// cancellable_heap.hpp).
#pragma once

#include <bit>
#include <cstdint>

namespace switchboard::sim {

enum class EventKind : std::uint8_t {
  arrival,          // a: call type
  redial,           // a: call type
  timer,            // a: TimerKind, b: target, c: token
  digit,            // a: call slot, b: generation, c: digit
  self_service,     // a, b: call, c: success
  hangup,           // a, b: call
  callback_answer,  // a, b: call, c: accepted
  answered,         // a, b: call, c: agent
  talk_ended,       // a, b: agent handle (agent, token), c: disposition + 1 (0 = none)
  wrap_up_ended,    // a, b: agent handle (agent, token)
  ticket_resolved,  // a: ticket
  group_lost,       // a: agent group (an agent site lost its link)
  ring_failed,      // a, b: call, c: agent (SIP: the agent cannot be reached)
};

struct Event {
  double time;
  std::uint64_t seq;
  EventKind kind;
  std::uint32_t a, b, c;
};

__extension__ typedef unsigned __int128 EventKey;  // GCC and Clang have it on every 64-bit target

struct EventNode {
  EventKey key;  // time's ordered bits << 64 | seq
  std::uint32_t a, b, c;
  EventKind kind;
};

inline constexpr std::uint64_t kTimeSign = std::uint64_t{1} << 63;

// A double's bits as an unsigned integer that sorts as the numbers do
// (negatives flipped whole, non-negatives with the sign bit set); -0.0
// is made +0.0 first, as == treats them.
inline std::uint64_t ordered_bits(double time) {
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(time + 0.0);
  return (bits & kTimeSign) != 0 ? ~bits : bits | kTimeSign;
}
inline double time_of(std::uint64_t ordered) {
  return std::bit_cast<double>((ordered & kTimeSign) != 0 ? ordered & ~kTimeSign : ~ordered);
}
inline EventKey order_key(double time, std::uint64_t seq) { return (EventKey{ordered_bits(time)} << 64) | seq; }
inline bool before(const EventNode& x, const EventNode& y) { return x.key < y.key; }
// Sorts after every node (+inf and the largest sequence).
inline EventNode sentinel_node() { return EventNode{~EventKey{0}, 0, 0, 0, EventKind::arrival}; }

}  // namespace switchboard::sim
