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

  // Continue a day part-way through: the first `calls` calls of the type
  // have had their conversations (drawn and dropped), so the next talk() is
  // the day's (calls + 1)-th. A served window (loadtest --window, serve
  // --calls-before) starts here where the simulated day's calls are: each
  // call's talk time is the one the simulated day gives the same call
  // wherever calls are answered in arrival order (one FIFO queue, no
  // abandonment, as scenarios/erlang-c.yaml), and a draw of the same stream
  // elsewhere. The simulator starts at the day's beginning (calls = 0).
  void skip_calls(int call_type, std::uint64_t calls);

  double wrap_up(int group);

 private:
  const Scenario& scenario_;
  std::vector<RandomStream> answer_, wrap_up_;       // per agent group
  std::vector<RandomStream> talk_, disposition_;     // per call type
};

}  // namespace switchboard::sim
