// The agents of every group: their states, the idle agents of each group in
// the order they became idle (head = longest idle), and the routing policies
// that choose among idle agents. Per-group state counts feed the KPI book.
#pragma once

#include <cstdint>
#include <vector>

#include "core/driver.hpp"
#include "core/kpi_book.hpp"
#include "core/scenario.hpp"
#include "core/waiting.hpp"

namespace switchboard {

inline constexpr AgentId kNoAgent = 0xffffffffu;

enum class AgentState : std::uint8_t { offline, idle, ringing, talking, wrap_up, away };
inline constexpr int kAgentStates = 6;

// Ringing, talking or in wrap-up: counted busy for occupancy.
inline bool is_busy(AgentState s) {
  return s == AgentState::ringing || s == AgentState::talking || s == AgentState::wrap_up;
}

// One cache line (at c = 10,000 agents the records fill much of a core's
// L2): the small fields and the flags together, group, call type and queue
// in 16 bits (scenarios are held to kMaxAgentGroups, kMaxCallTypes and
// kMaxQueues).
struct alignas(64) Agent {
  std::uint32_t token = 0;        // agent timer token
  std::uint32_t prev = kNil;      // idle list links
  std::uint32_t next = kNil;
  // The call being handled, kept until wrap-up ends for the AHT.
  CallHandle call;
  int interval = -1;
  std::uint16_t group = 0;
  std::int16_t call_type = 0;
  std::int16_t queue = kNone;
  AgentState state = AgentState::offline;
  bool logout_pending : 1 = false;  // leaves when the current call is done
  bool callback : 1 = false;
  double talk_start = 0;
  double since = 0;               // entered the current state
  double busy_seconds = 0;        // since login (least-occupied routing)
  double login_at = 0;
};
static_assert(sizeof(Agent) == 64, "the agent record outgrew its cache line: see its field order");

class AgentPool {
 public:
  AgentPool(const Scenario& scenario, KpiBook& kpis);

  Agent& operator[](AgentId id) { return agents_[id]; }
  const Agent& operator[](AgentId id) const { return agents_[id]; }
  std::size_t size() const { return agents_.size(); }
  int logged_in(int group) const { return groups_[group].logged_in; }
  int idle(int group) const { return groups_[group].in_state(AgentState::idle); }
  int count(int group, AgentState state) const { return groups_[group].in_state(state); }
  // Agent ids of a group: [first, first + size).
  AgentId first_of(int group) const { return groups_[group].first; }
  std::uint32_t size_of(int group) const { return groups_[group].size; }

  // Moves an agent to `state`, keeping idle lists and group counts right.
  // Always inline: its callers pass a constant state, and its branches on
  // it fold away (3 calls per call on the hot path).
  [[gnu::always_inline]] inline void set_state(double now, AgentId id, AgentState state);
  // Logs agents in or out until `target` are logged in; busy agents asked to
  // leave finish their call first.
  void staff(double now, int group, int target);

  // An idle agent among `groups` chosen by `policy`, or kNoAgent.
  // `cursor` is the queue's round-robin position.
  AgentId pick(RoutingPolicy policy, const std::vector<GroupLevel>& groups, double now,
               std::uint32_t& cursor) const;

 private:
  struct Group {
    std::uint32_t first = 0;        // agent ids [first, first + size)
    std::uint32_t size = 0;
    std::uint32_t idle_head = kNil;
    std::uint32_t idle_tail = kNil;
    int logged_in = 0;
    int in[kAgentStates] = {};  // agents in each state, by AgentState
    int in_state(AgentState s) const { return in[static_cast<int>(s)]; }
  };
  void unlink_idle(AgentId id);
  void link_idle(AgentId id);
  AgentId longest_idle(const std::vector<GroupLevel>& groups, std::size_t from, std::size_t to) const;

  std::vector<Agent> agents_;
  std::vector<Group> groups_;
  KpiBook& kpis_;
};

// Three or more state changes per call: inline, beside the KPI book's
// group_changed it calls.
inline void AgentPool::unlink_idle(AgentId id) {
  Agent& a = agents_[id];
  Group& g = groups_[a.group];
  if (a.prev == kNil) g.idle_head = a.next; else agents_[a.prev].next = a.next;
  if (a.next == kNil) g.idle_tail = a.prev; else agents_[a.next].prev = a.prev;
  a.prev = a.next = kNil;
}

inline void AgentPool::link_idle(AgentId id) {
  Agent& a = agents_[id];
  Group& g = groups_[a.group];
  a.prev = g.idle_tail;
  a.next = kNil;
  if (g.idle_tail == kNil) g.idle_head = id; else agents_[g.idle_tail].next = id;
  g.idle_tail = id;
}

inline void AgentPool::set_state(double now, AgentId id, AgentState state) {
  Agent& a = agents_[id];
  const AgentState old = a.state;
  if (old == state) return;
  Group& g = groups_[a.group];
  if (old == AgentState::idle) unlink_idle(id);
  else if (is_busy(old)) a.busy_seconds += now - a.since;
  else if (old == AgentState::offline) { ++g.logged_in; a.login_at = now; a.busy_seconds = 0; }
  if (state == AgentState::idle) link_idle(id);
  else if (state == AgentState::offline) { --g.logged_in; a.logout_pending = false; }
  --g.in[static_cast<int>(old)];
  ++g.in[static_cast<int>(state)];
  a.state = state;
  a.since = now;
  ++a.token;
  kpis_.group_changed(now, a.group, g.in_state(AgentState::idle),
                      g.in_state(AgentState::ringing) + g.in_state(AgentState::talking) + g.in_state(AgentState::wrap_up),
                      g.in_state(AgentState::away));
}

}  // namespace switchboard
