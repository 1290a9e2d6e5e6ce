// The future event list: small plain events ordered by (time, insertion
// sequence), so simultaneous events run in the order they were scheduled and
// a run is reproducible. The storage is reused: once it has grown to the
// run's peak, scheduling allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

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

// Two parts with one order. Events due at the time of the last one popped
// ("now": an agent answering at once, a callback offer) go to a FIFO: all
// of them were scheduled after every event already in the heap for that
// time, so they run after those and in their own order, as (time, seq)
// says, without a trip through the heap. Everything else goes to a 4-ary
// heap, popped Floyd's way (the hole walks down to a leaf along the
// smallest children, then the last event climbs back up from there) with
// branch-free comparisons: which child is smallest is a coin toss the CPU
// cannot predict.
class EventList {
 public:
  EventList() { heap_.assign(kArity, sentinel()); }

  void push(double time, EventKind kind, std::uint32_t a = 0, std::uint32_t b = 0, std::uint32_t c = 0) {
    const Event e{time, next_seq_++, kind, a, b, c};
    if (time == now_) {
      now_queue_.push_back(e);
      return;
    }
    // heap_ holds n_ events then kArity sentinels, so every group of
    // children is full and the walk down needs no bounds inside a group.
    if (heap_.size() < n_ + 1 + kArity) heap_.push_back(sentinel());
    heap_[n_ + kArity] = sentinel();
    sift_up(n_++, e);
  }
  Event pop() {
    if (from_now_queue()) {
      const Event e = now_queue_[now_head_++];
      if (now_head_ == now_queue_.size()) {
        now_queue_.clear();
        now_head_ = 0;
      }
      return e;
    }
    const Event top = heap_[0];
    // Never back: an event scheduled in the past (a real-time driver's
    // clock) runs first without the FIFO's events changing their time.
    if (top.time > now_) now_ = top.time;
    const Event last = heap_[--n_];
    heap_[n_] = sentinel();
    if (n_ > 0) {
      const std::size_t hole = hole_to_leaf();
      sift_up(hole, last);
    }
    return top;
  }
  Event top() const { return from_now_queue() ? now_queue_[now_head_] : heap_[0]; }
  bool empty() const { return size() == 0; }
  std::size_t size() const { return n_ + now_queue_.size() - now_head_; }

 private:
  static constexpr std::size_t kArity = 4;
  static Event sentinel() {
    return Event{std::numeric_limits<double>::infinity(), std::numeric_limits<std::uint64_t>::max(), EventKind::arrival, 0, 0, 0};
  }
  // The heap's earliest goes first while it is due no later than now (it
  // was scheduled before anything in the FIFO).
  bool from_now_queue() const { return now_head_ < now_queue_.size() && !(n_ > 0 && heap_[0].time <= now_); }
  // (time, seq) order, computed without branches. Sentinels (+inf, max)
  // come after every event.
  static bool before(const Event& x, const Event& y) {
    return static_cast<bool>(static_cast<int>(x.time < y.time) |
                             (static_cast<int>(x.time == y.time) & static_cast<int>(x.seq < y.seq)));
  }
  void sift_up(std::size_t i, const Event& e) {
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  // Moves the hole at the root down to a leaf, each level filled by its
  // smallest child; returns where the hole ends.
  std::size_t hole_to_leaf() {
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = i * kArity + 1;
      if (first >= n_) return i;
      // Index arithmetic rather than ?: so that the compiler cannot branch.
      const std::size_t l = first + before(heap_[first + 1], heap_[first]);
      const std::size_t r = first + 2 + before(heap_[first + 3], heap_[first + 2]);
      const std::size_t best = l ^ ((l ^ r) & (std::size_t{0} - before(heap_[r], heap_[l])));
      heap_[i] = heap_[best];
      i = best;
    }
  }

  std::vector<Event> heap_;  // n_ events, then kArity sentinels
  std::size_t n_ = 0;
  std::vector<Event> now_queue_;
  std::size_t now_head_ = 0;
  double now_ = -std::numeric_limits<double>::infinity();
  std::uint64_t next_seq_ = 0;
};

}  // namespace switchboard::sim
