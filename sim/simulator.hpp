// The event-list engine: runs one replication of a scenario as fast as the
// CPU allows, delivering the world's events in (time, sequence) order.
#pragma once

#include "core/kpi.hpp"
#include "core/scenario.hpp"
#include "sim/event_list.hpp"
#include "sim/world.hpp"

namespace switchboard::sim {

class Simulator final : public EventSink {
 public:
  Simulator(const Scenario& scenario, RunOptions options);
  KpiReport run();
  const RunStats& stats() { return world_.stats(); }

  void schedule(double at, EventKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c) override {
    events_.push(at, kind, a, b, c);
  }
  std::uint64_t schedule_cancellable(double at, EventKind kind, std::uint32_t a, std::uint32_t b, std::uint32_t c) override {
    return events_.push_cancellable(at, kind, a, b, c);
  }
  void cancel(std::uint64_t handle) override { events_.cancel(handle); }

 private:
  EventList events_;
  World world_;
};

// One replication on the event-list engine.
KpiReport simulate_once(const Scenario& scenario, const RunOptions& options, RunStats* stats = nullptr);

}  // namespace switchboard::sim
