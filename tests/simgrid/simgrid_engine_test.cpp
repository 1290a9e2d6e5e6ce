// The SimGrid engine: the same numbers as the event-list engine on an ideal
// platform, and the direction and rough size of each platform effect.
// SimGrid allows one engine per process: every run here is a child process
// (run_simgrid_replications forks one per replication).
#include <gtest/gtest.h>

#include "core/input_error.hpp"
#include "io/scenario_loader.hpp"
#include "sim/replications.hpp"
#include "sim/simgrid/report_codec.hpp"
#include "sim/simgrid/simgrid_replications.hpp"
#include "sim/summary_io.hpp"
#include "support/scenarios.hpp"
#include "support/test_support.hpp"

using namespace switchboard;

namespace {

std::string scenario_path(const std::string& name) { return (test::source_dir() / "scenarios" / name).string(); }

std::string summary_json(const Scenario& s, const sim::ReplicationResults& r) {
  return sim::to_json(s, sim::RunInfo{7, "any"}, sim::summarize(r.reports)).dump();
}

double mean(const sim::ReplicationResults& r, CallKpi k) {
  return sim::summarize(r.reports).total[static_cast<int>(k)].mean;
}

// A platform with one core host and agent groups placed as given.
std::string platform(const std::string& core_props, const std::string& extra) {
  return "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n<platform version=\"4.1\">\n"
         "<zone id=\"z\" routing=\"Full\">\n<host id=\"core\" speed=\"1Gf\">" + core_props + "</host>\n" + extra +
         "</zone>\n</platform>\n";
}

}  // namespace

TEST(SimGridEngine, IdealPlatformGivesIdenticalOutputOnEveryExampleScenario) {
  for (const char* name : {"erlang-c.yaml", "bank-day.yaml", "promo-peak.yaml", "promo-peak-tuned.yaml", "multiskill-vip.yaml",
                           "simgrid-two-site.yaml", "simgrid-link-failure.yaml"}) {
    const Scenario s = load_scenario(scenario_path(name));
    const sim::ReplicationPlan plan{7, 3, 2};
    const auto event_list = sim::run_replications(s, plan);
    const auto simgrid = sim::run_simgrid_replications(s, "", plan);  // no platform: ideal
    EXPECT_EQ(summary_json(s, event_list), summary_json(s, simgrid)) << name;
  }
}

TEST(SimGridEngine, JobsDoNotChangeResults) {
  const Scenario s = load_scenario(scenario_path("simgrid-link-failure.yaml"));
  const auto one = sim::run_simgrid_replications(s, s.platform, sim::ReplicationPlan{3, 4, 1});
  const auto four = sim::run_simgrid_replications(s, s.platform, sim::ReplicationPlan{3, 4, 4});
  EXPECT_EQ(summary_json(s, one), summary_json(s, four));
}

TEST(SimGridEngine, RemoteSiteAddsTheRoundTripToAsa) {
  // Light load, every agent remote: nobody queues, so ASA is the ring and
  // answer crossing the 150 ms link: 0.3 s.
  Scenario s = test::mmc(200, 240, 40, 0, 4);
  s.groups[0].name = "remote_agents";
  const auto ideal = sim::run_simgrid_replications(s, "", sim::ReplicationPlan{5, 4, 2});
  const auto remote = sim::run_simgrid_replications(s, scenario_path("platforms/two-site.xml"), sim::ReplicationPlan{5, 4, 2});
  EXPECT_LT(mean(ideal, CallKpi::asa), 0.01);
  EXPECT_NEAR(mean(remote, CallKpi::asa) - mean(ideal, CallKpi::asa), 0.3, 0.05);
}

TEST(SimGridEngine, SaturatedCoreFallsBehind) {
  // 0.1 s of CPU per event on the core: about 3 calls/s saturate it.
  test::TempDir dir;
  test::write_file(dir / "slow.xml",
                   platform("<prop id=\"switchboard.event_flops\" value=\"1e8\"/>",
                            "<host id=\"floor\" speed=\"1Gf\"><prop id=\"switchboard.groups\" value=\"*\"/></host>\n"
                            "<link id=\"l\" bandwidth=\"1GBps\" latency=\"0\"/><route src=\"core\" dst=\"floor\"><link_ctn id=\"l\"/></route>\n"));
  auto asa_at = [&](double per_hour) {
    const Scenario s = test::mmc(per_hour, 60, 400, 0, 0.5);
    return mean(sim::run_simgrid_replications(s, (dir / "slow.xml").string(), sim::ReplicationPlan{1, 2, 2}), CallKpi::asa);
  };
  const double light = asa_at(3600);    // ~1 call/s: about a third of the core
  const double heavy = asa_at(14400);   // ~4 calls/s: more work than the core can do
  EXPECT_LT(light, 1.0);
  EXPECT_GT(heavy, 20 * std::max(light, 0.05));
}

