// The future event list: a heap of small plain events ordered by
// (time, insertion sequence), so simultaneous events run in the order they
// were scheduled and a run is reproducible. The heap's storage is reused:
// once it has grown to the run's peak, scheduling allocates nothing.
#pragma once

#include <algorithm>
#include <cstdint>
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

class EventList {
 public:
  void push(double time, EventKind kind, std::uint32_t a = 0, std::uint32_t b = 0, std::uint32_t c = 0) {
    heap_.push_back(Event{time, next_seq_++, kind, a, b, c});
    sift_up(heap_.size() - 1);
  }
  Event pop() {
    const Event top = heap_.front();
    const Event last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(last);
    return top;
  }
  const Event& top() const { return heap_.front(); }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }

 private:
  // A 4-ary heap: half the depth of a binary heap and its children share a
  // cache line or two, which matters as the list grows with waiting callers.
  static constexpr std::size_t kArity = 4;
  static bool before(const Event& x, const Event& y) {
    return x.time < y.time || (x.time == y.time && x.seq < y.seq);
  }
  void sift_up(std::size_t i) {
    const Event e = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  // Places `e` (the old last element) starting from the root.
  void sift_down(const Event& e) {
    const std::size_t n = heap_.size();
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = i * kArity + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t end = std::min(first + kArity, n);
      for (std::size_t c = first + 1; c < end; ++c)
        if (before(heap_[c], heap_[best])) best = c;
      if (!before(heap_[best], e)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = e;
  }
  std::vector<Event> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace switchboard::sim
