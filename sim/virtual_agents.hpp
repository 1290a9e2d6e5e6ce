// What agents do, drawn from the scenario's behaviour models: whether and
// when they answer a ring, how long they talk, which ticket (if any) they
// open after the call, how long their wrap-up lasts. Part of the behaviour
// component (sim/behaviour.hpp, Behaviour::agents) that the simulator's
// agents and the SIP server's virtual agents share, so that simulated and
// served days are the same experiment.
#pragma once

#include <cstdint>
#include <vector>

#include "core/scenario.hpp"
#include "sim/random.hpp"

namespace switchboard::sim {

class VirtualAgents {
 public:
  VirtualAgents(const Scenario& scenario, std::uint64_t seed, std::uint64_t replication);

  struct Answer {
    bool answers = true;  // false: the phone rings until the core's ring timeout
    double delay = 0;     // seconds of ringing before the answer
  };
  Answer ring(int group);

  struct Conversation {
    double talk = 0;            // seconds
    int disposition = kNone;    // ticket category opened after the call
  };
  Conversation talk(int call_type);

  double wrap_up(int group);

 private:
  const Scenario& scenario_;
  std::vector<RandomStream> answer_, wrap_up_;       // per agent group
  std::vector<RandomStream> talk_, disposition_;     // per call type
};

}  // namespace switchboard::sim
