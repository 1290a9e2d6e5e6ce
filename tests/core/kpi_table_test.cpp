// The KPI table (core/kpi.hpp): every KPI's PromQL is the one docs/kpis.md
// lists, every exported counter follows Prometheus' naming, and each derived
// KPI is what its definition says of the raw counters.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/kpi.hpp"
#include "support/test_support.hpp"

using namespace switchboard;

namespace {
std::string kpis_page() {
  std::ifstream in(test::source_dir() / "docs/kpis.md");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}
}  // namespace

TEST(KpiTable, DocsListTheGeneratedPromqlOfEveryKpi) {
  const std::string page = kpis_page();
  ASSERT_FALSE(page.empty());
  for (int k = 0; k < static_cast<int>(CallKpi::count); ++k) {
    const auto kpi = static_cast<CallKpi>(k);
    EXPECT_NE(page.find("| **" + std::string(name(kpi)) + "** | `" + promql(kpi, "15m") + "` |"), std::string::npos) << name(kpi);
  }
  for (int k = 0; k < static_cast<int>(QueueKpi::count); ++k)
    EXPECT_NE(page.find("`" + promql(static_cast<QueueKpi>(k), "15m") + "`"), std::string::npos) << name(static_cast<QueueKpi>(k));
  for (int k = 0; k < static_cast<int>(GroupKpi::count); ++k)
    EXPECT_NE(page.find("`" + promql(static_cast<GroupKpi>(k), "15m") + "`"), std::string::npos) << name(static_cast<GroupKpi>(k));
}

TEST(KpiTable, CountersAreNamedInBaseUnitsWithTotalAndOnce) {
  std::set<std::string_view> seen;
  for (int c = 0; c < static_cast<int>(CallCount::count); ++c) {
    const CallCountDef& d = definition(static_cast<CallCount>(c));
    EXPECT_TRUE(seen.insert(d.metric).second) << d.metric;
    EXPECT_EQ(d.metric.rfind("switchboard_", 0), 0u) << d.metric;
    if (d.histogram_part) EXPECT_EQ(d.metric.rfind(kWaitHistogram, 0), 0u) << d.metric;
    else EXPECT_TRUE(ends_with(d.metric, "_total")) << d.metric;
    EXPECT_EQ(d.metric.find("ratio"), std::string_view::npos) << d.metric;
  }
  for (int c = 0; c < static_cast<int>(GroupCount::count); ++c)
    EXPECT_TRUE(ends_with(definition(static_cast<GroupCount>(c)).metric, "_seconds_total"));
}

TEST(KpiTable, RatiosAreTheirCountersQuotient) {
  CallCounters c;
  c.offered = 10;
  c.handled = 6;
  c.callbacks_accepted = 1;
  c.callbacks_handled = 1;  // one of the handled is a callback
  c.short_abandoned = 1;
  for (double w : {0.0, 4.0, 30.0, 50.0, 2.0, 100.0}) {
    c.waits.add(w);
    c.wait_sum += w;
  }
  c.answered_within = 3;
  c.wait_answered_sum = 84;  // 0 + 4 + 30 + 50
  c.wait_answered_count = 5;
  c.handle_sum = 600;
  c.handle_count = 5;
  const CallKpis k = derive(c);
  EXPECT_DOUBLE_EQ(k[static_cast<int>(CallKpi::service_level)], 3.0 / (6 - 1));
  EXPECT_DOUBLE_EQ(k[static_cast<int>(CallKpi::asa)], 84.0 / 5);
  EXPECT_DOUBLE_EQ(k[static_cast<int>(CallKpi::aht)], 120);
  EXPECT_DOUBLE_EQ(k[static_cast<int>(CallKpi::mean_wait)], 186.0 / 6);
  EXPECT_EQ(value(c, CallCount::service_level_calls), 5);
  EXPECT_EQ(c.waits.count_below(5), 3u);  // 0, 4, 2
  EXPECT_EQ(c.waits.count_below(3600), 6u);
}

TEST(KpiTable, DocsDefineEveryBackOfficeKpiAndEachIsItsCountersFormula) {
  const std::string page = kpis_page();
  for (int k = 0; k < static_cast<int>(TicketKpi::count); ++k)
    EXPECT_NE(page.find("**" + std::string(name(static_cast<TicketKpi>(k))) + "**"), std::string::npos)
        << name(static_cast<TicketKpi>(k));
  TicketCounters t;
  t.created = 10;
  t.resolved = 4;
  t.resolved_within_sla = 3;
  t.age_sum = 400;
  t.ages = {50, 100, 100, 150};
  t.backlog_integral = 7200;
  t.seconds = 3600;
  t.backlog_end = 6;
  const TicketKpis d = derive(t);
  EXPECT_DOUBLE_EQ(d[static_cast<int>(TicketKpi::resolved_within_sla)], 0.75);
  EXPECT_DOUBLE_EQ(d[static_cast<int>(TicketKpi::mean_age)], 100);
  EXPECT_DOUBLE_EQ(d[static_cast<int>(TicketKpi::p90_age)], 150);  // nearest rank: the 4th of 4
  EXPECT_DOUBLE_EQ(d[static_cast<int>(TicketKpi::mean_backlog)], 2);
  EXPECT_DOUBLE_EQ(d[static_cast<int>(TicketKpi::backlog)], 6);
  EXPECT_DOUBLE_EQ(derive(TicketCounters{})[static_cast<int>(TicketKpi::resolved_within_sla)], 0);
}

// record_outcome finds a wait's bin once and adds it to two scopes: the bin
// must be the one add() uses, by the histogram's edges (1 s bins below
// 2 min, 5 s to 10 min, 30 s to an hour, 5 min to a day, then one bin).
TEST(KpiTable, AWaitsBinIsTheOneItsEdgesSay) {
  EXPECT_EQ(WaitHistogram::bin(-3), 0);  // a negative wait counts as none
  EXPECT_EQ(WaitHistogram::bin(0), 0);
  EXPECT_EQ(WaitHistogram::bin(0.999), 0);
  EXPECT_EQ(WaitHistogram::bin(1), 1);
  EXPECT_EQ(WaitHistogram::bin(119.5), 119);
  EXPECT_EQ(WaitHistogram::bin(120), 120);
  EXPECT_EQ(WaitHistogram::bin(124.9), 120);
  EXPECT_EQ(WaitHistogram::bin(125), 121);
  EXPECT_EQ(WaitHistogram::bin(600), 120 + 96);
  EXPECT_EQ(WaitHistogram::bin(3600), 120 + 96 + 100);
  EXPECT_EQ(WaitHistogram::bin(86399), 120 + 96 + 100 + 275);
  EXPECT_EQ(WaitHistogram::bin(1e9), WaitHistogram::bin(86400));
  int last = 0;
  for (double w = 0; w < 90000; w += 0.7) {
    const int b = WaitHistogram::bin(w);
    ASSERT_GE(b, last) << w;
    last = b;
  }
  WaitHistogram by_add, by_bin;
  for (double w : {0.0, 4.0, 30.0, 50.0, 2.0, 100.0, 119.99, 700.0, 5000.0, 90000.0}) {
    by_add.add(w);
    by_bin.add_to_bin(WaitHistogram::bin(w));
  }
  EXPECT_EQ(by_bin.count(), 10u);
  for (double edge : kWaitBuckets) EXPECT_EQ(by_bin.count_below(edge), by_add.count_below(edge)) << edge;
  EXPECT_EQ(by_bin.count_below(20), 3u);  // 0, 4 and 2
  EXPECT_DOUBLE_EQ(by_bin.quantile(0.9), by_add.quantile(0.9));
}
