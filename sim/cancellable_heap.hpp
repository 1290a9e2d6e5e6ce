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
  CancellableHeap() { heap_.push_back(sentinel()); }
  EventKey top_key() const { return heap_[0].key; }
  EventNode top() const { return node(heap_[0]); }
  std::uint64_t push(const EventNode& n) {
    std::uint32_t id;
    if (!free_.empty()) {
      id = free_.back();
      free_.pop_back();
    } else {
      id = static_cast<std::uint32_t>(where_.size());
      where_.push_back(0);
      serial_.push_back(0);
      fields_.emplace_back();
    }
    fields_[id] = Fields{n.a, n.b, n.c, n.kind};
    heap_.push_back(sentinel());
    sift_up(n_++, Entry{n.key, id});
    return std::uint64_t{serial_[id]} << 32 | id;
  }
  EventNode pop() {
    const EventNode top = node(heap_[0]);
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
  // What the heap moves: the order key and the id of the node's other
  // fields, 32 bytes. With the whole node in it (48 bytes) each move was a
  // `rep movs`, and a pushed entry was read back right after the narrower
  // stores that wrote it (a store-forwarding stall; `perf annotate`).
  struct Entry {
    EventKey key;
    std::uint32_t id;
  };
  struct Fields {
    std::uint32_t a = 0, b = 0, c = 0;
    EventKind kind = EventKind::arrival;
  };
  static Entry sentinel() { return Entry{sentinel_node().key, 0}; }
  EventNode node(const Entry& e) const {
    if (e.key == sentinel_node().key) return sentinel_node();
    const Fields& f = fields_[e.id];
    return EventNode{e.key, f.a, f.b, f.c, f.kind};
  }
  void remove_at(std::size_t i) {
    const std::uint32_t id = heap_[i].id;
    ++serial_[id];  // its handle matches nothing from now on
    free_.push_back(id);
    const Entry last = heap_[--n_];
    heap_.pop_back();
    heap_[n_] = sentinel();
    if (i == n_) return;
    if (i > 0 && last.key < heap_[(i - 1) / 2].key) sift_up(i, last);
    else sift_down(i, last);
  }
  void place(std::size_t i, const Entry& e) {
    heap_[i] = e;
    where_[e.id] = static_cast<std::uint32_t>(i);
  }
  // Both walks carry the entry being placed, never reading it back from
  // where it was just stored.
  void sift_up(std::size_t i, const Entry& e) {
    while (i > 0 && e.key < heap_[(i - 1) / 2].key) {
      place(i, heap_[(i - 1) / 2]);
      i = (i - 1) / 2;
    }
    place(i, e);
  }
  void sift_down(std::size_t i, const Entry& e) {
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= n_) break;
      child += heap_[child + 1].key < heap_[child].key;  // the sentinel past the end never wins
      if (!(heap_[child].key < e.key)) break;
      place(i, heap_[child]);
      i = child;
    }
    place(i, e);
  }
  std::vector<Entry> heap_;
  std::vector<Fields> fields_;         // by id: the node's fields but its key
  std::vector<std::uint32_t> where_;   // by id: its place in heap_
  std::vector<std::uint32_t> serial_;  // by id: bumped when it leaves
  std::vector<std::uint32_t> free_;
  std::size_t n_ = 0;
};

}  // namespace switchboard::sim
