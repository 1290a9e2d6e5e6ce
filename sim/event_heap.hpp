// A 4-ary heap of event nodes, popped Floyd's way (the hole walks down to
// a leaf along the smallest children, then the last node climbs back up
// from there) with branch-free comparisons: which child is smallest is a
// coin toss the CPU cannot predict. Sentinels past its end keep every group
// of children full, so the walk needs no bounds inside a group.
#pragma once

#include <cstddef>
#include <vector>

#include "sim/event_node.hpp"

namespace switchboard::sim {

class EventHeap {
 public:
  EventHeap() { nodes_.assign(kArity, sentinel_node()); }
  std::size_t size() const { return n_; }
  // The earliest node; an empty heap's is a sentinel, after every event.
  const EventNode& top() const { return nodes_[0]; }
  void push(const EventNode& e) {
    // nodes_ holds n_ nodes then at least kArity sentinels, so every
    // group of children is full and the walk down needs no bounds inside
    // a group. Every place at or past n_ holds a sentinel (a pop leaves
    // one where its last node was, and nothing moves a node past n_), so
    // a push only grows the vector when it is short.
    if (nodes_.size() < n_ + 1 + kArity) nodes_.push_back(sentinel_node());
    sift_up(n_++, e);
  }
  EventNode pop() {
    const EventNode top = nodes_[0];
    const EventNode last = nodes_[--n_];
    nodes_[n_] = sentinel_node();
    if (n_ > 0) sift_up(hole_to_leaf(), last);
    return top;
  }

 private:
  static constexpr std::size_t kArity = 4;
  void sift_up(std::size_t i, const EventNode& e) {
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
  std::vector<EventNode> nodes_;  // n_ nodes, then sentinels (at least kArity)
  std::size_t n_ = 0;
};

}  // namespace switchboard::sim
