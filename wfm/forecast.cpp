#include "wfm/forecast.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/input_error.hpp"

namespace switchboard::wfm {

namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t midnight_of(std::int64_t t) { return t - ((t % kDay) + kDay) % kDay; }

double total(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

// The days before `use_days` that fall on `weekday`, newest first.
std::vector<std::size_t> same_weekday(const History& h, std::size_t use_days, int wd) {
  std::vector<std::size_t> out;
  for (std::size_t d = use_days; d-- > 0;)
    if (weekday(h.days[d]) == wd) out.push_back(d);
  return out;
}

}  // namespace

History make_history(const IntervalSeries& s) {
  History h;
  h.step = s.step;
  std::vector<std::vector<std::int64_t>> day_slots;
  std::vector<std::size_t> first_row;
  for (std::size_t i = 0; i < s.start.size(); ++i) {
    const std::int64_t day = midnight_of(s.start[i]);
    if (h.days.empty() || h.days.back() != day) {
      h.days.push_back(day);
      h.calls.emplace_back();
      day_slots.emplace_back();
      first_row.push_back(i);
    }
    h.calls.back().push_back(s.calls[i]);
    day_slots.back().push_back(s.start[i] - day);
  }
  if (h.days.empty()) return h;
  h.slots = day_slots.front();
  for (std::size_t d = 1; d < h.days.size(); ++d) {
    if (day_slots[d] != h.slots)
      throw InputError(Problem{s.source, static_cast<int>(first_row[d]) + 2, 1, "timestamp",
                               format_date(h.days[d]) + " has " + std::to_string(day_slots[d].size()) +
                                   " intervals from " + format_timestamp(h.days[d] + day_slots[d].front()).substr(11, 5) +
                                   "; expected the intraday grid of the first day (" + std::to_string(h.slots.size()) +
                                   " intervals from " + format_timestamp(h.days[0] + h.slots.front()).substr(11, 5) + ")"});
  }
  return h;
}

std::vector<double> seasonal_naive(const History& h, std::size_t use_days, std::int64_t day) {
  const auto same = same_weekday(h, use_days, weekday(day));
  if (same.empty()) return std::vector<double>(h.slots.size(), 0.0);
  return h.calls[same.front()];
}

std::vector<double> mean_of_last_weekdays(const History& h, std::size_t use_days, std::int64_t day, int weeks) {
  const auto same = same_weekday(h, use_days, weekday(day));
  std::vector<double> out(h.slots.size(), 0.0);
  const std::size_t n = std::min<std::size_t>(same.size(), static_cast<std::size_t>(weeks));
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t s = 0; s < out.size(); ++s) out[s] += h.calls[same[k]][s] / static_cast<double>(n);
  return out;
}

std::int64_t previous_weekday(std::int64_t day) {
  std::int64_t d = day - kDay;
  while (weekday(d) >= 5) d -= kDay;
  return d;
}

std::vector<std::int64_t> missing_weekdays(const History& h, std::size_t use_days) {
  std::vector<std::int64_t> out;
  if (use_days == 0) return out;
  std::size_t next = 0;
  for (std::int64_t d = h.days[0]; d <= h.days[use_days - 1]; d += kDay) {
    while (next < use_days && h.days[next] < d) ++next;
    if (weekday(d) < 5 && (next >= use_days || h.days[next] != d)) out.push_back(d);
  }
  return out;
}

