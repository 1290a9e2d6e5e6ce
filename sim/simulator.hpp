// The event-list driver: runs one replication of a scenario through the core
// as fast as the CPU allows. Owns the clock, the event list, the arrival
// processes and the behaviour models' random streams.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/call_center.hpp"
#include "core/kpi.hpp"
#include "core/scenario.hpp"
#include "sim/arrivals.hpp"
#include "sim/event_list.hpp"
#include "sim/random.hpp"

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

class Simulator final : public Driver {
 public:
  Simulator(const Scenario& scenario, RunOptions options);
  KpiReport run();
  const RunStats& stats() const { return stats_; }

  // Driver
  void start_timer(double at, TimerRef ref) override;
  void collect_digit(CallHandle call, int call_type, int node) override;
  void run_self_service(CallHandle call, int call_type, int node) override;
  void caller_waiting(CallHandle call, int call_type) override;
  void offer_callback(CallHandle call, int call_type) override;
  void ring_agent(CallHandle call, int call_type, AgentId agent, bool callback) override;
  void bridge(CallHandle call, int call_type, AgentId agent) override;
  void start_wrap_up(AgentId agent, int group) override;
  void release(CallHandle call, int call_type, EndReason reason) override;
  void ticket_opened(TicketId ticket, int category) override;

 private:
  // Per call type: its arrival process and behaviour streams.
  struct TypeStreams {
    ArrivalProcess arrivals;
    RandomStream patience, handle_time, menu, tags, redial, callback, disposition;
  };
  std::uint32_t draw_tags(int call_type);
  void dispatch(const Event& e);

  const Scenario& scenario_;
  RunOptions options_;
  EventList events_;
  double now_ = 0;
  std::size_t redials_pending_ = 0;
  std::vector<TypeStreams> types_;
  std::vector<RandomStream> wrap_up_, answer_;  // per agent group
  RandomStream self_service_, ticket_work_;
  RunStats stats_;
  CallCenter core_;  // last: constructed after the streams it may ask for
};

// Convenience: one replication.
KpiReport simulate_once(const Scenario& scenario, const RunOptions& options, RunStats* stats = nullptr);

}  // namespace switchboard::sim
