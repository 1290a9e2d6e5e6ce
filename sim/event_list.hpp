// The future event list: small plain events ordered by (time, insertion
// sequence), so simultaneous events run in the order they were scheduled and
// a run is reproducible. The storage is reused: once it has grown to the
// run's peak, scheduling allocates nothing.
#pragma once

#include <bit>
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
// Each heap is 4-ary, popped Floyd's way (the hole walks down to a leaf
// along the smallest children, then the last event climbs back up from
// there) with branch-free comparisons: which child is smallest is a coin
// toss the CPU cannot predict. A heap node orders by one 128-bit integer,
// the time's bits made to sort as numbers above the sequence, so comparing
// two nodes is one integer comparison instead of two floating-point ones
// and an integer one.
class EventList {
 public:
  void push(double time, EventKind kind, std::uint32_t a = 0, std::uint32_t b = 0, std::uint32_t c = 0) {
    const std::uint64_t seq = next_seq_++;
    ++size_;
    if (queued_now(time, seq, kind, a, b, c)) return;
    (kind == EventKind::arrival ? arrivals_ : later_).push(Node{order_key(time, seq), a, b, c, kind});
  }
  // An event that may be taken back before it is due (a caller's patience,
  // once an agent answers): the handle for cancel(), or kNoHandle when it
  // is due now (it then runs as any other). A handle stays safe to cancel
  // after its event ran or was cancelled: it then matches nothing.
  static constexpr std::uint64_t kNoHandle = ~std::uint64_t{0};
  std::uint64_t push_cancellable(double time, EventKind kind, std::uint32_t a = 0, std::uint32_t b = 0, std::uint32_t c = 0) {
    const std::uint64_t seq = next_seq_++;
    ++size_;
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
    const Node& later = earlier(arrivals_.top(), later_.top());
    if (before(cancellable_.top(), later)) write_event(cancellable_.pop(), into);
    else write_event(&later == &arrivals_.top() ? arrivals_.pop() : later_.pop(), into);
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
    write_event(earlier(cancellable_.top(), earlier(arrivals_.top(), later_.top())), e);
    return e;
  }
  bool empty() const { return size() == 0; }
  // Counted as events come and go: the engine reads it after every event
  // (its peak), and the three parts' sizes summed cost ten instructions.
  std::size_t size() const { return size_; }

 private:
  __extension__ typedef unsigned __int128 Key;  // GCC and Clang have it on every 64-bit target
  struct Node {
    Key key;  // time's ordered bits << 64 | seq
    std::uint32_t a, b, c;
    EventKind kind;
  };
  static constexpr std::uint64_t kSign = std::uint64_t{1} << 63;

  // An event due now goes to the FIFO.
  bool queued_now(double time, std::uint64_t seq, EventKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c) {
    if (time != now_) return false;
    now_queue_.push_back(Event{time, seq, kind, a, b, c});
    return true;
  }

  // A double's bits as an unsigned integer that sorts as the numbers do
  // (negatives flipped whole, non-negatives with the sign bit set); -0.0
  // is made +0.0 first, as == treats them.
  static std::uint64_t ordered_bits(double time) {
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(time + 0.0);
    return (bits & kSign) != 0 ? ~bits : bits | kSign;
  }
  static double time_of(std::uint64_t ordered) {
    return std::bit_cast<double>((ordered & kSign) != 0 ? ordered & ~kSign : ~ordered);
  }
  static Key order_key(double time, std::uint64_t seq) { return (Key{ordered_bits(time)} << 64) | seq; }
  static void write_event(const Node& n, Event& e) {
    e.time = time_of(static_cast<std::uint64_t>(n.key >> 64));
    e.seq = static_cast<std::uint64_t>(n.key);
    e.kind = n.kind;
    e.a = n.a;
    e.b = n.b;
    e.c = n.c;
  }
  static bool before(const Node& x, const Node& y) { return x.key < y.key; }
  static const Node& earlier(const Node& x, const Node& y) { return before(x, y) ? x : y; }
  // Sorts after every node (+inf and the largest sequence).
  static Node sentinel() { return Node{~Key{0}, 0, 0, 0, EventKind::arrival}; }

  class Heap {
   public:
    Heap() { nodes_.assign(kArity, sentinel()); }
    std::size_t size() const { return n_; }
    // The earliest node; an empty heap's is a sentinel, after every event.
    const Node& top() const { return nodes_[0]; }
    void push(const Node& e) {
      // nodes_ holds n_ nodes then at least kArity sentinels, so every
      // group of children is full and the walk down needs no bounds inside
      // a group. Every place at or past n_ holds a sentinel (a pop leaves
      // one where its last node was, and nothing moves a node past n_), so
      // a push only grows the vector when it is short.
      if (nodes_.size() < n_ + 1 + kArity) nodes_.push_back(sentinel());
      sift_up(n_++, e);
    }
    Node pop() {
      const Node top = nodes_[0];
      const Node last = nodes_[--n_];
      nodes_[n_] = sentinel();
      if (n_ > 0) sift_up(hole_to_leaf(), last);
      return top;
    }

