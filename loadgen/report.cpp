#include "loadgen/report.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

namespace switchboard::loadgen {

namespace {

std::string label(const std::string& queue) { return queue.empty() ? "" : "queue=\"" + queue + "\""; }

double delta(const Scrape& a, const Scrape& b, const char* metric, const std::string& queue) {
  return b.sum(metric, label(queue)) - a.sum(metric, label(queue));
}

std::string clock(const Horizon& h, double t) {
  const int minutes = static_cast<int>(std::lround((t + h.start_clock) / 60));
  return fmt::format("{:02d}:{:02d}", minutes / 60, minutes % 60);
}

nlohmann::json kpis_json(const WindowKpis& k) {
  nlohmann::json j;
  for (int i = 0; i < kWindowKpis; ++i) j[name(static_cast<WindowKpi>(i))] = k[i];
  return j;
}

nlohmann::json predicted_json(const std::array<Predicted, kWindowKpis>& p) {
  nlohmann::json j;
  for (int i = 0; i < kWindowKpis; ++i)
    j[name(static_cast<WindowKpi>(i))] = {{"mean", p[i].mean}, {"ci95", {p[i].low95, p[i].high95}}, {"run99", {p[i].low99, p[i].high99}}};
  return j;
}

}  // namespace

WindowKpis measured(const Scrape& a, const Scrape& b, const std::string& queue) {
  WindowKpis k{};
  auto set = [&k](WindowKpi i, double v) { k[static_cast<int>(i)] = v; };
  const double offered = delta(a, b, "switchboard_calls_offered_total", queue);
  const double handled = delta(a, b, "switchboard_calls_handled_total", queue);
  const double abandoned = delta(a, b, "switchboard_calls_abandoned_total", queue);
  const double sl_calls = delta(a, b, "switchboard_service_level_calls_total", queue);
  set(WindowKpi::offered, offered);
  set(WindowKpi::handled, handled);
  set(WindowKpi::abandoned, abandoned);
  set(WindowKpi::contained, delta(a, b, "switchboard_calls_contained_total", queue));
  set(WindowKpi::sl, sl_calls > 0 ? delta(a, b, "switchboard_service_level_answered_within_total", queue) / sl_calls : 0);
  set(WindowKpi::asa, handled > 0 ? delta(a, b, "switchboard_answered_wait_seconds_total", queue) / handled : 0);
  set(WindowKpi::abandon_rate, offered > 0 ? abandoned / offered : 0);
  set(WindowKpi::aht, handled > 0 ? delta(a, b, "switchboard_handle_seconds_total", queue) / handled : 0);
  return k;
}

const Scrape& scrape_at(const std::vector<Scrape>& scrapes, double t) {
  const Scrape* best = &scrapes.front();
  for (const Scrape& s : scrapes)
    if (s.wall <= t) best = &s;
  return *best;
}

std::vector<WindowKpis> measured_intervals(const Scenario& s, const PlanWindow& w, const RunRecord& run) {
  std::vector<WindowKpis> out;
  if (run.scrapes.empty()) return out;
  const IntervalRange range = window_intervals(s.horizon, w);
  auto wall_of = [&](double t) { return run.lead + (t - w.start) / run.time_scale; };
  for (int i = range.first; i <= range.last; ++i) {
    const double from = i == range.first ? -1e300 : wall_of(i * s.horizon.interval);
    const double to = i == range.last ? 1e300 : wall_of((i + 1) * s.horizon.interval);
    out.push_back(measured(scrape_at(run.scrapes, from), scrape_at(run.scrapes, to)));
  }
  return out;
}

std::optional<double> measure_for_assertion(const Scenario&, const RunRecord& run, const std::string& metric,
                                            const std::string& queue) {
  if (metric == "failed_calls") return run.sipp.failed;
  if (metric == "placed_calls") return run.sipp.created;
  if (metric.rfind("invite_", 0) == 0) {
    if (run.invite_ms.empty()) return std::nullopt;
    if (metric == "invite_max_ms") return quantile(run.invite_ms, 1);
    return quantile(run.invite_ms, std::stod(metric.substr(8, 2)) / 100);  // invite_pNN_ms
  }
  if (run.scrapes.size() < 2) return std::nullopt;
  const WindowKpis k = measured(run.scrapes.front(), run.scrapes.back(), queue);
  for (int i = 0; i < kWindowKpis; ++i)
    if (metric == name(static_cast<WindowKpi>(i))) return k[i];
  return std::nullopt;
}

nlohmann::json report_json(const ReportInputs& in) {
  const Scenario& s = in.scenario;
  const RunRecord& run = in.run;
  const PlanWindow& w = in.plan.window;
  nlohmann::json j;
  j["complete"] = run.complete;
  if (!run.complete) j["stopped_because"] = run.stopped_because;
  j["scenario"] = {{"name", s.name}, {"file", s.source}};
  j["seed"] = in.seed;
  j["window"] = {{"start", clock(s.horizon, w.start)}, {"end", clock(s.horizon, std::min(w.end, s.horizon.length))}};
  j["time_scale"] = run.time_scale;
  j["target"] = run.target;
  j["wall_seconds"] = run.wall_seconds;
  nlohmann::json by_type = nlohmann::json::object();
  for (const auto& c : in.plan.calls) by_type[s.call_types[c.call_type].name] = by_type.value(s.call_types[c.call_type].name, 0) + 1;
  // Where the callers' digits take them: each queue, or an end in the IVR.
  nlohmann::json by_queue = nlohmann::json::object();
  for (const auto& q : s.queues) by_queue[q.name] = 0;
  by_queue["none"] = 0;
  for (const auto& c : in.plan.calls) {
    const std::string q = c.queue == kNone ? "none" : s.queues[c.queue].name;
    by_queue[q] = by_queue[q].get<int>() + 1;
  }
  // Callers carrying each tag (first calls), and the redials planned: each
  // is placed only if the call before it abandons.
  nlohmann::json by_tag = nlohmann::json::object();
  for (std::size_t t = 0; t < s.tags.size(); ++t) {
    int n = 0;
    for (const auto& c : in.plan.calls) n += (c.tags >> t) & 1u;
    by_tag[s.tags[t]] = n;
  }
  std::size_t redials = 0;
  for (const auto& c : in.plan.calls) redials += c.redials.size();
  j["plan"] = {{"calls", in.plan.calls.size()}, {"by_call_type", by_type}, {"by_first_queue", by_queue}, {"by_tag", by_tag},
               {"redials_planned", redials}};

  // Measured, from the server's /metrics.
  nlohmann::json m;
  m["source"] = run.scrapes.size() >= 2 ? "server /metrics" : "none (no /metrics endpoint)";
  if (run.scrapes.size() >= 2) {
    m["total"] = kpis_json(measured(run.scrapes.front(), run.scrapes.back()));
    for (const auto& q : s.queues) m["queues"][q.name] = kpis_json(measured(run.scrapes.front(), run.scrapes.back(), q.name));
    nlohmann::json intervals = nlohmann::json::array();
    const IntervalRange range = window_intervals(s.horizon, w);
    const auto rows = measured_intervals(s, w, run);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      nlohmann::json row = kpis_json(rows[i]);
      row["start"] = clock(s.horizon, (range.first + static_cast<int>(i)) * s.horizon.interval);
      intervals.push_back(row);
    }
    m["intervals"] = intervals;
  }
  j["measured"] = m;

