// The peak early warning on the bank's real data (data/bank_calls_train.csv)
// against the plan of scenarios/bank-day.yaml (made for an average
// Wednesday): on 2003-09-03, the day after Labor Day weekend, the outlook
// two hours ahead is short of agents before the busiest interval begins; on
// two usual Wednesdays it never is (the alert's bound: more than 5 agents).
#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "io/scenario_loader.hpp"
#include "support/test_support.hpp"
#include "wfm/early_warning.hpp"

using namespace switchboard;

namespace {

constexpr int kAlertBound = 5;  // dashboards/prometheus/alerting-rules.yml: SwitchboardPeakAhead

// One day of the bank's 5-minute counts.
IntervalSeries bank_day(const std::string& date) {
  const IntervalSeries all = read_interval_series((test::data_dir() / "bank_calls_train.csv").string());
  IntervalSeries day;
  day.source = date;
  day.step = all.step;
  for (std::size_t i = 0; i < all.start.size(); ++i)
    if (format_date(all.start[i]) == date) {
      day.start.push_back(all.start[i]);
      day.calls.push_back(all.calls[i]);
    }
  return day;
}

const Scenario& plan() {
  static const Scenario s = load_scenario((test::source_dir() / "scenarios/bank-day.yaml").string());
  return s;
}

}  // namespace

TEST(EarlyWarning, ThePeakAfterLaborDayIsFlaggedTwoHoursAhead) {
  const auto day = wfm::plan_ahead(plan(), bank_day("2003-09-03"), "--forecast");
  ASSERT_EQ(day.size(), 56u);  // 07:00-21:00 in 15 minutes
  std::size_t peak = 0;
  for (std::size_t i = 0; i < day.size(); ++i)
    if (day[i].calls > day[peak].calls) peak = i;
  ASSERT_GT(day[peak].calls, 800);
  // Two hours before the busiest interval (its start then inside the window).
  const double two_hours_before = day[peak].start - 7200 + day[peak].length;
  const Outlook o = outlook(day, two_hours_before, 7200);
  EXPECT_GT(o.most_short, kAlertBound);
  EXPECT_EQ(o.intervals, 8);
  EXPECT_GT(o.calls, 5000);
}

TEST(EarlyWarning, UsualWednesdaysStayWithinThePlan) {
  for (const char* date : {"2003-08-27", "2003-08-20"}) {
    const auto day = wfm::plan_ahead(plan(), bank_day(date), "--forecast");
    for (double now = 0; now < plan().horizon.length; now += 300)
      EXPECT_LE(outlook(day, now, 7200).most_short, kAlertBound) << date << " at " << now;
  }
}

TEST(EarlyWarning, AForecastOffTheScenariosIntervalsIsRefused) {
  IntervalSeries bad = bank_day("2003-09-03");
  bad.step = 420;  // 7 minutes do not divide 15
  EXPECT_THROW(wfm::plan_ahead(plan(), bad, "--forecast"), InputError);
  IntervalSeries night;
  night.source = "night.csv";
  night.step = 900;
  night.start = {1062550800};  // 2003-09-03T01:00: before the horizon
  night.calls = {10};
  try {
    wfm::plan_ahead(plan(), night, "--forecast");
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("night.csv"), std::string::npos) << e.what();
  }
}
