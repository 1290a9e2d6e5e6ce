#include "sim/replications.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace switchboard::sim {

ReplicationResults run_replications(const Scenario& scenario, const ReplicationPlan& plan,
                                    const std::function<void(int)>& progress) {
  const int n = plan.replications;
  ReplicationResults results;
  results.reports.resize(n);
  results.stats.resize(n);
  std::atomic<int> next{0};
  std::mutex mutex;
  std::condition_variable changed;
  int done = 0;
  std::exception_ptr failure;

  auto worker = [&] {
    for (int r = next++; r < n; r = next++) {
      try {
        RunOptions options;
        options.seed = plan.seed;
        options.replication = static_cast<std::uint64_t>(r);
        RunStats stats;
        KpiReport report = simulate_once(scenario, options, &stats);
        std::lock_guard lock(mutex);
        results.reports[r] = std::move(report);
        results.stats[r] = stats;
        ++done;
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        ++done;
      }
      changed.notify_one();
    }
  };
  const int jobs = std::clamp(plan.jobs, 1, std::max(1, n));
  std::vector<std::thread> threads;
  for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);
  {
    std::unique_lock lock(mutex);
    int reported = 0;
    while (reported < n) {
      changed.wait(lock, [&] { return done > reported; });
      reported = done;
      if (progress) {
        lock.unlock();
        progress(reported);
        lock.lock();
      }
    }
  }
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  return results;
}

namespace {

template <std::size_t N, class Get>
std::array<Estimate, N> estimate_array(const std::vector<KpiReport>& reports, Get get) {
  std::array<Estimate, N> out{};
  std::vector<double> values(reports.size());
  for (std::size_t k = 0; k < N; ++k) {
    for (std::size_t r = 0; r < reports.size(); ++r) values[r] = get(reports[r])[k];
    out[k] = estimate(values);
  }
  return out;
}

template <class Get>
Estimate estimate_scalar(const std::vector<KpiReport>& reports, Get get) {
  std::vector<double> values;
  for (const auto& r : reports) values.push_back(get(r));
  return estimate(values);
}

constexpr std::size_t kCall = static_cast<std::size_t>(CallKpi::count);
constexpr std::size_t kQueue = static_cast<std::size_t>(QueueKpi::count);
constexpr std::size_t kGroup = static_cast<std::size_t>(GroupKpi::count);
constexpr std::size_t kTicket = static_cast<std::size_t>(TicketKpi::count);

}  // namespace

Summary summarize(const std::vector<KpiReport>& reports) {
  Summary s;
  s.replications = static_cast<int>(reports.size());
  if (reports.empty()) return s;
  const KpiReport& first = reports.front();
  s.total = estimate_array<kCall>(reports, [](const KpiReport& r) { return r.total; });
  s.total_queue = estimate_array<kQueue>(reports, [](const KpiReport& r) { return r.total_queue; });
  for (std::size_t i = 0; i < first.interval.size(); ++i) {
    s.interval.push_back(estimate_array<kCall>(reports, [i](const KpiReport& r) { return r.interval[i]; }));
    s.interval_queue.push_back(estimate_array<kQueue>(reports, [i](const KpiReport& r) { return r.interval_queue[i]; }));
    std::vector<GroupEstimates> groups;
    for (std::size_t g = 0; g < first.interval_group[i].size(); ++g)
      groups.push_back(estimate_array<kGroup>(reports, [i, g](const KpiReport& r) { return r.interval_group[i][g]; }));
    s.interval_group.push_back(std::move(groups));
  }
  for (std::size_t q = 0; q < first.queue.size(); ++q) {
    s.queue.push_back(estimate_array<kCall>(reports, [q](const KpiReport& r) { return r.queue[q]; }));
    s.queue_time.push_back(estimate_array<kQueue>(reports, [q](const KpiReport& r) { return r.queue_time[q]; }));
  }
  for (std::size_t g = 0; g < first.group.size(); ++g)
    s.group.push_back(estimate_array<kGroup>(reports, [g](const KpiReport& r) { return r.group[g]; }));
  s.in_system_at_end = estimate_scalar(reports, [](const KpiReport& r) { return r.in_system_at_end; });
  s.tickets_open_at_end = estimate_scalar(reports, [](const KpiReport& r) { return r.tickets_open_at_end; });
  s.tickets_resolved = estimate_scalar(reports, [](const KpiReport& r) { return r.tickets_resolved; });
  s.tickets_within_sla = estimate_scalar(reports, [](const KpiReport& r) { return r.tickets_within_sla; });
  s.has_back_office = first.has_back_office;
  if (!s.has_back_office) return s;
  s.back_office_total = estimate_array<kTicket>(reports, [](const KpiReport& r) { return r.back_office_total; });
  for (std::size_t i = 0; i < first.back_office_interval.size(); ++i)
    s.back_office_interval.push_back(
        estimate_array<kTicket>(reports, [i](const KpiReport& r) { return r.back_office_interval[i]; }));
  for (std::size_t g = 0; g < first.back_office_group.size(); ++g)
    s.back_office_group.push_back(estimate_array<kTicket>(reports, [g](const KpiReport& r) { return r.back_office_group[g]; }));
  return s;
}

}  // namespace switchboard::sim
