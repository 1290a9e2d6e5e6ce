// The future event list: a binary heap of small plain events ordered by
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
  talk_ended,       // a: agent, c: disposition + 1 (0 = none)
  wrap_up_ended,    // a: agent
  ticket_resolved,  // a: ticket
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
    std::push_heap(heap_.begin(), heap_.end(), later);
  }
  Event pop() {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    const Event e = heap_.back();
    heap_.pop_back();
    return e;
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }

 private:
  static bool later(const Event& x, const Event& y) {
    return x.time > y.time || (x.time == y.time && x.seq > y.seq);
  }
  std::vector<Event> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace switchboard::sim
