// The business calendar a forecast needs: which weekdays are closed, and
// which calendar effects (catch-up after a closure, the first business days
// of a month, its last one) a day carries. Effects are flags here; their
// sizes are learned from the history by the model (wfm/forecast.hpp).
#pragma once

#include <cstdint>
#include <set>
#include <vector>

namespace switchboard::wfm {

// US federal (Federal Reserve) holidays of a year, observed dates (Saturday
// -> Friday, Sunday -> Monday), as midnights. Used only to tell a closed day
// from missing data when a weekday is absent from a history.
std::vector<std::int64_t> us_federal_holidays(int year);
bool is_us_federal_holiday(std::int64_t midnight);

// Calendar effects, in the order of the model's coefficients.
enum CalendarEffect : int {
  kAfterClosure1 = 0,  // first business day after a closed weekday (the calls that could not be made)
  kAfterClosure2,      // the second one
  kMonthStart1,        // first business day of the month
  kMonthStart2,
  kMonthStart3,
  kMonthEnd1,          // last business day of the month
  kCalendarEffects
};
const char* calendar_effect_name(int effect);

class BusinessCalendar {
 public:
  // `closed`: midnights of weekdays the center is closed.
  explicit BusinessCalendar(std::set<std::int64_t> closed);
  bool is_business_day(std::int64_t midnight) const;  // a weekday, not closed
  const std::set<std::int64_t>& closed() const { return closed_; }
  // Bit k set when the day carries CalendarEffect k.
  unsigned effects(std::int64_t midnight) const;

 private:
  std::int64_t previous_business_day(std::int64_t midnight) const;
  std::int64_t next_business_day(std::int64_t midnight) const;
  std::set<std::int64_t> closed_;
};

}  // namespace switchboard::wfm
