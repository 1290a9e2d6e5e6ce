// The call center as a pure state machine: ACD (queues, skills, priorities,
// overflow, callbacks), the IVR flow and tickets, with KPI accounting.
// A driver owns time; it calls the on_* methods with the current time, in
// non-decreasing order, and carries out what the core asks of it through
// the Driver interface. Nothing here allocates per event once the pools have
// grown to the largest number of calls in the system.
#pragma once

#include <cstdint>
#include <vector>

#include "core/agents.hpp"
#include "core/driver.hpp"
#include "core/kpi_book.hpp"
#include "core/kpi_metrics.hpp"
#include "core/scenario.hpp"
#include "core/ticket_lookup.hpp"
#include "core/tickets.hpp"
#include "core/waiting.hpp"

namespace switchboard {

struct CallCenterOptions {
  // Always arm a ring-no-answer timer, even when the scenario's agents always
  // answer (real SIP agents may not).
  bool always_ring_timeout = false;
  // Agents log in and out one by one through on_agent_login/on_agent_logout
  // (SIP agents registering) instead of following the scenario's staffing;
  // the scenario's staffing then only sizes each group's pool.
  bool roster_by_driver = false;
  // Answers the IVR's ticket_status nodes; null: every lookup is a miss.
  TicketLookup* ticket_lookup = nullptr;
};

class CallCenter {
 public:
  CallCenter(const Scenario& scenario, Driver& driver, CallCenterOptions options = {});
  CallCenter(const CallCenter&) = delete;
  CallCenter& operator=(const CallCenter&) = delete;

  // Opens the day at `now` (the horizon start less the warm-up): logs in the
  // first interval's agents and arms the interval timers.
  void start(double now);

  CallHandle on_call_arrived(double now, int call_type, std::uint32_t tags);
  void on_timer(double now, TimerRef ref);
  void on_digit(double now, CallHandle call, char digit);
  void on_self_service_done(double now, CallHandle call, bool success);
  void on_caller_hangup(double now, CallHandle call);
  void on_callback_answer(double now, CallHandle call, bool accepted);
  // A callback accepted before the driver restarted (it kept the promise in
  // a store): the call waits in `queue` again, off the line, as a callback;
  // it counts as a call offered now. The driver gets ring_agent(..., true).
  CallHandle restore_callback(double now, int call_type, int queue, int priority, std::uint32_t tags);
  // Where a call is (its current queue, kNone outside one; its priority and
  // tags): what a driver stores with a callback's promise or a ticket.
  struct Placement {
    int queue = kNone;
    int priority = 0;
    std::uint32_t tags = 0;
  };
  Placement placement(CallHandle call) const {
    const bool known = call.slot < calls_.size() && calls_[call.slot].generation == call.generation;
    if (!known) return {};
    const Call& c = calls_[call.slot];
    return {c.queue, c.priority, c.tags};
  }
  void on_agent_answered(double now, AgentId agent, CallHandle call);
  // `talk` is the handle given to Driver::bridge, `wrap_up` the one given to
  // Driver::start_wrap_up; a stale one is ignored. `disposition`: ticket
  // category the agent opens after the call, or kNone.
  void on_talk_ended(double now, AgentHandle talk, int disposition = kNone);
  void on_wrap_up_ended(double now, AgentHandle wrap_up);
  void on_ticket_resolved(double now, TicketId ticket);
  // The agent could not be reached or declined (a SIP error to the agent's
  // INVITE): a ring-no-answer now, without waiting for the ring timeout.
  void on_ring_failed(double now, AgentId agent, CallHandle call);
  // Logs agents of `group` in or out until `agents` are logged in (busy ones
  // leave after their call); those who come take waiting calls at once.
  void set_staffing(double now, int group, int agents);
  // With roster_by_driver: one agent starts or ends a shift. An agent busy
  // with a call leaves once it is done (wrap-up included).
  void on_agent_login(double now, AgentId agent);
  void on_agent_logout(double now, AgentId agent);
  // Every agent of `group` is gone for good (their site lost its link): the
  // calls ringing or talking with them go back to their place in the queue.
  void on_group_lost(double now, int group);

  // Closes the time-weighted accounting at `now` and returns the KPIs.
  KpiReport report(double now);

  std::size_t calls_in_system() const { return calls_in_system_; }
  std::size_t calls_in_ivr() const { return calls_in_ivr_; }
  // A call the driver turned away before it reached the center (no trunk
  // channel or IVR port free): offered and blocked, in the arrival interval.
  void on_call_refused(double now, int call_type);
  std::uint64_t events() const { return events_; }
  const Scenario& scenario() const { return scenario_; }
  const AgentPool& agents() const { return agents_; }
  // The agent's current piece of work: what a driver passes when the end
  // of it is an event of now (a SIP agent's or caller's BYE).
  AgentHandle current(AgentId agent) const { return {agent, agents_[agent].token}; }
  const TicketBook& tickets() const { return tickets_; }
  const KpiBook& kpis() const { return kpis_; }
  int waiting_in_queue(int queue) const { return waiting_.waiting_in_queue(queue); }
  // How long the longest-waiting call of `queue` has waited (0 if none).
  double longest_wait(double now, int queue) const { return now - waiting_.oldest_wait_start(queue, now); }