   private:
    static constexpr std::size_t kArity = 4;
    void sift_up(std::size_t i, const Node& e) {
      while (i > 0) {
        const std::size_t parent = (i - 1) / kArity;
        if (!before(e, nodes_[parent])) break;
        nodes_[i] = nodes_[parent];
        i = parent;
      }
      nodes_[i] = e;
    }
    // Moves the hole at the root down to a leaf, each level filled by its
    // smallest child; returns where the hole ends.
    std::size_t hole_to_leaf() {
      std::size_t i = 0;
      for (;;) {
        const std::size_t first = i * kArity + 1;
        if (first >= n_) return i;
        // Index arithmetic rather than ?: so that the compiler cannot branch.
        const std::size_t l = first + before(nodes_[first + 1], nodes_[first]);
        const std::size_t r = first + 2 + before(nodes_[first + 3], nodes_[first + 2]);
        const std::size_t best = l ^ ((l ^ r) & (std::size_t{0} - before(nodes_[r], nodes_[l])));
        nodes_[i] = nodes_[best];
        i = best;
      }
    }
    std::vector<Node> nodes_;  // n_ nodes, then sentinels (at least kArity)
    std::size_t n_ = 0;
  };

  // A binary heap that knows where each of its nodes is, so that one can
  // be taken out before it is due. It holds only what may be cancelled
  // (callers waiting in a queue: few, most of them answered before their
  // patience runs out), so the main heap no longer carries their patience
  // until it fires for a call long gone.
  class Cancellable {
   public:
    // heap_ holds n_ entries then one sentinel, so that an empty heap's
    // top is one (after every event) without a test.
    Cancellable() { heap_.push_back(Entry{sentinel(), 0}); }
    const Node& top() const { return heap_[0].node; }
    std::uint64_t push(const Node& n) {
      std::uint32_t id;
      if (!free_.empty()) {
        id = free_.back();
        free_.pop_back();
      } else {
        id = static_cast<std::uint32_t>(where_.size());
        where_.push_back(0);
        serial_.push_back(0);
      }
      heap_.push_back(Entry{sentinel(), 0});
      heap_[n_] = Entry{n, id};
      sift_up(n_++);
      return std::uint64_t{serial_[id]} << 32 | id;
    }
    Node pop() {
      const Node top = heap_[0].node;
      remove_at(0);
      return top;
    }
    bool cancel(std::uint64_t handle) {
      const auto id = static_cast<std::uint32_t>(handle);
      if (handle == kNoHandle || id >= serial_.size() || serial_[id] != static_cast<std::uint32_t>(handle >> 32)) return false;
      remove_at(where_[id]);
      return true;
    }

   private:
    struct Entry {
      Node node;
      std::uint32_t id;
    };
    void remove_at(std::size_t i) {
      const std::uint32_t id = heap_[i].id;
      ++serial_[id];  // its handle matches nothing from now on
      free_.push_back(id);
      const Entry last = heap_[--n_];
      heap_.pop_back();
      heap_[n_] = Entry{sentinel(), 0};
      if (i == n_) return;
      place(i, last);
      if (i > 0 && before(last.node, heap_[(i - 1) / 2].node)) sift_up(i);
      else sift_down(i);
    }
    void place(std::size_t i, const Entry& e) {
      heap_[i] = e;
      where_[e.id] = static_cast<std::uint32_t>(i);
    }
    void sift_up(std::size_t i) {
      const Entry e = heap_[i];
      while (i > 0 && before(e.node, heap_[(i - 1) / 2].node)) {
        place(i, heap_[(i - 1) / 2]);
        i = (i - 1) / 2;
      }
      place(i, e);
    }
    void sift_down(std::size_t i) {
      const Entry e = heap_[i];
      for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n_) break;
        child += before(heap_[child + 1].node, heap_[child].node);  // the sentinel past the end never wins
        if (!before(heap_[child].node, e.node)) break;
        place(i, heap_[child]);
        i = child;
      }
      place(i, e);
    }
    std::vector<Entry> heap_;
    std::vector<std::uint32_t> where_;   // by id: its place in heap_
    std::vector<std::uint32_t> serial_;  // by id: bumped when it leaves
    std::vector<std::uint32_t> free_;
    std::size_t n_ = 0;
  };

  // A heap's earliest goes first while it is due no later than now (it
  // was scheduled before anything in the FIFO). An empty heap's top, a
  // sentinel, is never due.
  bool from_now_queue() const {
    return now_head_ < now_queue_.size() &&
           !(earlier(cancellable_.top(), earlier(arrivals_.top(), later_.top())).key <
             order_key(now_, std::numeric_limits<std::uint64_t>::max()));
  }

  Heap later_;     // every event but arrivals, not due now
  Heap arrivals_;  // the next arrival of each call type
  Cancellable cancellable_;
  std::vector<Event> now_queue_;
  std::size_t now_head_ = 0;
  double now_ = -std::numeric_limits<double>::infinity();
  std::uint64_t next_seq_ = 0;
  std::size_t size_ = 0;
};

}  // namespace switchboard::sim
