#include "core/kpi.hpp"

#include <algorithm>
#include <cmath>

namespace switchboard {

namespace {
// Bin widths grow with the wait: 1 s up to 2 min, 5 s up to 10 min, 30 s up
// to an hour, 5 min up to a day; a last bin holds a day or more. About 600
// bins: a per-interval histogram stays small on long runs.
struct Segment {
  double end;
  double width;
};
constexpr Segment kSegments[] = {{120, 1}, {600, 5}, {3600, 30}, {86400, 300}};

struct BinTable {
  int first[4] = {};
  int bins = 0;
  constexpr BinTable() {
    double start = 0;
    for (int s = 0; s < 4; ++s) {
      first[s] = bins;
      bins += static_cast<int>((kSegments[s].end - start) / kSegments[s].width);
      start = kSegments[s].end;
    }
    bins += 1;  // a day or more
  }
};
constexpr BinTable kTable;
constexpr int kBins = kTable.bins;

int bin_of(double w) {
  double start = 0;
  for (int s = 0; s < 4; ++s) {
    if (w < kSegments[s].end) return kTable.first[s] + static_cast<int>((w - start) / kSegments[s].width);
    start = kSegments[s].end;
  }
  return kBins - 1;
}
double bin_low(int b) {
  double start = 0;
  for (int s = 0; s < 4; ++s) {
    const int next = s + 1 < 4 ? kTable.first[s + 1] : kBins - 1;
    if (b < next) return start + (b - kTable.first[s]) * kSegments[s].width;
    start = kSegments[s].end;
  }
  return kSegments[3].end;
}
double bin_width(int b) {
  for (int s = 0; s < 4; ++s) {
    const int next = s + 1 < 4 ? kTable.first[s + 1] : kBins - 1;
    if (b < next) return kSegments[s].width;
  }
  return 0;
}

double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }
}  // namespace

void WaitHistogram::add(double wait_seconds) {
  if (bins_.empty()) bins_.assign(kBins, 0);  // scopes nobody waited in stay empty
  ++bins_[bin_of(std::max(0.0, wait_seconds))];
  ++count_;
}

void WaitHistogram::remove(double wait_seconds) {
  --bins_[bin_of(std::max(0.0, wait_seconds))];
  --count_;
}

double WaitHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  const double target = q * static_cast<double>(count_);
  double seen = 0;
  for (int b = 0; b < kBins; ++b) {
    if (bins_[b] == 0) continue;
    if (seen + bins_[b] >= target) return bin_low(b) + bin_width(b) * (target - seen) / bins_[b];
    seen += bins_[b];
  }
  return bin_low(kBins - 1);
}

std::string_view name(CallKpi k) {
  switch (k) {
    case CallKpi::offered: return "offered";
    case CallKpi::handled: return "handled";
    case CallKpi::abandoned: return "abandoned";
    case CallKpi::short_abandoned: return "short_abandoned";
    case CallKpi::contained: return "contained";
    case CallKpi::blocked: return "blocked";
    case CallKpi::service_level: return "service_level";
    case CallKpi::asa: return "asa_seconds";
    case CallKpi::mean_wait: return "mean_wait_seconds";
    case CallKpi::p90_wait: return "p90_wait_seconds";
    case CallKpi::max_wait: return "max_wait_seconds";
    case CallKpi::aht: return "aht_seconds";
    case CallKpi::callbacks_offered: return "callbacks_offered";
    case CallKpi::callbacks_handled: return "callbacks_handled";
    case CallKpi::overflows: return "overflows";
    case CallKpi::tickets_created: return "tickets_created";
    case CallKpi::requeued: return "requeued";
    case CallKpi::count: break;
  }
  return "?";
}

std::string_view name(QueueKpi k) {
  switch (k) {
    case QueueKpi::mean_length: return "mean_queue_length";
    case QueueKpi::max_length: return "max_queue_length";
    case QueueKpi::count: break;
  }
  return "?";
}

std::string_view name(GroupKpi k) {
  switch (k) {
    case GroupKpi::occupancy: return "occupancy";
    case GroupKpi::agents_staffed: return "agents_staffed";
    case GroupKpi::count: break;
  }
  return "?";
}

CallKpis derive(const CallCounters& c) {
  CallKpis k{};
  auto set = [&k](CallKpi i, double v) { k[static_cast<int>(i)] = v; };
  set(CallKpi::offered, c.offered);
  set(CallKpi::handled, c.handled);
  set(CallKpi::abandoned, c.abandoned);
  set(CallKpi::short_abandoned, c.short_abandoned);
  set(CallKpi::contained, c.contained);
  set(CallKpi::blocked, c.blocked);
  // docs/kpis.md: SL = answered within T / (calls that waited in a queue,
  // answered or abandoned, less short abandons; callbacks apart).
  set(CallKpi::service_level, ratio(c.answered_within, c.queued - c.short_abandoned - c.callbacks_accepted));
  set(CallKpi::asa, ratio(c.wait_answered_sum, c.wait_answered_count));
  set(CallKpi::mean_wait, ratio(c.wait_sum, static_cast<double>(c.waits.count())));
  set(CallKpi::p90_wait, c.waits.quantile(0.9));
  set(CallKpi::max_wait, c.wait_max);
  set(CallKpi::aht, ratio(c.handle_sum, c.handle_count));
  set(CallKpi::callbacks_offered, c.callbacks_offered);
  set(CallKpi::callbacks_handled, c.callbacks_handled);
  set(CallKpi::overflows, c.overflows);
  set(CallKpi::tickets_created, c.tickets_created);
  set(CallKpi::requeued, c.requeued);
  return k;
}

QueueKpis derive(const QueueTime& q) {
  QueueKpis k{};
  k[static_cast<int>(QueueKpi::mean_length)] = ratio(q.length_integral, q.seconds);
  k[static_cast<int>(QueueKpi::max_length)] = q.length_max;
  return k;
}

GroupKpis derive(const GroupTime& g) {
  GroupKpis k{};
  k[static_cast<int>(GroupKpi::occupancy)] = ratio(g.busy, g.busy + g.idle);
  k[static_cast<int>(GroupKpi::agents_staffed)] = ratio(g.busy + g.idle + g.away, g.seconds);
  return k;
}

}  // namespace switchboard
