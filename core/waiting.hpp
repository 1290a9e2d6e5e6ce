// Calls waiting for an agent. Each queue has one stage per overflow step
// (stage 0 at entry; each widening step opens the next), and each stage one
// list per priority class. A list is ordered by the time the call started
// waiting, so within a class the head always has the longest weighted wait
// (weight × wait + head start) and an agent compares only list heads.
// Lists are intrusive (links indexed by call slot): O(1) removal on abandon.
#pragma once

#include <cstdint>
#include <vector>

#include "core/scenario.hpp"

namespace switchboard {

inline constexpr std::uint32_t kNil = 0xffffffffu;

struct WaitLinks {
  std::uint32_t prev = kNil;
  std::uint32_t next = kNil;
  int list = -1;
  double key = 0;  // time the call started waiting
};

// Which agent groups may take calls from a (queue, stage), with their skill level.
struct GroupLevel {
  int group = 0;
  int level = 1;
};

class WaitingLists {
 public:
  explicit WaitingLists(const Scenario& scenario);

  int stages(int queue) const { return stage_count_[queue]; }
  int slot(int queue, int stage) const { return slot_base_[queue] + stage; }
  // Groups that may serve a slot, best level first.
  const std::vector<GroupLevel>& groups_for(int slot) const { return slot_groups_[slot]; }
  // Slots a group may serve.
  const std::vector<int>& slots_for(int group) const { return group_slots_[group]; }

  void reserve(std::size_t calls);
  void insert(std::uint32_t call, int slot, int priority, double key);
  void remove(std::uint32_t call);
  bool waiting(std::uint32_t call) const { return call < links_.size() && links_[call].list >= 0; }
  int waiting_in_queue(int queue) const { return queue_count_[queue]; }
  int queue_of_list(int list) const { return list_queue_[list]; }
  // When the longest-waiting call of `queue` started waiting; `none` if nobody waits.
  double oldest_wait_start(int queue, double none) const;

  // The waiting call with the longest weighted wait among `group`'s slots, or kNil.
  std::uint32_t best_for_group(int group, double now) const;

 private:
  struct List {
    std::uint32_t head = kNil;
    std::uint32_t tail = kNil;
    double weight = 1;
    double head_start = 0;
  };
  int classes_ = 1;
  std::vector<int> stage_count_;
  std::vector<int> slot_base_;
  std::vector<std::vector<GroupLevel>> slot_groups_;
  std::vector<std::vector<int>> group_slots_;
  std::vector<List> lists_;           // [slot * classes + priority]
  std::vector<int> list_queue_;
  std::vector<int> queue_count_;
  std::vector<WaitLinks> links_;      // by call slot
};

}  // namespace switchboard
