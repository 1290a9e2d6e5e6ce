// What a SimGrid platform means to the call center. Hosts are found by
// name and properties (docs/simgrid.md):
//   host "core"                      the call center's server; property
//                                    switchboard.event_flops = CPU work per event
//   any host with property
//     switchboard.groups="a,b"       where those agent groups sit ("*": every
//                                    group no other host names)
//   any link with property
//     switchboard.fail_at="3600"     the link fails at that time (seconds on the horizon)
//   host "trunk" (optional)          the carrier's side: calls come in over the
//                                    route trunk -> core; property
//                                    switchboard.channels = calls in the center at once
//   any host with property
//     switchboard.ivr_ports="N"      the IVR/media server: calls in the IVR at once
// Signalling between the core and an agent site takes the route's latency
// (SimGrid's routing); a group whose route crosses a failed link is lost.
#pragma once

#include <string>
#include <vector>

#include "core/scenario.hpp"

namespace switchboard::sim {

struct GroupSite {
  std::string host;
  double latency = 0;                // one way, core <-> site, seconds
  std::vector<double> fails_at;      // failure times of links on the route
};

struct PlatformModel {
  std::string file;
  double event_flops = 0;            // CPU work per core event
  double core_speed = 0;             // flop/s of the core host
  std::vector<GroupSite> groups;     // by agent group index
  double trunk_latency = 0;          // carrier -> core, seconds
  std::size_t trunk_channels = static_cast<std::size_t>(-1);
  std::size_t ivr_ports = static_cast<std::size_t>(-1);
};

}  // namespace switchboard::sim
