// Independent replications of a scenario, optionally on several threads, and
// their summary. Replication r always uses the streams of (seed, r), and the
// results are kept in replication order, so `jobs` never changes a number.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/kpi.hpp"
#include "core/scenario.hpp"
#include "sim/simulator.hpp"
#include "sim/statistics.hpp"

namespace switchboard::sim {

struct ReplicationPlan {
  std::uint64_t seed = 1;
  int replications = 30;
  int jobs = 1;
};

struct ReplicationResults {
  std::vector<KpiReport> reports;   // by replication
  std::vector<RunStats> stats;
};

// `progress(done)` is called on the calling thread as replications finish.
ReplicationResults run_replications(const Scenario& scenario, const ReplicationPlan& plan,
                                    const std::function<void(int done)>& progress = {});

template <std::size_t N>
using Estimates = std::array<Estimate, N>;
using CallEstimates = Estimates<static_cast<int>(CallKpi::count)>;
using QueueEstimates = Estimates<static_cast<int>(QueueKpi::count)>;
using GroupEstimates = Estimates<static_cast<int>(GroupKpi::count)>;
using TicketEstimates = Estimates<static_cast<int>(TicketKpi::count)>;

// The KpiReport's shape, each number replaced by its estimate across replications.
struct Summary {
  int replications = 0;
  CallEstimates total{};
  QueueEstimates total_queue{};
  std::vector<CallEstimates> interval;
  std::vector<QueueEstimates> interval_queue;
  std::vector<CallEstimates> queue;
  std::vector<QueueEstimates> queue_time;
  std::vector<GroupEstimates> group;
  std::vector<std::vector<GroupEstimates>> interval_group;
  Estimate in_system_at_end, tickets_open_at_end, tickets_resolved, tickets_within_sla;
  // The back office (the scenario has one): every group together, per interval, per group.
  bool has_back_office = false;
  TicketEstimates back_office_total{};
  std::vector<TicketEstimates> back_office_interval;
  std::vector<TicketEstimates> back_office_group;
};

Summary summarize(const std::vector<KpiReport>& reports);

}  // namespace switchboard::sim
