// The boundary between the core and whatever runs it. The core never reads a
// clock or touches a socket: a driver feeds it events stamped with the current
// time (CallCenter::on_*), and the core asks the driver for actions through
// this interface. Every request that needs an answer later is answered by an
// event; the core tolerates answers that arrive after they stopped mattering
// (a caller's patience running out after an agent answered) by checking the
// handle, so drivers never need to cancel anything.
#pragma once

#include <cstdint>

namespace switchboard {

// A call as the driver sees it. `generation` changes whenever the slot is
// reused, so an event for a call that has already left is recognised.
struct CallHandle {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  friend bool operator==(CallHandle, CallHandle) = default;
};

using AgentId = std::uint32_t;
using TicketId = std::uint32_t;

// An agent in one piece of work (a conversation, a wrap-up) as the driver
// sees it: `token` changes whenever the agent's state changes, so the end of
// a talk or wrap-up that no longer applies (the caller hung up first, the
// agent has moved on to another call) is recognised by the core.
struct AgentHandle {
  AgentId agent = 0;
  std::uint32_t token = 0;
  friend bool operator==(AgentHandle, AgentHandle) = default;
};

enum class TimerKind : std::uint8_t {
  call_step,     // IVR prompt finished, menu timeout, next overflow step, ring timeout
  agent_return,  // an agent's no-answer pause is over
  interval,      // a planning interval starts
  ticket_first_response,  // a back-office ticket's first-response due time (escalation)
  ticket_resolution,      // a back-office ticket's resolution due time (breach)
};

// Opaque to the driver: given back unchanged to CallCenter::on_timer.
struct TimerRef {
  TimerKind kind = TimerKind::call_step;
  std::uint32_t target = 0;  // call slot or agent id
  std::uint32_t token = 0;   // stale when it no longer matches the target's
};

enum class EndReason : std::uint8_t {
  handled,      // talk ended after an agent answered
  abandoned,    // the caller hung up while waiting
  contained,    // finished in the IVR (self-service success or a hang-up node)
  busy,         // queue full: busy signal
  closed,       // queue closed
  callback,     // the caller accepted a callback and hung up; the call waits on
};

class Driver {
 public:
  virtual ~Driver() = default;

  // Deliver on_timer(ref) at time `at` (>= now).
  virtual void start_timer(double at, TimerRef ref) = 0;

  // Caller behaviour: the caller hears menu `node` and may press a digit:
  // deliver on_digit, or nothing (the core's menu timeout fires).
  virtual void collect_digit(CallHandle call, int call_type, int node) = 0;
  // The caller is in self-service node `node`: deliver on_self_service_done.
  virtual void run_self_service(CallHandle call, int call_type, int node) = 0;
  // The caller now waits in a queue: when its patience runs out, deliver on_caller_hangup.
  virtual void caller_waiting(CallHandle call, int call_type) = 0;
  // Offer a callback: deliver on_callback_answer.
  virtual void offer_callback(CallHandle call, int call_type) = 0;

  // Agent side. ring: deliver on_agent_answered unless the agent does not
  // answer (the core's ring timeout then fires); an agent who answers
  // without ringing may be answered before ring_agent returns (the core
  // rings an agent as the last thing each of its steps does, so the call
  // and agent are in their ringing state then). bridge: the conversation
  // starts; deliver on_talk_ended with `talk` when it ends. start_wrap_up:
  // deliver on_wrap_up_ended with `wrap_up`. Either may come late (a caller
  // hung up first): the core ignores a handle that no longer matches.
  virtual void ring_agent(CallHandle call, int call_type, AgentId agent, bool callback) = 0;
  virtual void bridge(CallHandle call, int call_type, AgentHandle talk) = 0;
  virtual void start_wrap_up(AgentHandle wrap_up, int group) = 0;

  // The caller's line is released (talk ended, abandoned, busy tone, closed,
  // contained, or a callback accepted). After `abandoned` a caller may redial.
  virtual void release(CallHandle call, int call_type, EndReason reason) = 0;

  // Work on a ticket starts (when it is opened, or with a back office in the
  // scenario when a worker takes it); deliver on_ticket_resolved when it is done.
  virtual void ticket_opened(TicketId ticket, int category) = 0;
  // The ticket of `category` just opened is for `call` (an IVR ticket node:
  // `agent` -1; or the after-call disposition of agent `agent`, an AgentId;
  // the call is still there): a driver that stores tickets links the caller
  // and the call, and records who opened it. Nothing to deliver.
  virtual void ticket_opened_for_call(CallHandle /*call*/, int /*category*/, int /*agent*/) {}

  // The caller now hears prompt or menu node `node` for `seconds` (the core
  // times it; nothing to deliver). Only a driver with audio acts on it.
  virtual void play_prompt(CallHandle /*call*/, int /*node*/, double /*seconds*/) {}
};

}  // namespace switchboard
