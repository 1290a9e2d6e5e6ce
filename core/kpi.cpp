#include "core/kpi.hpp"

#include <algorithm>
#include <cmath>

namespace switchboard {

namespace {
constexpr int kSecondBins = 3600;      // [0, 3600) s in 1 s bins
constexpr int kMinuteBins = 23 * 60;   // [3600, 86400) s in 60 s bins
constexpr int kBins = kSecondBins + kMinuteBins + 1;  // last bin: a day or more

int bin_of(double w) {
  if (w < kSecondBins) return static_cast<int>(w);
  const int minute = static_cast<int>((w - kSecondBins) / 60);
  return std::min(kSecondBins + minute, kBins - 1);
}
double bin_low(int b) { return b < kSecondBins ? b : kSecondBins + 60.0 * (b - kSecondBins); }
double bin_width(int b) { return b < kSecondBins ? 1.0 : 60.0; }

double ratio(double num, double den) { return den > 0 ? num / den : 0.0; }
}  // namespace

WaitHistogram::WaitHistogram() : bins_(kBins, 0) {}

void WaitHistogram::add(double wait_seconds) {
  ++bins_[bin_of(std::max(0.0, wait_seconds))];
  ++count_;
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
