// A single-queue scenario built from numbers (what staffing by simulation
// does) is held to the scenario checks: nonsense is an InputError that
// names the field, not a simulation of it.
#include <gtest/gtest.h>

#include <string>

#include "core/input_error.hpp"
#include "sim/single_queue.hpp"

using namespace switchboard;

namespace {

std::string fields_of(const InputError& e) {
  std::string out;
  for (const Problem& p : e.problems()) out += p.field + ": " + p.message + "\n";
  return out;
}

sim::SingleQueue sound() {
  sim::SingleQueue m;
  m.calls_per_hour = {100};
  m.agents = {10};
  return m;
}

}  // namespace

TEST(SingleQueue, ASoundModelIsAValidScenario) { EXPECT_NO_THROW(sim::single_queue_scenario(sound())); }

TEST(SingleQueue, ANegativeArrivalRateIsAnErrorNamingTheField) {
  sim::SingleQueue m = sound();
  m.calls_per_hour = {100, -3};
  m.agents = {10, 10};
  m.length = 2 * m.interval;
  try {
    sim::single_queue_scenario(m);
    FAIL() << "a negative arrival rate was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(fields_of(e).find("call_types[0].arrivals"), std::string::npos) << fields_of(e);
  }
}

TEST(SingleQueue, NegativeStaffingIsAnErrorNamingTheField) {
  sim::SingleQueue m = sound();
  m.agents = {-1};
  try {
    sim::single_queue_scenario(m);
    FAIL() << "negative staffing was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(fields_of(e).find("agent_groups[0]"), std::string::npos) << fields_of(e);
  }
}
