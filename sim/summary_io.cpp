#include "sim/summary_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace switchboard::sim {

namespace {

constexpr int kCall = static_cast<int>(CallKpi::count);
constexpr int kQueue = static_cast<int>(QueueKpi::count);
constexpr int kGroup = static_cast<int>(GroupKpi::count);
constexpr int kTicket = static_cast<int>(TicketKpi::count);

std::string back_office_name(int k) { return "back_office_" + std::string(name(static_cast<TicketKpi>(k))); }

nlohmann::json estimate_json(const Estimate& e) {
  return {{"mean", e.mean}, {"ci95", {e.low(), e.high()}}};
}

template <class Kpi, std::size_t N>
void add_estimates(nlohmann::json& out, const std::array<Estimate, N>& values) {
  for (std::size_t k = 0; k < N; ++k) out[std::string(name(static_cast<Kpi>(k)))] = estimate_json(values[k]);
}

std::string number(double v) {
  if (!std::isfinite(v)) return "";
  return fmt::format("{}", v);
}

template <class Kpi, std::size_t N>
void csv_header(std::string& out, const std::array<Estimate, N>&) {
  for (std::size_t k = 0; k < N; ++k) {
    const auto n = name(static_cast<Kpi>(k));
    out += fmt::format(",{},{}_ci95_low,{}_ci95_high", n, n, n);
  }
}

template <std::size_t N>
void csv_values(std::string& out, const std::array<Estimate, N>& values) {
  for (const auto& e : values) out += "," + number(e.mean) + "," + number(e.low()) + "," + number(e.high());
}

std::string pm(const Estimate& e, const char* spec) {
  return fmt::format(fmt::runtime(spec), e.mean) + " ± " + fmt::format(fmt::runtime(spec), e.half_width);
}

std::string back_office_table(const Scenario& scenario, const Summary& s);

}  // namespace

std::string clock_label(const Horizon& horizon, double t) {
  double clock = std::fmod(horizon.start_clock + t, 86400.0);
  if (clock < 0) clock += 86400.0;
  const int minutes = static_cast<int>(std::floor(clock / 60.0 + 1e-9));
  return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60);
}

nlohmann::json to_json(const Scenario& scenario, const RunInfo& info, const Summary& s) {
  nlohmann::json j;
  j["scenario"] = scenario.name;
  j["engine"] = info.engine;
  j["seed"] = info.seed;
  j["replications"] = s.replications;
  j["confidence"] = 0.95;
  j["answer_within_seconds"] = scenario.targets.answer_within;
  j["short_abandon_seconds"] = scenario.targets.short_abandon;
  nlohmann::json totals = nlohmann::json::object();
  add_estimates<CallKpi>(totals, s.total);
  add_estimates<QueueKpi>(totals, s.total_queue);
  totals["in_system_at_end"] = estimate_json(s.in_system_at_end);
  totals["tickets_resolved"] = estimate_json(s.tickets_resolved);
  totals["tickets_resolved_within_sla"] = estimate_json(s.tickets_within_sla);
  totals["tickets_open_at_end"] = estimate_json(s.tickets_open_at_end);
  if (s.has_back_office) {
    nlohmann::json bo = nlohmann::json::object();
    add_estimates<TicketKpi>(bo, s.back_office_total);
    totals["back_office"] = bo;
  }
  j["totals"] = totals;
  nlohmann::json intervals = nlohmann::json::array();
  for (std::size_t i = 0; i < s.interval.size(); ++i) {
    nlohmann::json row;
    row["interval"] = i;
    row["start"] = clock_label(scenario.horizon, static_cast<double>(i) * scenario.horizon.interval);
    add_estimates<CallKpi>(row, s.interval[i]);
    add_estimates<QueueKpi>(row, s.interval_queue[i]);
    nlohmann::json groups = nlohmann::json::object();
    for (std::size_t g = 0; g < s.interval_group[i].size(); ++g) {
      nlohmann::json gj = nlohmann::json::object();
      add_estimates<GroupKpi>(gj, s.interval_group[i][g]);
      groups[scenario.groups[g].name] = gj;
    }
    row["groups"] = groups;
    if (s.has_back_office) {
      nlohmann::json bo = nlohmann::json::object();
      add_estimates<TicketKpi>(bo, s.back_office_interval[i]);
      row["back_office"] = bo;
    }
    intervals.push_back(row);
  }
  j["intervals"] = intervals;
  nlohmann::json queues = nlohmann::json::array();
  for (std::size_t q = 0; q < s.queue.size(); ++q) {
    nlohmann::json row;
    row["queue"] = scenario.queues[q].name;
    add_estimates<CallKpi>(row, s.queue[q]);
    add_estimates<QueueKpi>(row, s.queue_time[q]);
    queues.push_back(row);
  }
  j["queues"] = queues;
  nlohmann::json groups = nlohmann::json::array();
  for (std::size_t g = 0; g < s.group.size(); ++g) {
    nlohmann::json row;
    row["group"] = scenario.groups[g].name;
    add_estimates<GroupKpi>(row, s.group[g]);
    groups.push_back(row);
  }
  j["groups"] = groups;
  if (s.has_back_office) {
    nlohmann::json bo = nlohmann::json::array();
    for (std::size_t g = 0; g < s.back_office_group.size(); ++g) {
      nlohmann::json row;
      row["group"] = scenario.groups[scenario.back_office[g].group].name;
      add_estimates<TicketKpi>(row, s.back_office_group[g]);
      bo.push_back(row);
    }
    j["back_office_groups"] = bo;
  }
  return j;
}