TEST(SimGridEngine, LinkFailureDropsRemoteAgentsAndRequeuesTheirCalls) {
  const Scenario s = load_scenario(scenario_path("simgrid-link-failure.yaml"));
  const auto r = sim::run_simgrid_replications(s, s.platform, sim::ReplicationPlan{7, 4, 2});
  const auto summary = sim::summarize(r.reports);
  const int remote = 1;
  const int staffed = static_cast<int>(GroupKpi::agents_staffed);
  // Until 10:00 (interval 4 of 30 minutes) the remote agents work; after, none.
  EXPECT_NEAR(summary.interval_group[3][remote][staffed].mean, 20, 1e-9);
  for (std::size_t i = 4; i < summary.interval.size(); ++i) EXPECT_EQ(summary.interval_group[i][remote][staffed].mean, 0);
  EXPECT_GT(summary.total[static_cast<int>(CallKpi::requeued)].mean, 5);
  const auto intact = sim::run_simgrid_replications(s, scenario_path("platforms/two-site.xml"), sim::ReplicationPlan{7, 4, 2});
  EXPECT_GT(mean(r, CallKpi::abandoned), 5 * mean(intact, CallKpi::abandoned));
  // Every call still has one outcome.
  for (const auto& rep : r.reports) {
    auto k = [&](CallKpi m) { return rep.total[static_cast<int>(m)]; };
    EXPECT_EQ(k(CallKpi::offered), k(CallKpi::handled) + k(CallKpi::abandoned) + k(CallKpi::blocked) + k(CallKpi::contained));
  }
}

TEST(SimGridEngine, TrunkChannelsAndIvrPortsTurnCallsAway) {
  test::TempDir dir;
  auto platform_with = [&](const std::string& name, const std::string& hosts) {
    test::write_file(dir / name,
                     platform("", hosts + "<host id=\"floor\" speed=\"1Gf\"><prop id=\"switchboard.groups\" value=\"*\"/></host>\n"
                                  "<link id=\"l\" bandwidth=\"1GBps\" latency=\"0\"/>\n"
                                  "<route src=\"core\" dst=\"floor\"><link_ctn id=\"l\"/></route>\n"
                                  "<route src=\"trunk\" dst=\"core\"><link_ctn id=\"l\"/></route>\n"));
    return (dir / name).string();
  };
  // Overloaded M/M/c: 40 agents, 60 Erlangs offered, patient callers.
  const Scenario s = test::mmc(60 * 3600 / 240.0, 240, 40, 600, 2);
  const auto open = sim::run_simgrid_replications(s, "", sim::ReplicationPlan{4, 2, 2});
  const auto trunk = sim::run_simgrid_replications(
      s, platform_with("trunk.xml", "<host id=\"trunk\" speed=\"1Gf\"><prop id=\"switchboard.channels\" value=\"45\"/></host>\n"),
      sim::ReplicationPlan{4, 2, 2});
  EXPECT_EQ(mean(open, CallKpi::blocked), 0);
  EXPECT_GT(mean(trunk, CallKpi::blocked), 100);  // at most 45 in the center: 40 talking and 5 waiting
  EXPECT_LT(mean(trunk, CallKpi::max_wait), mean(open, CallKpi::max_wait));
  for (const auto& rep : trunk.reports) {
    auto k = [&](CallKpi m) { return rep.total[static_cast<int>(m)]; };
    EXPECT_EQ(k(CallKpi::offered), k(CallKpi::handled) + k(CallKpi::abandoned) + k(CallKpi::blocked));
  }
  // IVR ports: multiskill-vip's callers all start in the IVR.
  const Scenario ivr = load_scenario(scenario_path("multiskill-vip.yaml"));
  const auto few_ports = sim::run_simgrid_replications(
      ivr, platform_with("ivr.xml", "<host id=\"trunk\" speed=\"1Gf\"/><host id=\"media\" speed=\"1Gf\"><prop id=\"switchboard.ivr_ports\" value=\"3\"/></host>\n"),
      sim::ReplicationPlan{4, 2, 2});
  EXPECT_GT(mean(few_ports, CallKpi::blocked), 50);
  EXPECT_LT(mean(few_ports, CallKpi::contained), mean(sim::run_simgrid_replications(ivr, "", sim::ReplicationPlan{4, 2, 2}), CallKpi::contained));
}