  // Predicted, by the simulator.
  nlohmann::json p;
  p["replications"] = in.prediction.replications;
  p["total"] = predicted_json(in.prediction.total);
  p["same_day"] = kpis_json(in.prediction.same_day);
  const IntervalRange range = window_intervals(s.horizon, w);
  for (std::size_t i = 0; i < in.prediction.interval.size(); ++i) {
    nlohmann::json row = predicted_json(in.prediction.interval[i]);
    row["start"] = clock(s.horizon, (range.first + static_cast<int>(i)) * s.horizon.interval);
    p["intervals"].push_back(row);
  }
  for (std::size_t q = 0; q < in.prediction.queue.size(); ++q) p["queues"][s.queues[q].name] = predicted_json(in.prediction.queue[q]);
  j["predicted"] = p;

  // SIP health, from SIPp (and the server's own counters when it has them).
  nlohmann::json sip;
  sip["calls_created"] = run.sipp.created;
  sip["successful_calls"] = run.sipp.successful;
  sip["failed_calls"] = run.sipp.failed;
  sip["failed_by_reason"] = run.sipp.failed_by_reason;
  sip["unexpected_messages"] = run.unexpected;
  sip["retransmissions_sipp"] = run.sipp.retransmissions;
  sip["invite_200_ms"] = {{"count", run.invite_ms.size()},
                          {"p50", quantile(run.invite_ms, 0.5)},
                          {"p90", quantile(run.invite_ms, 0.9)},
                          {"p95", quantile(run.invite_ms, 0.95)},
                          {"p99", quantile(run.invite_ms, 0.99)},
                          {"max", quantile(run.invite_ms, 1)},
                          {"resolution_ms", 1}};
  nlohmann::json histogram = nlohmann::json::array();
  {
    const double bounds[] = {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
    std::vector<double> counts(std::size(bounds) + 1, 0);
    for (double ms : run.invite_ms) {
      std::size_t b = 0;
      while (b < std::size(bounds) && ms > bounds[b]) ++b;
      ++counts[b];
    }
    for (std::size_t b = 0; b < counts.size(); ++b)
      histogram.push_back({{"le_ms", b < std::size(bounds) ? nlohmann::json(bounds[b]) : nlohmann::json()}, {"count", counts[b]}});
  }
  sip["invite_200_ms"]["histogram"] = histogram;
  if (!run.scrapes.empty()) {
    const Scrape& last = run.scrapes.back();
    nlohmann::json codes = nlohmann::json::object();
    const std::string prefix = "switchboard_sip_responses_total{code=\"";
    for (auto it = last.series.lower_bound(prefix); it != last.series.end() && it->first.rfind(prefix, 0) == 0; ++it)
      codes[it->first.substr(prefix.size(), 3)] = it->second - run.scrapes.front().sum(it->first);
    sip["responses_by_code"] = codes;
    sip["retransmissions_server"] = {
        {"sent", last.sum("switchboard_sip_retransmissions_total", "direction=\"sent\"")},
        {"received", last.sum("switchboard_sip_retransmissions_total", "direction=\"received\"")}};
  }
  j["sip"] = sip;

  // Samples of /metrics over time: dialogs, queue, agents by state.
  nlohmann::json samples = nlohmann::json::array();
  for (const Scrape& sc : run.scrapes) {
    nlohmann::json row = {{"wall", sc.wall},
                          {"dialogs", sc.sum("switchboard_sip_dialogs_active")},
                          {"waiting", sc.sum("switchboard_calls_waiting")},
                          {"offered", sc.sum("switchboard_calls_offered_total")},
                          {"handled", sc.sum("switchboard_calls_handled_total")},
                          {"abandoned", sc.sum("switchboard_calls_abandoned_total")}};
    for (const char* state : {"available", "ringing", "talking", "wrap_up", "away", "offline"})
      row["agents"][state] = sc.sum("switchboard_agents", fmt::format("state=\"{}\"", state));
    samples.push_back(row);
  }
  j["metrics_samples"] = samples;
  nlohmann::json server = nlohmann::json::array();
  for (const auto& s : run.server) server.push_back({{"wall", s.wall}, {"cpu_percent", s.cpu_percent}, {"rss_mb", s.rss_mb}});
  j["server_resources"] = server;

  nlohmann::json verdicts = nlohmann::json::array();
  for (const Verdict& v : in.verdicts)
    verdicts.push_back({{"passed", v.passed}, {"measured", v.measured ? nlohmann::json(*v.measured) : nlohmann::json()}, {"message", v.message}});
  j["assertions"] = verdicts;
  nlohmann::json agreement = nlohmann::json::array();
  for (const Agreement& a : in.agreements)
    agreement.push_back({{"kpi", a.kpi}, {"queue", a.queue.empty() ? nlohmann::json() : nlohmann::json(a.queue)}, {"measured", a.measured},
                         {"run99", {a.low, a.high}}, {"tolerance", a.tolerance}, {"agrees", a.agrees}});
  j["agreement"] = agreement;
  return j;
}

}  // namespace switchboard::loadgen