std::vector<double> forecast_day(const History& h, std::size_t use_days, std::int64_t day, const ForecastModel& m,
                                 const std::vector<std::int64_t>& extra_holidays) {
  const std::size_t slots = h.slots.size();
  if (use_days == 0) return std::vector<double>(slots, 0.0);
  std::vector<std::int64_t> holidays = missing_weekdays(h, use_days);
  holidays.insert(holidays.end(), extra_holidays.begin(), extra_holidays.end());
  // 1: the first weekday after a holiday, 2: the one after that, 0: neither.
  auto after_holiday = [&](std::int64_t d) -> int {
    const auto is_holiday = [&](std::int64_t x) { return std::find(holidays.begin(), holidays.end(), x) != holidays.end(); };
    const std::int64_t prev = previous_weekday(d);
    if (is_holiday(prev)) return 1;
    return is_holiday(previous_weekday(prev)) ? 2 : 0;
  };
  // Day totals; weekday factors and the level estimated together: the level
  // is an exponentially weighted average of deseasonalised totals, each
  // weekday's factor the mean ratio of its totals to the level before them.
  std::vector<double> totals(use_days);
  for (std::size_t d = 0; d < use_days; ++d) totals[d] = total(h.calls[d]);
  double factor[7] = {1, 1, 1, 1, 1, 1, 1};
  double holiday_factor[3] = {1, 1, 1};  // by after_holiday()
  double level = 0;
  for (int pass = 0; pass < 30; ++pass) {  // a fixed point: converges in a few dozen passes
    double ratio_sum[7] = {}, ratio_n[7] = {};
    // After-holiday ratios start from one pseudo-observation of 1: two or
    // three holidays a season are little evidence.
    double holiday_sum[3] = {0, 1, 1}, holiday_n[3] = {0, 1, 1};
    auto seasonal = [&](std::size_t d) { return factor[weekday(h.days[d])] * holiday_factor[after_holiday(h.days[d])]; };
    level = totals[0] / seasonal(0);
    for (std::size_t d = 1; d < use_days; ++d) {
      const int wd = weekday(h.days[d]);
      if (const int k = after_holiday(h.days[d]); k > 0) {
        holiday_sum[k] += totals[d] / (level * factor[wd]);
        holiday_n[k] += 1;
      } else {
        ratio_sum[wd] += totals[d] / level;
        ratio_n[wd] += 1;
      }
      level += m.level_smoothing * (totals[d] / seasonal(d) - level);
    }
    double mean = 0, seen = 0;
    for (int wd = 0; wd < 7; ++wd)
      if (ratio_n[wd] > 0) {
        factor[wd] = ratio_sum[wd] / ratio_n[wd];
        mean += factor[wd];
        seen += 1;
      }
    for (int wd = 0; wd < 7; ++wd)
      if (ratio_n[wd] > 0) factor[wd] *= seen / mean;
    for (int k = 1; k < 3; ++k) holiday_factor[k] = holiday_sum[k] / holiday_n[k];
  }
  const int wd = weekday(day);
  const double day_total = level * factor[wd] * holiday_factor[after_holiday(day)];
  // Intraday profile: shares per interval over the last weeks, the target's
  // weekday blended with all weekdays, lightly smoothed across neighbours.
  auto shares = [&](bool only_weekday) {
    std::vector<double> p(slots, 0.0);
    std::size_t used = 0;
    const std::size_t limit = static_cast<std::size_t>(m.profile_weeks) * (only_weekday ? 1 : 5);
    for (std::size_t d = use_days; d-- > 0 && used < limit;) {
      if (only_weekday && weekday(h.days[d]) != wd) continue;
      const double t = totals[d];
      if (t <= 0) continue;
      for (std::size_t s = 0; s < slots; ++s) p[s] += h.calls[d][s] / t;
      ++used;
    }
    if (used > 0) for (auto& v : p) v /= static_cast<double>(used);
    return std::make_pair(p, used);
  };
  auto [own, own_n] = shares(true);
  auto [all, all_n] = shares(false);
  std::vector<double> profile(slots);
  const double w = own_n > 0 ? m.weekday_profile : 0.0;
  for (std::size_t s = 0; s < slots; ++s) profile[s] = w * own[s] + (1 - w) * all[s];
  std::vector<double> smooth(slots);
  for (std::size_t s = 0; s < slots; ++s) {
    const double left = profile[s > 0 ? s - 1 : s], right = profile[s + 1 < slots ? s + 1 : s];
    smooth[s] = 0.25 * left + 0.5 * profile[s] + 0.25 * right;
  }
  const double norm = total(smooth);
  std::vector<double> out(slots);
  for (std::size_t s = 0; s < slots; ++s) out[s] = norm > 0 ? day_total * smooth[s] / norm : 0;
  return out;
}

namespace {
void accumulate(Accuracy& a, double& abs_sum, double& actual_sum, double& ape_sum, double& ape_n,
                const std::vector<double>& actual, const std::vector<double>& f) {
  for (std::size_t s = 0; s < actual.size(); ++s) {
    const double err = std::abs(actual[s] - f[s]);
    abs_sum += err;
    actual_sum += actual[s];
    if (actual[s] > 0) {
      ape_sum += err / actual[s];
      ape_n += 1;
    }
  }
  a.wape = actual_sum > 0 ? abs_sum / actual_sum : 0;
  a.mape = ape_n > 0 ? ape_sum / ape_n : 0;
}
}  // namespace

Backtest backtest(const History& h, int days, const ForecastModel& m) {
  if (days < 1 || static_cast<std::size_t>(days) + 14 > h.days.size())
    throw std::invalid_argument("a backtest of " + std::to_string(days) + " days needs at least " +
                                std::to_string(days + 14) + " days of history; the file has " + std::to_string(h.days.size()));
  Backtest b;
  b.days = days;
  double sums[3][4] = {};
  for (std::size_t d = h.days.size() - days; d < h.days.size(); ++d) {
    const auto& actual = h.calls[d];
    // Weekdays missing just before the target are holidays the planner knew of.
    std::vector<std::int64_t> known;
    for (std::int64_t g = previous_weekday(h.days[d]); g > h.days[d - 1]; g = previous_weekday(g)) known.push_back(g);
    accumulate(b.model, sums[0][0], sums[0][1], sums[0][2], sums[0][3], actual, forecast_day(h, d, h.days[d], m, known));
    accumulate(b.seasonal_naive, sums[1][0], sums[1][1], sums[1][2], sums[1][3], actual, seasonal_naive(h, d, h.days[d]));
    accumulate(b.mean_last_8, sums[2][0], sums[2][1], sums[2][2], sums[2][3], actual, mean_of_last_weekdays(h, d, h.days[d]));
  }
  return b;
}

std::vector<double> reforecast_intraday(const std::vector<double>& forecast, const std::vector<double>& actual,
                                        std::size_t known) {
  double f = 0, a = 0;
  for (std::size_t s = 0; s < known && s < forecast.size(); ++s) {
    f += forecast[s];
    a += actual[s];
  }
  const double scale = f > 0 ? a / f : 1;
  std::vector<double> out = forecast;
  for (std::size_t s = 0; s < out.size(); ++s) out[s] = s < known ? actual[s] : forecast[s] * scale;
  return out;
}

}  // namespace switchboard::wfm