const std::vector<std::string>& output_file_names() {
  static const std::vector<std::string> names{"totals.csv", "intervals.csv", "queues.csv", "groups.csv", "summary.json"};
  return names;
}

std::vector<std::pair<std::string, std::string>> to_files(const Scenario& scenario, const RunInfo& info,
                                                          const Summary& s) {
  const auto& names = output_file_names();
  std::vector<std::pair<std::string, std::string>> files;
  std::string totals = "metric,mean,ci95_low,ci95_high\n";
  for (int k = 0; k < kCall; ++k) {
    const Estimate& e = s.total[k];
    totals += fmt::format("{},{},{},{}\n", name(static_cast<CallKpi>(k)), number(e.mean), number(e.low()), number(e.high()));
  }
  for (int k = 0; k < kQueue; ++k) {
    const Estimate& e = s.total_queue[k];
    totals += fmt::format("{},{},{},{}\n", name(static_cast<QueueKpi>(k)), number(e.mean), number(e.low()), number(e.high()));
  }
  for (int k = 0; s.has_back_office && k < kTicket; ++k) {
    const Estimate& e = s.back_office_total[k];
    totals += fmt::format("{},{},{},{}\n", back_office_name(k), number(e.mean), number(e.low()), number(e.high()));
  }
  files.emplace_back(names[0], totals);

  std::string intervals = "interval,start";
  csv_header<CallKpi>(intervals, CallEstimates{});
  csv_header<QueueKpi>(intervals, QueueEstimates{});
  for (const auto& g : scenario.groups)
    for (int k = 0; k < kGroup; ++k) {
      const auto n = fmt::format("{}.{}", g.name, name(static_cast<GroupKpi>(k)));
      intervals += fmt::format(",{},{}_ci95_low,{}_ci95_high", n, n, n);
    }
  for (int k = 0; s.has_back_office && k < kTicket; ++k) {
    const std::string n = back_office_name(k);
    intervals += fmt::format(",{},{}_ci95_low,{}_ci95_high", n, n, n);
  }
  intervals += "\n";
  for (std::size_t i = 0; i < s.interval.size(); ++i) {
    intervals += fmt::format("{},{}", i, clock_label(scenario.horizon, static_cast<double>(i) * scenario.horizon.interval));
    csv_values(intervals, s.interval[i]);
    csv_values(intervals, s.interval_queue[i]);
    for (const auto& g : s.interval_group[i]) csv_values(intervals, g);
    if (s.has_back_office) csv_values(intervals, s.back_office_interval[i]);
    intervals += "\n";
  }
  files.emplace_back(names[1], intervals);

  std::string queues = "queue";
  csv_header<CallKpi>(queues, CallEstimates{});
  csv_header<QueueKpi>(queues, QueueEstimates{});
  queues += "\n";
  for (std::size_t q = 0; q < s.queue.size(); ++q) {
    queues += scenario.queues[q].name;
    csv_values(queues, s.queue[q]);
    csv_values(queues, s.queue_time[q]);
    queues += "\n";
  }
  files.emplace_back(names[2], queues);

  std::string groups = "group";
  csv_header<GroupKpi>(groups, GroupEstimates{});
  groups += "\n";
  for (std::size_t g = 0; g < s.group.size(); ++g) {
    groups += scenario.groups[g].name;
    csv_values(groups, s.group[g]);
    groups += "\n";
  }
  files.emplace_back(names[3], groups);
  files.emplace_back(names[4], to_json(scenario, info, s).dump(2) + "\n");
  return files;
}

