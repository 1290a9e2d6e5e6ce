#include "wfm/forecast_plan.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "io/text_line.hpp"

namespace switchboard::wfm {

namespace {

constexpr std::int64_t kDay = 86400;

std::string number(double v) { return fmt::format("{:.6g}", v); }

}  // namespace

bool valid_quantile(double q) { return std::isfinite(q) && q > 0 && q < 1; }

std::string quantile_column(double q) { return "p" + fmt::format("{:g}", std::round(q * 1e6) / 1e4); }

std::vector<std::int64_t> days_to_forecast(const History& h, std::int64_t start, int days,
                                           const std::vector<std::int64_t>& holidays) {
  std::set<int> weekdays;
  for (auto d : h.days) weekdays.insert(weekday(d));
  std::vector<std::int64_t> out;
  for (int k = 0; k < days; ++k) {
    const std::int64_t day = start + k * kDay;
    if (weekdays.count(weekday(day)) && std::find(holidays.begin(), holidays.end(), day) == holidays.end()) out.push_back(day);
  }
  return out;
}

std::int64_t furthest_forecast_day(const History& h) { return h.days.back() + (h.days.back() - h.days.front()) + kDay; }

ForecastTable forecast_range(const History& h, const ForecastRequest& r) {
  if (r.start <= h.days.back())
    throw InputError(Problem{"", 0, 0, "--start", "expected a day after the history's last day (" + format_date(h.days.back()) + ")"});
  const std::int64_t last = r.start + (r.days - 1) * kDay;
  if (r.days < 1 || last > furthest_forecast_day(h))
    throw InputError(Problem{"", 0, 0, "--days",
                             "expected a forecast ending by " + format_date(furthest_forecast_day(h)) +
                                 ": the history covers " + std::to_string((h.days.back() - h.days.front()) / kDay + 1) +
                                 " calendar days, and a forecast reaches no further ahead than that (this one ends " +
                                 format_date(last) + ")"});
  for (double q : r.quantiles)
    if (!valid_quantile(q))
      throw InputError(Problem{"", 0, 0, "--quantiles", "expected levels strictly between 0 and 1, got " + number(q)});
  ForecastTable t;
  t.quantiles = r.quantiles;
  t.values.assign(r.quantiles.size(), {});
  const Forecaster model(h, h.days.size(), closed_days(h, r.holidays), r.model);
  for (std::int64_t day : days_to_forecast(h, r.start, r.days, r.holidays)) {
    if (is_us_federal_holiday(day) && weekday(day) < 5)
      t.notes.push_back(format_date(day) + " is a US federal holiday, forecast as an open day; pass --holidays " +
                        format_date(day) + " if the center is closed");
    const DayForecast f = model.day(day);
    for (std::size_t s = 0; s < f.mean.size(); ++s) {
      t.start.push_back(day + h.slots[s]);
      t.calls.push_back(f.mean[s]);
    }
    for (std::size_t q = 0; q < r.quantiles.size(); ++q) {
      const auto v = model.quantile(f, r.quantiles[q]);
      t.values[q].insert(t.values[q].end(), v.begin(), v.end());
    }
  }
  return t;
}

ForecastTable reforecast_day(const History& h, const IntervalSeries& actual, std::int64_t until, const ForecastModel& m) {
  const std::int64_t day = actual.start.front() - ((actual.start.front() % kDay) + kDay) % kDay;
  if (actual.start.back() >= day + kDay)
    throw InputError(Problem{actual.source, 0, 0, "timestamp", "expected the intervals of one day only"});
  if (day <= h.days.back())
    throw InputError(Problem{actual.source, 2, 1, "timestamp",
                             "expected a day after the history's last day (" + format_date(h.days.back()) + ")"});
  if (day > furthest_forecast_day(h))
    throw InputError(Problem{actual.source, 2, 1, "timestamp",
                             "expected a day by " + format_date(furthest_forecast_day(h)) +
                                 " (a forecast reaches as far past the history as the history reaches back), got " + format_date(day)});
  std::vector<double> known(h.slots.size(), 0.0);
  std::size_t count = 0;
  for (std::size_t i = 0; i < actual.start.size(); ++i) {
    const std::int64_t slot = actual.start[i] - day;
    if (std::find(h.slots.begin(), h.slots.end(), slot) == h.slots.end())
      throw InputError(Problem{actual.source, static_cast<int>(i) + 2, 1, "timestamp",
                               format_timestamp(actual.start[i]) + " is off the history's intraday grid (" +
                                   std::to_string(h.slots.size()) + " intervals of " + std::to_string(h.step) + " s from " +
                                   format_timestamp(h.slots.front()).substr(11, 5) + ")"});
  }
  for (std::size_t s = 0; s < h.slots.size() && h.slots[s] < until; ++s) {
    const auto it = std::find(actual.start.begin(), actual.start.end(), day + h.slots[s]);
    if (it == actual.start.end())
      throw InputError(Problem{actual.source, 0, 0, "timestamp",
                               "expected the interval " + format_timestamp(day + h.slots[s]) + " (every interval before --intraday-until)"});
    known[s] = actual.calls[it - actual.start.begin()];
    count = s + 1;
  }
  const Forecaster model(h, h.days.size(), closed_days(h), m);
  ForecastTable t;
  t.calls = reforecast_intraday(model.day(day).mean, known, count);
  for (auto slot : h.slots) t.start.push_back(day + slot);
  return t;
}

std::string forecast_csv(const ForecastTable& t, double alert_above) {
  std::string text = "timestamp,calls";
  for (double q : t.quantiles) text += "," + quantile_column(q);
  text += alert_above >= 0 ? ",alert\n" : "\n";
  for (std::size_t i = 0; i < t.start.size(); ++i) {
    text += format_timestamp(t.start[i]) + "," + number(t.calls[i]);
    for (const auto& column : t.values) text += "," + number(column[i]);
    if (alert_above >= 0) text += t.calls[i] > alert_above ? ",1" : ",0";
    text += "\n";
  }
  return text;
}

IntervalSeries read_demand(const std::string& path, std::optional<double> quantile) {
  if (!quantile) return read_interval_series(path);
  if (!valid_quantile(*quantile))
    throw InputError(Problem{"", 0, 0, "--quantile", "expected a level strictly between 0 and 1, got " + number(*quantile)});
  const std::string column = quantile_column(*quantile);
  std::ifstream in(path);
  std::string header;
  if (in && read_line(in, header)) {
    if (("," + header + ",").find("," + column + ",") == std::string::npos)
      throw InputError(Problem{path, 1, 1, "header",
                               "expected a column " + column + " for --quantile " + number(*quantile) +
                                   " (write it with switchboard forecast --quantiles ...), got '" + header + "'"});
  }
  return read_interval_column(path, column);
}

}  // namespace switchboard::wfm
