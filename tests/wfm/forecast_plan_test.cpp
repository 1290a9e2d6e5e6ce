// What the commands do with the model (wfm/forecast_plan): the days chosen,
// how far ahead a forecast may reach, the rows with their quantiles, the
// intraday re-forecast of a day in progress and its located errors.
#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "io/interval_series.hpp"
#include "wfm/forecast_plan.hpp"

using namespace switchboard;

namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t day(const char* text) {
  std::int64_t d = 0;
  EXPECT_TRUE(parse_date(text, d)) << text;
  return d;
}

// Eight weeks of weekdays 08:00-09:00 in 15-minute intervals: 100 calls an
// interval on Mondays, 80 on other days, no noise.
wfm::History weeks_of_history() {
  IntervalSeries s;
  s.source = "h.csv";
  s.step = 900;
  for (int d = 0; d < 56; ++d) {
    const std::int64_t midnight = day("2024-01-01") + d * kDay;
    if (weekday(midnight) >= 5) continue;
    for (int k = 0; k < 4; ++k) {
      s.start.push_back(midnight + 8 * 3600 + k * 900);
      s.calls.push_back(weekday(midnight) == 0 ? 100 : 80);
    }
  }
  return wfm::make_history(s);
}

template <typename F>
Problem problem_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.problems().front();
  }
  ADD_FAILURE() << "no InputError";
  return {};
}

}  // namespace

TEST(ForecastPlan, DaysAreTheHistorysWeekdaysLessHolidays) {
  const wfm::History h = weeks_of_history();
  EXPECT_EQ(wfm::days_to_forecast(h, day("2024-02-26"), 7, {day("2024-02-27")}),
            (std::vector<std::int64_t>{day("2024-02-26"), day("2024-02-28"), day("2024-02-29"), day("2024-03-01")}));
  // 2024-01-01 .. 2024-02-23: 54 calendar days, so up to 54 days past the last.
  EXPECT_EQ(format_date(wfm::furthest_forecast_day(h)), "2024-04-17");
}

TEST(ForecastPlan, RowsCarryTheQuantilesInOrder) {
  const wfm::History h = weeks_of_history();
  wfm::ForecastRequest r;
  r.start = day("2024-02-26");
  r.days = 2;
  r.quantiles = {0.1, 0.5, 0.975};
  const wfm::ForecastTable t = wfm::forecast_range(h, r);
  ASSERT_EQ(t.start.size(), 8u);
  ASSERT_EQ(t.values.size(), 3u);
  EXPECT_NEAR(t.calls[0], 100, 1e-6);
  EXPECT_NEAR(t.calls[4], 80, 1e-6);
  for (std::size_t i = 0; i < t.start.size(); ++i) {
    EXPECT_LT(t.values[0][i], t.values[1][i]);
    EXPECT_LT(t.values[1][i], t.values[2][i]);
  }
  const std::string csv = wfm::forecast_csv(t, 90);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "timestamp,calls,p10,p50,p97.5,alert");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 9);
  EXPECT_NE(csv.find(",1\n2024-02-26T08:15:00Z,100,"), std::string::npos) << csv;
}

TEST(ForecastPlan, RequestsTheHistoryCannotSupportAreNamed) {
  const wfm::History h = weeks_of_history();
  wfm::ForecastRequest r;
  r.start = day("2024-04-01");
  r.days = 30;
  EXPECT_EQ(problem_of([&] { wfm::forecast_range(h, r); }).field, "--days");
  r.start = day("2024-02-23");
  r.days = 3;
  EXPECT_EQ(problem_of([&] { wfm::forecast_range(h, r); }).field, "--start");
  r.start = day("2024-02-26");
  r.quantiles = {0.5, 1};
  EXPECT_EQ(problem_of([&] { wfm::forecast_range(h, r); }).field, "--quantiles");
}

TEST(ForecastPlan, IntradayReforecastKeepsTheMorningAndScalesTheRest) {
  const wfm::History h = weeks_of_history();
  IntervalSeries today;
  today.source = "today.csv";
  today.step = 900;
  today.start = {day("2024-02-26") + 8 * 3600, day("2024-02-26") + 8 * 3600 + 900};
  today.calls = {150, 150};  // a Monday at 1.5 x
  const wfm::ForecastTable t = wfm::reforecast_day(h, today, 8 * 3600 + 1800);
  ASSERT_EQ(t.calls.size(), 4u);
  EXPECT_EQ(t.calls[0], 150);
  EXPECT_EQ(t.calls[1], 150);
  const double weight = 0.5 / (0.5 + wfm::kIntradayTrust);
  EXPECT_NEAR(t.calls[2], 100 * (1 + weight * 0.5), 1e-6);
  // Not the day after the history, off its grid, or missing an interval.
  IntervalSeries early = today;
  early.start = {day("2024-02-23") + 8 * 3600};
  early.calls = {1};
  EXPECT_NE(problem_of([&] { wfm::reforecast_day(h, early, 9 * 3600); }).message.find("after the history's last day"), std::string::npos);
  IntervalSeries off = today;
  off.start[1] += 300;
  const Problem p = problem_of([&] { wfm::reforecast_day(h, off, 9 * 3600); });
  EXPECT_EQ(p.file, "today.csv");
  EXPECT_EQ(p.line, 3);
  EXPECT_NE(p.message.find("off the history's intraday grid"), std::string::npos);
  EXPECT_NE(problem_of([&] { wfm::reforecast_day(h, today, 9 * 3600); }).message.find("2024-02-26T08:30:00Z"), std::string::npos);
}