std::string to_table(const Scenario& scenario, const RunInfo& info, const Summary& s) {
  auto t = [&](CallKpi k) -> const Estimate& { return s.total[static_cast<int>(k)]; };
  std::string out;
  out += fmt::format("{} — {} replications, seed {}, {} engine (mean ± 95% CI half-width)\n\n", scenario.name,
                     s.replications, info.seed, info.engine);
  out += fmt::format("  offered            {:>18}\n", pm(t(CallKpi::offered), "{:.1f}"));
  out += fmt::format("  handled            {:>18}\n", pm(t(CallKpi::handled), "{:.1f}"));
  out += fmt::format("  abandoned          {:>18}   (short, < {:g} s: {})\n", pm(t(CallKpi::abandoned), "{:.1f}"),
                     scenario.targets.short_abandon, pm(t(CallKpi::short_abandoned), "{:.1f}"));
  out += fmt::format("  contained in IVR   {:>18}\n", pm(t(CallKpi::contained), "{:.1f}"));
  out += fmt::format("  blocked            {:>18}\n", pm(t(CallKpi::blocked), "{:.1f}"));
  out += fmt::format("  service level      {:>18}   (answered within {:g} s)\n", pm(t(CallKpi::service_level), "{:.3f}"),
                     scenario.targets.answer_within);
  out += fmt::format("  ASA                {:>18} s\n", pm(t(CallKpi::asa), "{:.1f}"));
  out += fmt::format("  mean wait          {:>18} s\n", pm(t(CallKpi::mean_wait), "{:.1f}"));
  out += fmt::format("  p90 wait           {:>18} s\n", pm(t(CallKpi::p90_wait), "{:.1f}"));
  out += fmt::format("  AHT                {:>18} s\n", pm(t(CallKpi::aht), "{:.1f}"));
  out += fmt::format("  queue length       mean {}, max {}\n", pm(s.total_queue[0], "{:.1f}"), pm(s.total_queue[1], "{:.1f}"));
  out += fmt::format("  callbacks          offered {}, handled {}\n", pm(t(CallKpi::callbacks_offered), "{:.1f}"),
                     pm(t(CallKpi::callbacks_handled), "{:.1f}"));
  out += fmt::format("  overflows          {:>18}\n", pm(t(CallKpi::overflows), "{:.1f}"));
  out += fmt::format("  tickets created    {:>18}   (resolved within SLA {})\n", pm(t(CallKpi::tickets_created), "{:.1f}"),
                     pm(s.tickets_within_sla, "{:.1f}"));
  // Every other call KPI, by its name: a KPI added to core/kpi.hpp shows up
  // here without anyone remembering to add a row.
  constexpr CallKpi kRowsAbove[] = {CallKpi::offered,          CallKpi::handled,           CallKpi::abandoned,
                                    CallKpi::short_abandoned,  CallKpi::contained,         CallKpi::blocked,
                                    CallKpi::service_level,    CallKpi::asa,               CallKpi::mean_wait,
                                    CallKpi::p90_wait,         CallKpi::aht,               CallKpi::callbacks_offered,
                                    CallKpi::callbacks_handled, CallKpi::overflows,        CallKpi::tickets_created};
  for (int k = 0; k < kCall; ++k) {
    const auto kpi = static_cast<CallKpi>(k);
    if (std::find(std::begin(kRowsAbove), std::end(kRowsAbove), kpi) != std::end(kRowsAbove)) continue;
    out += fmt::format("  {:<18} {:>18}\n", name(kpi), pm(t(kpi), "{:.1f}"));
  }
  for (std::size_t g = 0; g < s.group.size(); ++g)
    out += fmt::format("  occupancy {:<12} {:>14}\n", scenario.groups[g].name, pm(s.group[g][0], "{:.3f}"));

  out += "\n  interval  offered  handled  abandoned     SL      ASA  p90 wait  max queue";
  for (const auto& g : scenario.groups) out += fmt::format("  occ {:<8.8}", g.name);
  out += "\n";
  for (std::size_t i = 0; i < s.interval.size(); ++i) {
    const auto& r = s.interval[i];
    auto m = [&](CallKpi k) { return r[static_cast<int>(k)].mean; };
    out += fmt::format("  {:>8} {:>8.1f} {:>8.1f} {:>10.1f} {:>6.3f} {:>8.1f} {:>9.1f} {:>10.1f}",
                       clock_label(scenario.horizon, static_cast<double>(i) * scenario.horizon.interval),
                       m(CallKpi::offered), m(CallKpi::handled), m(CallKpi::abandoned), m(CallKpi::service_level),
                       m(CallKpi::asa), m(CallKpi::p90_wait), s.interval_queue[i][1].mean);
    for (const auto& g : s.interval_group[i]) out += fmt::format("  {:>12.3f}", g[0].mean);
    out += "\n";
  }
  if (s.has_back_office) out += back_office_table(scenario, s);
  if (s.queue.size() > 1) {
    out += "\n  queue              offered  handled  abandoned     SL      ASA\n";
    for (std::size_t q = 0; q < s.queue.size(); ++q) {
      auto m = [&](CallKpi k) { return s.queue[q][static_cast<int>(k)].mean; };
      out += fmt::format("  {:<16.16} {:>9.1f} {:>8.1f} {:>10.1f} {:>6.3f} {:>8.1f}\n", scenario.queues[q].name,
                         m(CallKpi::offered), m(CallKpi::handled), m(CallKpi::abandoned), m(CallKpi::service_level),
                         m(CallKpi::asa));
    }
  }
  return out;
}

