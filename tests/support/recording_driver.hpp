// A driver for core tests: records every action the core asks for, so a test
// can play the outside world by hand (fire timers, answer, hang up).
#pragma once

#include <vector>

#include "core/driver.hpp"

namespace switchboard::test {

struct Ring {
  CallHandle call;
  AgentId agent;
  bool callback;
};

class RecordingDriver : public Driver {
 public:
  struct Timer {
    double at;
    TimerRef ref;
  };
  std::vector<Timer> timers;
  std::vector<CallHandle> digits_asked, self_service, waiting, callbacks_offered;
  std::vector<Ring> rings;
  std::vector<std::pair<CallHandle, AgentHandle>> bridges;
  std::vector<AgentHandle> wrap_ups;
  std::vector<std::pair<CallHandle, EndReason>> releases;
  std::vector<TicketId> tickets;
  struct Prompt {
    CallHandle call;
    int node;
    double seconds;
  };
  std::vector<Prompt> prompts;

  void start_timer(double at, TimerRef ref) override { timers.push_back({at, ref}); }
  void collect_digit(CallHandle c, int, int) override { digits_asked.push_back(c); }
  void run_self_service(CallHandle c, int, int) override { self_service.push_back(c); }
  void caller_waiting(CallHandle c, int) override { waiting.push_back(c); }
  void offer_callback(CallHandle c, int) override { callbacks_offered.push_back(c); }
  void ring_agent(CallHandle c, int, AgentId a, bool cb) override { rings.push_back({c, a, cb}); }
  void bridge(CallHandle c, int, AgentHandle talk) override { bridges.push_back({c, talk}); }
  void start_wrap_up(AgentHandle wrap_up, int) override { wrap_ups.push_back(wrap_up); }
  void release(CallHandle c, int, EndReason r) override { releases.push_back({c, r}); }
  void ticket_opened(TicketId t, int) override { tickets.push_back(t); }
  void play_prompt(CallHandle c, int node, double seconds) override { prompts.push_back({c, node, seconds}); }

  // The handle of `agent`'s latest conversation and wrap-up (the ones to end).
  AgentHandle talk(AgentId agent) const {
    for (auto it = bridges.rbegin(); it != bridges.rend(); ++it)
      if (it->second.agent == agent) return it->second;
    return {agent, 0};
  }
  AgentHandle wrap_up(AgentId agent) const {
    for (auto it = wrap_ups.rbegin(); it != wrap_ups.rend(); ++it)
      if (it->agent == agent) return *it;
    return {agent, 0};
  }

  // The latest call-step timer armed for `call` (the only one that is live).
  TimerRef last_call_timer(CallHandle call) const {
    for (auto it = timers.rbegin(); it != timers.rend(); ++it)
      if (it->ref.kind == TimerKind::call_step && it->ref.target == call.slot) return it->ref;
    return {};
  }
  double last_call_timer_at(CallHandle call) const {
    for (auto it = timers.rbegin(); it != timers.rend(); ++it)
      if (it->ref.kind == TimerKind::call_step && it->ref.target == call.slot) return it->at;
    return -1;
  }
};

}  // namespace switchboard::test
