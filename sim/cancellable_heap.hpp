// A binary heap of event nodes that knows where each of its nodes is, so
// that one can be taken out before it is due. The event list keeps in it
// only what may be cancelled (callers waiting in a queue: few, most of them
// answered before their patience runs out), so that its main heap does not
// carry their patience until it fires for a call long gone. A handle holds
// a serial number bumped when its node leaves: a stale one matches nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/event_node.hpp"

namespace switchboard::sim {

class CancellableHeap {
 public:
  // What push returns for nothing (and cancel takes as nothing).
  static constexpr std::uint64_t kNoHandle = ~std::uint64_t{0};
  // heap_ holds n_ entries then one sentinel, so that an empty heap's
  // top is one (after every event) without a test.
  CancellableHeap() { heap_.push_back(Entry{sentinel_node(), 0}); }
  const EventNode& top() const { return heap_[0].node; }
  std::uint64_t push(const EventNode& n) {
    std::uint32_t id;
    if (!free_.empty()) {
      id = free_.back();
      free_.pop_back();
    } else {
      id = static_cast<std::uint32_t>(where_.size());
      where_.push_back(0);
      serial_.push_back(0);
    }
    heap_.push_back(Entry{sentinel_node(), 0});
    heap_[n_] = Entry{n, id};
    sift_up(n_++);
    return std::uint64_t{serial_[id]} << 32 | id;
  }
  EventNode pop() {
    const EventNode top = heap_[0].node;
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
    EventNode node;
    std::uint32_t id;
  };
  void remove_at(std::size_t i) {
    const std::uint32_t id = heap_[i].id;
    ++serial_[id];  // its handle matches nothing from now on
    free_.push_back(id);
    const Entry last = heap_[--n_];
    heap_.pop_back();
    heap_[n_] = Entry{sentinel_node(), 0};
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

}  // namespace switchboard::sim
