// The IVR's ticket_status node: the driver's lookup decides the branch (a
// node per open state, no_ticket otherwise), a caller told the state and
// hung up on is contained, no lookup means a miss; and the loader's checks.
#include <gtest/gtest.h>

#include <map>

#include "core/call_center.hpp"
#include "core/input_error.hpp"
#include "io/scenario_loader.hpp"
#include "support/recording_driver.hpp"

using namespace switchboard;
using test::RecordingDriver;

namespace {

const char* kScenario = R"(name: status
horizon: {length: 1h}
skills: [repair]
agent_groups:
  - {name: back, skills: [repair], agents: 0}
queues:
  - {name: repairs, skill: repair}
ivr:
  - id: status
    type: ticket_status
    states: {new: told_new, assigned: told_assigned, in_progress: told_in_progress, waiting_for_customer: told_waiting}
    no_ticket: to_repairs
  - {id: told_new, type: prompt, duration: 2s, next: bye}
  - {id: told_assigned, type: prompt, duration: 3s, next: bye}
  - {id: told_in_progress, type: prompt, duration: 4s, next: bye}
  - {id: told_waiting, type: prompt, duration: 5s, next: bye}
  - {id: bye, type: hangup}
  - {id: to_repairs, type: queue, queue: repairs}
call_types:
  - name: calls
    arrivals: {process: poisson, rate: 60}
    handle_time: {dist: exponential, mean: 4m}
    entry: {ivr: status}
)";

Scenario parse(const std::string& text) { return parse_scenario(text, "status.yaml", "."); }

// Answers from a table of call slots (as a driver would from caller numbers).
class TableLookup : public TicketLookup {
 public:
  std::map<std::uint32_t, ticketing::Status> by_slot;
  int asked = 0;
  std::optional<ticketing::Status> open_ticket_state(CallHandle call) override {
    ++asked;
    const auto it = by_slot.find(call.slot);
    if (it == by_slot.end()) return std::nullopt;
    return it->second;
  }
};

double kpi(const KpiReport& r, CallKpi k) { return r.total[static_cast<int>(k)]; }

int node_of(const Scenario& s, const std::string& id) {
  for (std::size_t i = 0; i < s.ivr.size(); ++i)
    if (s.ivr[i].id == id) return static_cast<int>(i);
  return -1;
}

}  // namespace

TEST(TicketStatus, EachOpenStateHasItsPromptAndTheCallIsContained) {
  const Scenario s = parse(kScenario);
  const std::pair<ticketing::Status, const char*> cases[] = {{ticketing::Status::fresh, "told_new"},
                                                             {ticketing::Status::assigned, "told_assigned"},
                                                             {ticketing::Status::in_progress, "told_in_progress"},
                                                             {ticketing::Status::waiting_for_customer, "told_waiting"}};
  for (const auto& [state, told] : cases) {
    RecordingDriver d;
    TableLookup lookup;
    lookup.by_slot[0] = state;
    CallCenterOptions o;
    o.ticket_lookup = &lookup;
    CallCenter cc(s, d, o);
    cc.start(0);
    const CallHandle c = cc.on_call_arrived(10, 0, 0);
    EXPECT_EQ(lookup.asked, 1);
    ASSERT_FALSE(d.prompts.empty());
    EXPECT_EQ(d.prompts.back().node, node_of(s, told)) << told;
    cc.on_timer(d.last_call_timer_at(c), d.last_call_timer(c));  // the prompt ends: hang-up
    ASSERT_FALSE(d.releases.empty());
    EXPECT_EQ(d.releases.back().second, EndReason::contained);
    const KpiReport r = cc.report(3600);
    EXPECT_EQ(kpi(r, CallKpi::contained), 1);
    EXPECT_EQ(kpi(r, CallKpi::offered), 1);
  }
}

TEST(TicketStatus, NoOpenTicketGoesOnAtNoTicket) {
  const Scenario s = parse(kScenario);
  RecordingDriver d;
  TableLookup lookup;  // knows nobody
  CallCenterOptions o;
  o.ticket_lookup = &lookup;
  CallCenter cc(s, d, o);
  cc.start(0);
  cc.on_call_arrived(10, 0, 0);
  EXPECT_EQ(lookup.asked, 1);
  EXPECT_TRUE(d.prompts.empty());
  EXPECT_EQ(cc.waiting_in_queue(0), 1);
  EXPECT_TRUE(d.releases.empty());
}

// The simulator gives no lookup: every caller takes the no_ticket branch.
TEST(TicketStatus, WithoutALookupEveryCallerIsAMiss) {
  const Scenario s = parse(kScenario);
  RecordingDriver d;
  CallCenter cc(s, d);
  cc.start(0);
  cc.on_call_arrived(10, 0, 0);
  cc.on_call_arrived(11, 0, 0);
  EXPECT_EQ(cc.waiting_in_queue(0), 2);
  EXPECT_TRUE(d.prompts.empty());
}

TEST(TicketStatus, TheLoaderNamesEveryMistake) {
  auto problems = [](const std::string& from, const std::string& to) {
    std::string text = kScenario;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    try {
      parse(text);
    } catch (const InputError& e) {
      std::string all;
      for (const auto& p : e.problems()) all += p.format() + "\n";
      return all;
    }
    return std::string();
  };
  EXPECT_EQ(problems("x", "x"), "");  // the scenario itself loads
  EXPECT_NE(problems(", waiting_for_customer: told_waiting}", "}").find("ivr[0].states.waiting_for_customer: expected the node that tells a caller whose ticket is waiting_for_customer"),
            std::string::npos);
  EXPECT_NE(problems("new: told_new,", "new: told_new, resolved: told_new,").find("ivr[0].states.resolved: expected an open ticket state (new, assigned, in_progress, waiting_for_customer); got 'resolved'"),
            std::string::npos);
  EXPECT_NE(problems("in_progress: told_in_progress", "in_progress: told_progress").find("ivr[0].states.in_progress: unknown IVR node 'told_progress'"),
            std::string::npos);
  EXPECT_NE(problems("    no_ticket: to_repairs\n", "").find("ivr[0].no_ticket: expected 'no_ticket'"), std::string::npos);
  EXPECT_NE(problems("    no_ticket: to_repairs\n", "    no_ticket: to_repairs\n    next: bye\n").find("ivr[0].next: unknown key 'next'"),
            std::string::npos);
  // A loop through instant nodes only is refused, as with lookup and ticket nodes.
  EXPECT_NE(problems("no_ticket: to_repairs", "no_ticket: status").find("loops back to itself through lookup/ticket/ticket_status nodes only"),
            std::string::npos);
}