 private:
  enum class CallState : std::uint8_t { free, ivr_prompt, ivr_menu, ivr_self_service, queued, ringing, talking };

  // One cache line (at c = 10,000 the calls in the system fill much of a
  // core's L2, and a 72-byte record spanned two lines): the small fields
  // together, priority class and overflow stage in 16 bits (scenarios are
  // held to kMaxPriorityClasses and kMaxOverflowSteps).
  struct alignas(64) Call {
    std::uint32_t generation = 0;
    std::uint32_t token = 0;       // current timer token; bumped on every state change
    CallState state = CallState::free;
    bool counted = false;          // arrived inside the horizon (after warm-up)
    bool callback = false;         // the caller accepted a callback and is off the line
    bool callback_offered = false;
    bool patience_running = false; // the driver was told the caller waits
    bool patience_spent = false;   // the caller's patience ran out while it talked (ignored then)
    std::int8_t retries_left = 0;
    std::uint8_t hops = 0;         // queue-to-queue moves (when full / closed): at most kMaxHops
    std::int16_t priority = 0;
    std::int16_t stage = 0;        // overflow stage in the current queue
    int call_type = 0;
    std::uint32_t tags = 0;
    int node = kNone;              // IVR node, while in the IVR
    int queue = kNone;             // current queue
    int first_queue = kNone;       // queue the call is attributed to
    int interval = -1;             // arrival interval
    AgentId agent = 0;
    double wait_start = 0;         // first entry into a queue
    double queue_entry = 0;        // entry into the current queue (overflow clock)
  };
  static_assert(sizeof(Call) == 64, "the call record outgrew its cache line: see its field order");

  Call* find(CallHandle h);
  void set_state(Call& c, CallState state);
  CallHandle allocate_call();
  void free_call(std::uint32_t slot);
  CallHandle handle(std::uint32_t slot) const { return {slot, calls_[slot].generation}; }
  void arm_call_timer(std::uint32_t slot, double at);

  // IVR (core/call_center_ivr.cpp)
  void enter_node(double now, std::uint32_t slot, int node);
  void menu_prompt(double now, std::uint32_t slot);
  void menu_failed(double now, std::uint32_t slot);
  void on_call_step(double now, std::uint32_t slot);

  // ACD (core/call_center_acd.cpp)
  void enter_queue(double now, std::uint32_t slot, int queue, int priority);
  void wait_in_queue(double now, std::uint32_t slot);
  void leave_waiting(double now, std::uint32_t slot);
  void arm_overflow(double now, std::uint32_t slot);
  void finish_handling(double now, AgentId agent);
  void take_overflow_step(double now, std::uint32_t slot);
  bool offer_to_idle_agent(double now, std::uint32_t slot);
  void offer(double now, std::uint32_t slot, AgentId agent);
  void agent_available(double now, AgentId agent);
  void ring_no_answer(double now, std::uint32_t slot);
  bool queue_open(double now, int queue) const;
  double expected_wait(int queue) const;

  // Endings and accounting
  void end_call(double now, std::uint32_t slot, EndReason reason);
  void record_outcome(std::uint32_t slot, double wait, bool answered);
  // `agent`: the agent whose disposition opens it; kNone: the IVR.
  void open_ticket(double now, std::uint32_t slot, int category, int agent = kNone);
  void on_interval(double now, int index);
  void apply_staffing(double now, int interval);
  void serve_waiting_calls(double now, int group);
  void requeue_after_loss(double now, AgentId agent);
  void sample_kpis(double now);  // appends to timeline_ (KpiReport::timeline)

  const Scenario& scenario_;
  Driver& driver_;
  CallCenterOptions options_;
  std::vector<Call> calls_;
  std::vector<std::uint32_t> free_slots_;
  std::size_t calls_in_system_ = 0;
  std::uint64_t events_ = 0;
  KpiBook kpis_;
  KpiLayout kpi_layout_;
  KpiTimeline timeline_;
  WaitingLists waiting_;
  AgentPool agents_;
  TicketBook tickets_;
  std::vector<double> queue_aht_;   // running handle-time estimate per queue (expected wait)
  std::vector<std::uint32_t> round_robin_;  // per queue: round-robin cursor
  std::size_t calls_talking_ = 0;
  std::size_t calls_in_ivr_ = 0;
  std::vector<bool> group_lost_;
  // Per group: whether a rung agent may not answer at once (a ring timeout
  // to arm): always_ring_timeout, a no-answer probability or an answer delay.
  std::vector<char> may_not_answer_;
  std::vector<std::vector<GroupLevel>> group_alone_;  // per group: {{group, 1}}, for picks within one group
};

}  // namespace switchboard
