// The simulated world around the call center: arrivals, callers and agents
// as the behaviour models make them act. World is the core's Driver in every
// simulation engine; an engine only decides *when* each scheduled event
// happens (EventSink) and feeds it back through dispatch(). The event-list
// engine delivers events at their times; the SimGrid engine adds what the
// platform does to them (link latency, CPU time).
#pragma once

#include <cstdint>
#include <vector>

#include "core/call_center.hpp"
#include "core/kpi.hpp"
#include "core/scenario.hpp"
#include "sim/arrivals.hpp"
#include "sim/event_list.hpp"
#include "sim/behaviour.hpp"

namespace switchboard::sim {

struct RunOptions {
  std::uint64_t seed = 1;
  std::uint64_t replication = 0;
  // After the horizon no call arrives; calls in the system are served (or
  // abandon) until it is empty, for at most this long.
  double drain_limit = 86400;
};

struct RunStats {
  std::uint64_t events = 0;
  std::uint64_t calls = 0;        // arrivals, redials included
  std::size_t peak_calls_in_system = 0;
  std::size_t peak_event_list = 0;
  double end_time = 0;
};

// Limits of the deployment an engine may impose (the SimGrid platform's
// trunk channels and IVR ports): an arrival beyond them is turned away.
struct Capacity {
  std::size_t trunk_channels = static_cast<std::size_t>(-1);  // calls in the center at once
  std::size_t ivr_ports = static_cast<std::size_t>(-1);       // calls in the IVR at once
};

// Where the world's future events go.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void schedule(double at, EventKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c) = 0;
  // An event the world may take back (cancel) before it is due; a sink
  // that cannot take events back schedules it as any other and returns
  // EventList::kNoHandle (the core then ignores it when it comes).
  virtual std::uint64_t schedule_cancellable(double at, EventKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c) {
    schedule(at, kind, a, b, c);
    return EventList::kNoHandle;
  }
  virtual void cancel(std::uint64_t /*handle*/) {}
};

class World final : public Driver {
 public:
  World(const Scenario& scenario, RunOptions options, EventSink& sink);

  // Opens the day (horizon start less warm-up) and schedules the first arrivals.
  void start();
  void set_capacity(const Capacity& capacity) { capacity_ = capacity; }
  // For an engine that delivers every event at the time it was scheduled
  // for (the event-list engine): an agent who answers without ringing is
  // answered inside ring_agent instead of through an event due now, which
  // would run at the same time after the events already due (one trip
  // through the event list fewer per call; counted in stats() as an event
  // all the same). Engines that add latency to an answer, or CPU time to
  // each event, leave it off.
  void answer_at_once() { answer_at_once_ = true; }
  // A caller's patience is taken back from the sink (schedule_cancellable)
  // once an agent answers, instead of firing later for a call that talks
  // or has gone. Only where no agent group can be lost (a call taken back
  // to the queue after its agent's loss waits on with the patience it had)
  // and no event costs CPU time.
  void take_back_patience() { take_back_patience_ = true; }
  // Carries out one event at its time. Throws InputError once more than
  // kMaxCallsInSystem calls are in the system (an unstable scenario).
  void dispatch(double now, const Event& e);
  static constexpr std::size_t kMaxCallsInSystem = 1'000'000;
  // True once the horizon is over, no caller is left and none is to come.
  bool finished() const;
  double hard_stop() const { return scenario_.horizon.length + options_.drain_limit; }
  KpiReport report(double end);
  RunStats& stats() { return stats_; }
  const CallCenter& core() const { return core_; }

  // Driver
  void start_timer(double at, TimerRef ref) override;
  void collect_digit(CallHandle call, int call_type, int node) override;
  void run_self_service(CallHandle call, int call_type, int node) override;
  void caller_waiting(CallHandle call, int call_type) override;
  void offer_callback(CallHandle call, int call_type) override;
  void ring_agent(CallHandle call, int call_type, AgentId agent, bool callback) override;
  void bridge(CallHandle call, int call_type, AgentHandle talk) override;
  void start_wrap_up(AgentHandle wrap_up, int group) override;
  void release(CallHandle call, int call_type, EndReason reason) override;
  void ticket_opened(TicketId ticket, int category) override;

 private:
  [[noreturn]] void runaway() const;
  void push(double at, EventKind kind, std::uint32_t a = 0, std::uint32_t b = 0, std::uint32_t c = 0) {
    sink_.schedule(at, kind, a, b, c);
  }

  const Scenario& scenario_;
  RunOptions options_;
  EventSink& sink_;
  const double horizon_end_;  // asked after every event (finished()): one load, not two
  double now_ = 0;
  std::size_t arrival_chains_ = 0;   // call types whose arrivals are not over
  std::size_t redials_pending_ = 0;
  std::vector<ArrivalProcess> arrivals_;  // per call type
  Behaviour behaviour_;
  RunStats stats_;
  Capacity capacity_;
  bool answer_at_once_ = false;
  bool take_back_patience_ = false;
  std::vector<std::uint64_t> patience_;  // by call slot: its patience's handle in the sink
  CallCenter core_;  // last: constructed after the streams it may ask for
};

}  // namespace switchboard::sim
