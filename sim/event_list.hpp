// The future event list: small plain events ordered by (time, insertion
// sequence), so simultaneous events run in the order they were scheduled and
// a run is reproducible. The storage is reused: once it has grown to the
// run's peak, scheduling allocates nothing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/cancellable_heap.hpp"
#include "sim/event_heap.hpp"
#include "sim/event_node.hpp"

namespace switchboard::sim {

// Four parts with one order. Events due at the time of the last one
// popped ("now": an agent answering at once, a callback offer) go to a
// FIFO: all of them were scheduled after every event already waiting for
// that time, so they run after those and in their own order, as (time,
// seq) says, without a trip through a heap. Arrivals go to a heap of their
// own: each call type's arrival chain keeps exactly one arrival pending,
// and it is nearly always among the earliest events (the next call is
// seconds away, conversations and patience minutes), so in the one big
// heap it climbed to the top on every push and its pop walked the heap's
// full depth; in a heap of one node per call type both are nearly free.
// Events that may be taken back (push_cancellable: a caller's patience,
// dropped once an agent answers) go to a small heap that can remove any
// of its nodes. Everything else goes to the main heap. A pop takes the
// earliest of the three heaps' tops (their keys never tie: the sequence is
// in them).
//
// The main and arrivals heaps are event_heap.hpp's, the third is
// cancellable_heap.hpp's; their nodes and the key that orders them are
// event_node.hpp's.
class EventList {
 public:
  void push(double time, EventKind kind, std::uint32_t a = 0, std::uint32_t b = 0, std::uint32_t c = 0) {
    const std::uint64_t seq = next_seq_++;
    grow();
    if (queued_now(time, seq, kind, a, b, c)) return;
    (kind == EventKind::arrival ? arrivals_ : later_).push(Node{order_key(time, seq), a, b, c, kind});
  }
  // An event that may be taken back before it is due (a caller's patience,
  // once an agent answers): the handle for cancel(), or kNoHandle when it
  // is due now (it then runs as any other). A handle stays safe to cancel
  // after its event ran or was cancelled: it then matches nothing.
  static constexpr std::uint64_t kNoHandle = CancellableHeap::kNoHandle;
  std::uint64_t push_cancellable(double time, EventKind kind, std::uint32_t a = 0, std::uint32_t b = 0, std::uint32_t c = 0) {
    const std::uint64_t seq = next_seq_++;
    grow();
    if (queued_now(time, seq, kind, a, b, c)) return kNoHandle;
    return cancellable_.push(Node{order_key(time, seq), a, b, c, kind});
  }
  void cancel(std::uint64_t handle) {
    if (cancellable_.cancel(handle)) --size_;
  }
  // Into the caller's event, field by field: returned by value, the event
  // was built in a temporary with stores of 1, 4 and 8 bytes and copied out
  // with 16-byte loads, which the CPU cannot forward from those stores (a
  // stall of 10% of an event-list run's time, `perf annotate`).
  void pop(Event& into) {
    --size_;
    if (from_now_queue()) {
      into = now_queue_[now_head_++];
      if (now_head_ == now_queue_.size()) {
        now_queue_.clear();
        now_head_ = 0;
      }
      return;
    }
    switch (earliest_heap()) {
      case Heap::cancellable: write_event(cancellable_.pop(), into); break;
      case Heap::arrivals: write_event(arrivals_.pop(), into); break;
      case Heap::later: write_event(later_.pop(), into); break;
    }
    // Never back: an event scheduled in the past (a real-time driver's
    // clock) runs first without the FIFO's events changing their time.
    if (into.time > now_) now_ = into.time;
  }
  Event pop() {
    Event e;
    pop(e);
    return e;
  }
  Event top() const {
    if (from_now_queue()) return now_queue_[now_head_];
    Event e;
    switch (earliest_heap()) {
      case Heap::cancellable: write_event(cancellable_.top(), e); break;
      case Heap::arrivals: write_event(arrivals_.top(), e); break;
      case Heap::later: write_event(later_.top(), e); break;
    }
    return e;
  }
  bool empty() const { return size() == 0; }
  // Counted as events come and go (the three parts' sizes summed cost ten
  // instructions).
  std::size_t size() const { return size_; }
  // The most events pending at once so far: followed here, where the size
  // grows, rather than by the engine after every event.
  std::size_t peak_size() const { return peak_size_; }

 private:
  using Node = EventNode;

  void grow() {
    ++size_;
    if (size_ > peak_size_) peak_size_ = size_;
  }
  // An event due now goes to the FIFO.
  bool queued_now(double time, std::uint64_t seq, EventKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c) {
    if (time != now_) return false;
    now_queue_.push_back(Event{time, seq, kind, a, b, c});
    return true;
  }

  enum class Heap { cancellable, arrivals, later };
  // The heap whose top is the earliest event (their keys never tie: the
  // sequence is in them; an empty heap's sentinel is never the earliest
  // unless all three are empty).
  Heap earliest_heap() const {
    const EventKey arrival = arrivals_.top().key, later = later_.top().key;
    if (cancellable_.top_key() < std::min(arrival, later)) return Heap::cancellable;
    return arrival < later ? Heap::arrivals : Heap::later;
  }
  static void write_event(const Node& n, Event& e) {
    e.time = time_of(static_cast<std::uint64_t>(n.key >> 64));
    e.seq = static_cast<std::uint64_t>(n.key);
    e.kind = n.kind;
    e.a = n.a;
    e.b = n.b;
    e.c = n.c;
  }
  // The earliest key of the three heaps' tops (a sentinel's when all are empty).
  EventKey earliest_key() const { return std::min({cancellable_.top_key(), arrivals_.top().key, later_.top().key}); }
  // A heap's earliest goes first while it is due no later than now (it
  // was scheduled before anything in the FIFO). An empty heap's top, a
  // sentinel, is never due.
  bool from_now_queue() const {
    return now_head_ < now_queue_.size() &&
           !(earliest_key() < order_key(now_, std::numeric_limits<std::uint64_t>::max()));
  }

  EventHeap later_;     // every event but arrivals, not due now
  EventHeap arrivals_;  // the next arrival of each call type
  CancellableHeap cancellable_;
  std::vector<Event> now_queue_;
  std::size_t now_head_ = 0;
  double now_ = -std::numeric_limits<double>::infinity();
  std::uint64_t next_seq_ = 0;
  std::size_t size_ = 0;
  std::size_t peak_size_ = 0;
};

}  // namespace switchboard::sim
