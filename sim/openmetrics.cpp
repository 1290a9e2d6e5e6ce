#include "sim/openmetrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/input_error.hpp"
#include "io/interval_series.hpp"
#include "core/kpi_metrics.hpp"

namespace switchboard::sim {

namespace {

std::string escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out;
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

std::string labels(const MetricLabels& own, const std::string& common, const std::string& le = "") {
  std::string out = "{";
  for (const auto& [k, v] : own) out += k + "=\"" + escape(v) + "\",";
  if (!le.empty()) out += "le=\"" + le + "\",";
  return out + common + "}";
}

}  // namespace

double midnight_utc(const std::string& date, const std::string& flag) {
  std::int64_t midnight = 0;
  if (!parse_date(date, midnight) || midnight < 0)
    throw InputError(Problem{"", 0, 0, flag, "expected a date YYYY-MM-DD (1970 or later); got '" + date + "'"});
  return static_cast<double>(midnight);
}

std::string to_openmetrics(const Scenario& scenario, const std::vector<KpiReport>& reports, double midnight) {
  const KpiLayout layout(scenario);
  const std::size_t width = layout.size();
  // Samples every replication has: the interval boundaries, then the end.
  std::size_t samples = reports.empty() ? 0 : reports[0].timeline.times.size();
  for (const auto& r : reports) samples = std::min(samples, r.timeline.times.size());
  std::vector<double> times(samples, 0), values(samples * width, 0);
  for (const auto& r : reports) {
    for (std::size_t i = 0; i + 1 < samples; ++i) times[i] = r.timeline.times[i];
    // The last sample is each run's end (runs drain at different times).
    const std::size_t last = r.timeline.times.size() - 1;
    if (samples > 0) times[samples - 1] = std::max(times[samples - 1], r.timeline.times[last]);
    for (std::size_t i = 0; i < samples; ++i) {
      const std::size_t from = (i + 1 == samples ? last : i) * width;
      for (std::size_t k = 0; k < width; ++k) values[i * width + k] += r.timeline.values[from + k] / static_cast<double>(reports.size());
    }
  }
  // Two samples of a series may not share a timestamp (a run that ended on
  // the horizon's last boundary).
  if (samples > 1 && times[samples - 1] <= times[samples - 2]) times[samples - 1] = times[samples - 2] + 1;

  const std::string common = "source=\"simulation\",scenario=\"" + escape(scenario.name) + "\"";
  std::vector<std::string> stamps;
  for (double t : times) stamps.push_back(number(midnight + scenario.horizon.start_clock + t));
  std::string out;
  const auto& families = layout.families();
  const auto& series = layout.series();
  for (std::size_t f = 0; f < families.size(); ++f) {
    const MetricFamily& family = families[f];
    const bool counter = family.type == MetricType::counter;
    const std::string base = counter ? family.name.substr(0, family.name.size() - 6) : family.name;  // less _total
    const char* type = counter ? "counter" : family.type == MetricType::gauge ? "gauge" : "histogram";
    out += fmt::format("# TYPE {} {}\n# HELP {} {}\n", base, type, base, family.help);
    for (const MetricSeries& s : series) {
      if (s.family != static_cast<int>(f)) continue;
      if (family.type != MetricType::histogram) {
        const std::string name = family.name + labels(s.labels, common);
        for (std::size_t i = 0; i < samples; ++i) out += fmt::format("{} {} {}\n", name, number(values[i * width + s.slot]), stamps[i]);
        continue;
      }
      const std::size_t buckets = std::size(kWaitBuckets);
      for (std::size_t b = 0; b <= buckets; ++b) {
        const std::string name = base + "_bucket" + labels(s.labels, common, b < buckets ? number(kWaitBuckets[b]) : "+Inf");
        for (std::size_t i = 0; i < samples; ++i) out += fmt::format("{} {} {}\n", name, number(values[i * width + s.slot + b]), stamps[i]);
      }
      for (std::size_t i = 0; i < samples; ++i)
        out += fmt::format("{}_count{} {} {}\n", base, labels(s.labels, common), number(values[i * width + s.slot + buckets]), stamps[i]);
      for (std::size_t i = 0; i < samples; ++i)
        out += fmt::format("{}_sum{} {} {}\n", base, labels(s.labels, common), number(values[i * width + s.slot + buckets + 1]), stamps[i]);
    }
  }
  return out + "# EOF\n";
}

}  // namespace switchboard::sim