TEST(SimGridEngine, ReportCodecRoundTrips) {
  const Scenario s = load_scenario(scenario_path("multiskill-vip.yaml"));
  const auto r = sim::run_replications(s, sim::ReplicationPlan{2, 1, 1});
  const std::string bytes = sim::encode_report(r.reports[0]);
  EXPECT_EQ(sim::encode_report(sim::decode_report(bytes)), bytes);
  EXPECT_THROW(sim::decode_report(bytes.substr(0, bytes.size() - 3)), std::runtime_error);
}

// Every part of a report comes back from the child process: the ones a
// hand-made list used to drop (the OpenMetrics timeline, the requeued count)
// included. A member added to KpiReport or CallCounters but not to the
// codec's list fails the build (static_assert in report_codec.cpp).
TEST(SimGridEngine, ReportCodecCarriesEveryPart) {
  const Scenario s = load_scenario(scenario_path("multiskill-vip.yaml"));
  const KpiReport r = sim::run_replications(s, sim::ReplicationPlan{1, 1, 1}).reports[0];
  ASSERT_GT(r.timeline.times.size(), 1u);
  KpiReport original = r;
  original.counters.requeued = 3;
  original.counters.wait_max = 123.5;
  original.events = 987654321;
  const KpiReport back = sim::decode_report(sim::encode_report(original));
  EXPECT_EQ(back.timeline.times, original.timeline.times);
  EXPECT_EQ(back.timeline.values, original.timeline.values);
  EXPECT_EQ(back.counters.requeued, 3);
  EXPECT_EQ(back.counters.wait_max, 123.5);
  EXPECT_EQ(back.counters.offered, original.counters.offered);
  EXPECT_EQ(back.events, 987654321u);
  EXPECT_EQ(back.total, original.total);
  EXPECT_EQ(back.interval, original.interval);
  EXPECT_EQ(back.interval_group, original.interval_group);
  EXPECT_EQ(back.tickets_within_sla, original.tickets_within_sla);
}

// A SimGrid day's OpenMetrics file has its samples: on an ideal platform
// it is the event list's, byte for byte (the codec used to drop them).
TEST(SimGridEngine, OpenMetricsDayHasItsSamples) {
  test::TempDir dir;
  const auto args = " --reps 2 --seed 1 --metrics-date 2026-01-05 --metrics-out ";
  const auto el = test::run_cli("simulate " + scenario_path("bank-day.yaml") + args + (dir / "el.txt").string());
  const auto sg = test::run_cli("simulate " + scenario_path("bank-day.yaml") + " --engine simgrid" + args + (dir / "sg.txt").string());
  ASSERT_EQ(el.exit_code, 0) << el.err;
  ASSERT_EQ(sg.exit_code, 0) << sg.err;
  EXPECT_GT(test::read_lines(dir / "el.txt").size(), 1000u);
  EXPECT_EQ(test::read_file(dir / "sg.txt"), test::read_file(dir / "el.txt"));
}

TEST(SimGridEngine, BadPlatformsAreInputErrors) {
  test::TempDir dir;
  const Scenario s = load_scenario(scenario_path("simgrid-two-site.yaml"));
  test::write_file(dir / "text.xml", "this is not a platform\n");
  test::write_file(dir / "broken.xml", "<?xml version='1.0'?>\n<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\"><host id=\"core\"\n");
  std::string nocore = platform("", "");
  nocore.replace(nocore.find("id=\"core\""), 9, "id=\"server\"");
  test::write_file(dir / "nocore.xml", nocore);
  test::write_file(dir / "unknown.xml", platform("", "<host id=\"h\" speed=\"1Gf\"><prop id=\"switchboard.groups\" value=\"local_agents,ghosts\"/></host>\n"
                                                     "<link id=\"l\" bandwidth=\"1GBps\" latency=\"0\"/><route src=\"core\" dst=\"h\"><link_ctn id=\"l\"/></route>\n"));
  struct Case {
    std::string file, message;
  };
  for (const Case& c : {Case{"text.xml", "expected a SimGrid platform"}, Case{"broken.xml", "does not parse"},
                        Case{"nocore.xml", "expected a host named 'core'"}, Case{"unknown.xml", "unknown agent group 'ghosts'"},
                        Case{"missing.xml", "cannot read the platform file"}}) {
    try {
      sim::run_simgrid_replications(s, (dir / c.file).string(), sim::ReplicationPlan{1, 2, 2});
      ADD_FAILURE() << c.file << ": no error";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << c.file << ": " << e.what();
    }
  }
  // Through the CLI: exit status 2.
  const auto r = test::run_cli("simulate " + scenario_path("simgrid-two-site.yaml") + " --engine simgrid --platform " +
                               (dir / "nocore.xml").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("expected a host named 'core'"), std::string::npos) << r.err;
  EXPECT_EQ(test::run_cli("simulate " + scenario_path("erlang-c.yaml") + " --platform x.xml").exit_code, 2);
}
