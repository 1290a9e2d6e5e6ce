#include "sim/virtual_agents.hpp"

#include "sim/behaviour.hpp"

namespace switchboard::sim {

VirtualAgents::VirtualAgents(const Scenario& scenario, std::uint64_t seed, std::uint64_t replication) : scenario_(scenario) {
  for (std::uint32_t g = 0; g < scenario.groups.size(); ++g) {
    answer_.emplace_back(seed, replication, Stream::answer, g);
    wrap_up_.emplace_back(seed, replication, Stream::wrap_up, g);
  }
  for (std::uint32_t t = 0; t < scenario.call_types.size(); ++t) {
    talk_.emplace_back(seed, replication, Stream::handle_time, t);
    disposition_.emplace_back(seed, replication, Stream::disposition, t);
  }
}

VirtualAgents::Answer VirtualAgents::ring(int group) {
  const AgentGroup& g = scenario_.groups[group];
  RandomStream& rng = answer_[group];
  if (g.no_answer_probability > 0 && rng.bernoulli(g.no_answer_probability)) return {false, 0};
  return {true, g.answer_delay.kind == DistKind::none ? 0 : sample(g.answer_delay, rng)};
}

VirtualAgents::Conversation VirtualAgents::talk(int call_type) {
  const CallType& type = scenario_.call_types[call_type];
  Conversation c;
  c.talk = sample(type.handle_time, talk_[call_type]);
  if (!type.dispositions.empty()) {
    double u = disposition_[call_type].uniform();
    for (const auto& d : type.dispositions) {
      if (u < d.probability) {
        c.disposition = d.category;
        break;
      }
      u -= d.probability;
    }
  }
  return c;
}

void VirtualAgents::skip_calls(int call_type, std::uint64_t calls) {
  for (std::uint64_t n = 0; n < calls; ++n) talk(call_type);  // the same draws, dispositions included, as the day made
}

double VirtualAgents::wrap_up(int group) { return sample(scenario_.groups[group].wrap_up, wrap_up_[group]); }

}  // namespace switchboard::sim