namespace {
// The back office's block of the table: its totals, each group, each interval.
std::string back_office_table(const Scenario& scenario, const Summary& s) {
  auto t = [&](TicketKpi k) -> const Estimate& { return s.back_office_total[static_cast<int>(k)]; };
  std::string out = "\n  back office\n";
  out += fmt::format("  tickets created    {:>18}\n", pm(t(TicketKpi::created), "{:.1f}"));
  out += fmt::format("  resolved           {:>18}   (within SLA {})\n", pm(t(TicketKpi::resolved), "{:.1f}"),
                     pm(t(TicketKpi::resolved_within_sla), "{:.3f}"));
  out += fmt::format("  breached           {:>18}\n", pm(t(TicketKpi::breached), "{:.1f}"));
  out += fmt::format("  escalated          {:>18}\n", pm(t(TicketKpi::escalated), "{:.1f}"));
  out += fmt::format("  age at resolution  mean {} s, p90 {} s\n", pm(t(TicketKpi::mean_age), "{:.0f}"),
                     pm(t(TicketKpi::p90_age), "{:.0f}"));
  out += fmt::format("  backlog            mean {}, at end {}\n", pm(t(TicketKpi::mean_backlog), "{:.1f}"),
                     pm(t(TicketKpi::backlog), "{:.1f}"));
  out += "\n  group            created resolved breached escalated within SLA  backlog\n";
  for (std::size_t g = 0; g < s.back_office_group.size(); ++g) {
    auto m = [&](TicketKpi k) { return s.back_office_group[g][static_cast<int>(k)].mean; };
    out += fmt::format("  {:<16.16} {:>7.1f} {:>8.1f} {:>8.1f} {:>9.1f} {:>10.3f} {:>8.1f}\n",
                       scenario.groups[scenario.back_office[g].group].name, m(TicketKpi::created), m(TicketKpi::resolved),
                       m(TicketKpi::breached), m(TicketKpi::escalated), m(TicketKpi::resolved_within_sla),
                       m(TicketKpi::backlog));
  }
  out += "\n  interval  created resolved breached within SLA  backlog\n";
  for (std::size_t i = 0; i < s.back_office_interval.size(); ++i) {
    auto m = [&](TicketKpi k) { return s.back_office_interval[i][static_cast<int>(k)].mean; };
    out += fmt::format("  {:>8} {:>8.1f} {:>8.1f} {:>8.1f} {:>10.3f} {:>8.1f}\n",
                       clock_label(scenario.horizon, static_cast<double>(i) * scenario.horizon.interval),
                       m(TicketKpi::created), m(TicketKpi::resolved), m(TicketKpi::breached),
                       m(TicketKpi::resolved_within_sla), m(TicketKpi::backlog));
  }
  return out;
}
}  // namespace

}  // namespace switchboard::sim
