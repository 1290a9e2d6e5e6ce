// The plan as SIPp injection rows: wall-clock pauses from scenario seconds.
#include <gtest/gtest.h>

#include <sstream>

#include "core/input_error.hpp"
#include "io/scenario_loader.hpp"
#include "loadgen/metrics_scrape.hpp"
#include "loadgen/sipp_injection.hpp"

namespace switchboard::loadgen {
namespace {

std::vector<std::vector<std::string>> rows_of(const std::string& file) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(file);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "SEQUENTIAL");
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::istringstream f(line);
    std::string field;
    while (std::getline(f, field, ';')) fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

Plan plan_with(Plan plan, std::vector<PlannedCall> calls) {
  plan.calls = std::move(calls);
  return plan;
}

TEST(SippInjection, RowsCarryTheCallersBehaviourInWallMilliseconds) {
  Scenario s = load_scenario(SWITCHBOARD_SOURCE_DIR "/tests/loadgen/fixtures/small-ivr.yaml");
  s.tags = {"vip"};
  Plan plan;
  plan.window = {900, 1800};
  PlannedCall a;  // presses 1 after the prompts, queued 1 s later, patient for 60 s
  a.arrival = 960;
  a.digits = {{'1', 14}};
  a.queue = 0;
  a.queue_entry = 15;
  a.patience = 60;
  PlannedCall b;  // silent, contained: no deadlines
  b.arrival = 1020;
  PlannedCall c;  // two keys, takes a callback
  c.arrival = 1080;
  c.digits = {{'5', 14}, {'2', 26}};
  c.queue = 1;
  c.queue_entry = 26;
  c.accepts_callback = true;
  a.redial_after = 300;  // abandons? calls again 300 s later (5 s of wall time), a VIP then, and patient
  CallerAttempt again;
  again.tags = 1;
  again.queue = 0;
  again.queue_entry = 15;
  again.digits = {{'1', 14}};
  a.redials = {again};
  const InjectionTiming timing{1'000'000, 60};
  const auto all = rows_of(injection_file(s, plan_with(plan, {a, b, c}), timing, 0, 1));
  ASSERT_EQ(all.size(), 3u);
  const std::string never = "1000000000000000";
  const std::vector<std::string> no_call{"", "0", "0", "0", "0", "0", "0", "0", never, never, never};
  auto row = [&](std::vector<std::string> head, std::vector<std::vector<std::string>> calls) {
    while (calls.size() < kMaxAttempts) calls.push_back(no_call);
    for (const auto& c : calls) head.insert(head.end(), c.begin(), c.end());
    return head;
  };
  for (const auto& r : all) EXPECT_EQ(r.size(), 2u + kMaxAttempts * kFieldsPerAttempt);
  EXPECT_EQ(all[0], row({"customers", "1001000"}, {{"", "1", "1", "233", "0", "0", "0", "0", "1007", never, "5000"},
                                                   {"vip", "1", "1", "233", "0", "0", "0", "0", never, never, never}}));
  EXPECT_EQ(all[1], row({"customers", "1002000"}, {{"", "0", "0", "0", "0", "0", "0", "0", never, never, never}}));
  EXPECT_EQ(all[2], row({"customers", "1003000"}, {{"", "2", "5", "233", "2", "200", "0", "0", never, "7", never}}));
  // Two SIPp processes: every other call each.
  plan.calls = {a, b, c};
  const auto first = rows_of(injection_file(s, plan, timing, 0, 2));
  const auto second = rows_of(injection_file(s, plan, timing, 1, 2));
  ASSERT_EQ(first.size(), 2u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0][1], "1002000");
}

TEST(SippInjection, CallTypesMustBeDialable) {
  Scenario s = load_scenario(SWITCHBOARD_SOURCE_DIR "/tests/loadgen/fixtures/small-ivr.yaml");
  EXPECT_NO_THROW(check_dialable(s));
  s.call_types[0].name = "two words;x";
  try {
    check_dialable(s);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.problems().front().field, "call_types[0].name");
  }
}

TEST(MetricsScrape, SumsSeriesByNameAndLabel) {
  const Scrape s = parse_metrics(
      "# HELP x y\n# TYPE switchboard_calls_handled_total counter\n"
      "switchboard_calls_handled_total{queue=\"billing\"} 12\n"
      "switchboard_calls_handled_total{queue=\"tech\"} 3\n"
      "switchboard_calls_handled_total_other 100\n"
      "switchboard_sip_dialogs_active 7\n"
      "garbage line\n");
  EXPECT_EQ(s.sum("switchboard_calls_handled_total"), 15);
  EXPECT_EQ(s.sum("switchboard_calls_handled_total", "queue=\"tech\""), 3);
  EXPECT_EQ(s.sum("switchboard_sip_dialogs_active"), 7);
  EXPECT_EQ(s.sum("switchboard_missing"), 0);
}

}  // namespace
}  // namespace switchboard::loadgen
