#include "wfm/forecast_calendar.hpp"

#include <algorithm>
#include <string>

#include "io/interval_series.hpp"

namespace switchboard::wfm {

namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t date(int y, int m, int d) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
  std::int64_t out = 0;
  parse_date(text, out);
  return out;
}

// The n-th (1-based) weekday `wd` (0 = Monday) of a month; n = -1: the last.
std::int64_t nth_weekday(int y, int m, int wd, int n) {
  if (n > 0) {
    std::int64_t d = date(y, m, 1);
    while (weekday(d) != wd) d += kDay;
    return d + (n - 1) * 7 * kDay;
  }
  std::int64_t d = (m == 12 ? date(y + 1, 1, 1) : date(y, m + 1, 1)) - kDay;
  while (weekday(d) != wd) d -= kDay;
  return d;
}

std::int64_t observed(std::int64_t d) {
  if (weekday(d) == 5) return d - kDay;
  if (weekday(d) == 6) return d + kDay;
  return d;
}

unsigned month_of(std::int64_t midnight) {
  int y;
  unsigned m, d;
  civil_date(midnight, y, m, d);
  return m;
}

int year_of(std::int64_t midnight) {
  int y;
  unsigned m, d;
  civil_date(midnight, y, m, d);
  return y;
}

}  // namespace

std::vector<std::int64_t> us_federal_holidays(int y) {
  return {observed(date(y, 1, 1)),  nth_weekday(y, 1, 0, 3),   nth_weekday(y, 2, 0, 3),
          nth_weekday(y, 5, 0, -1), observed(date(y, 7, 4)),   nth_weekday(y, 9, 0, 1),
          nth_weekday(y, 10, 0, 2), observed(date(y, 11, 11)), nth_weekday(y, 11, 3, 4),
          observed(date(y, 12, 25))};
}

bool is_us_federal_holiday(std::int64_t midnight) {
  const int y = year_of(midnight);
  for (int year : {y, y + 1}) {  // New Year's Day observed on Dec 31 belongs to the next year
    const auto days = us_federal_holidays(year);
    if (std::find(days.begin(), days.end(), midnight) != days.end()) return true;
  }
  return false;
}

const char* calendar_effect_name(int effect) {
  static const char* kNames[] = {"after_closure_1", "after_closure_2", "month_start_1",
                                 "month_start_2",   "month_start_3",   "month_end_1"};
  return effect >= 0 && effect < kCalendarEffects ? kNames[effect] : "?";
}

BusinessCalendar::BusinessCalendar(std::set<std::int64_t> closed) : closed_(std::move(closed)) {}

bool BusinessCalendar::is_business_day(std::int64_t d) const { return weekday(d) < 5 && !closed_.count(d); }

std::int64_t BusinessCalendar::previous_business_day(std::int64_t d) const {
  do d -= kDay;
  while (!is_business_day(d));
  return d;
}

std::int64_t BusinessCalendar::next_business_day(std::int64_t d) const {
  do d += kDay;
  while (!is_business_day(d));
  return d;
}

unsigned BusinessCalendar::effects(std::int64_t d) const {
  unsigned out = 0;
  // Catch-up: a closed weekday between this business day and the one before
  // (or the one before that).
  auto closure_between = [&](std::int64_t from, std::int64_t to) {
    for (std::int64_t x = from + kDay; x < to; x += kDay)
      if (weekday(x) < 5 && closed_.count(x)) return true;
    return false;
  };
  const std::int64_t prev = previous_business_day(d);
  if (closure_between(prev, d)) out |= 1u << kAfterClosure1;
  else if (closure_between(previous_business_day(prev), prev)) out |= 1u << kAfterClosure2;
  // Position in the month among its business days.
  const unsigned month = month_of(d);
  int rank = 1;
  for (std::int64_t x = prev; month_of(x) == month && rank <= 3; x = previous_business_day(x)) ++rank;
  if (rank == 1) out |= 1u << kMonthStart1;
  else if (rank == 2) out |= 1u << kMonthStart2;
  else if (rank == 3) out |= 1u << kMonthStart3;
  if (month_of(next_business_day(d)) != month) out |= 1u << kMonthEnd1;
  return out;
}

}  // namespace switchboard::wfm
