// The business calendar: federal holidays, closures told from missing data,
// and the calendar effects a day carries.
#include <gtest/gtest.h>

#include "io/interval_series.hpp"
#include "support/test_support.hpp"
#include "wfm/forecast.hpp"
#include "wfm/forecast_calendar.hpp"

using namespace switchboard;

namespace {
std::int64_t day(const char* text) {
  std::int64_t d = 0;
  EXPECT_TRUE(parse_date(text, d)) << text;
  return d;
}
}  // namespace

TEST(ForecastCalendar, UsFederalHolidaysObserved) {
  for (const char* d : {"2003-01-01", "2003-05-26", "2003-07-04", "2003-09-01", "2003-10-13", "2003-11-11", "2003-11-27",
                        "2003-12-25", "2004-12-31" /* New Year 2005 on a Saturday */, "2004-07-05" /* July 4 on a Sunday */})
    EXPECT_TRUE(wfm::is_us_federal_holiday(day(d))) << d;
  for (const char* d : {"2003-04-04", "2003-04-07", "2003-09-02", "2004-07-04"}) EXPECT_FALSE(wfm::is_us_federal_holiday(day(d))) << d;
}

TEST(ForecastCalendar, MissingDaysAreClosuresOnlyOnHolidays) {
  const wfm::History h = wfm::make_history(read_interval_series((test::data_dir() / "bank_calls_train.csv").string()));
  // 2003-04-04 and 04-07 are absent too, but were no holidays: missing data.
  EXPECT_EQ(wfm::closed_days(h), (std::set<std::int64_t>{day("2003-05-26"), day("2003-07-04"), day("2003-09-01")}));
  EXPECT_EQ(wfm::closed_days(h, {day("2003-10-13")}).count(day("2003-10-13")), 1u);
}

TEST(ForecastCalendar, EffectsOfTheDaysAroundLaborDay2003) {
  const wfm::BusinessCalendar cal({day("2003-09-01")});
  auto has = [&](const char* d, int effect) { return (cal.effects(day(d)) >> effect) & 1u; };
  EXPECT_TRUE(has("2003-08-29", wfm::kMonthEnd1));
  EXPECT_FALSE(has("2003-08-28", wfm::kMonthEnd1));
  EXPECT_TRUE(has("2003-09-02", wfm::kAfterClosure1));
  EXPECT_TRUE(has("2003-09-02", wfm::kMonthStart1));  // the first business day: the 1st was closed
  EXPECT_TRUE(has("2003-09-03", wfm::kAfterClosure2));
  EXPECT_TRUE(has("2003-09-03", wfm::kMonthStart2));
  EXPECT_TRUE(has("2003-09-04", wfm::kMonthStart3));
  EXPECT_EQ(cal.effects(day("2003-09-10")), 0u);
  EXPECT_FALSE(cal.is_business_day(day("2003-09-01")));
  EXPECT_FALSE(cal.is_business_day(day("2003-09-06")));
}
