// Replications on the SimGrid engine, each in a child process of its own
// (SimGrid's Engine is a per-process singleton), at most `jobs` at a time.
// Results come back in replication order, so --jobs changes no number.
#pragma once

#include <functional>
#include <string>

#include "core/scenario.hpp"
#include "sim/replications.hpp"

namespace switchboard::sim {

// `platform`: a SimGrid platform file, or empty for an ideal one. A bad
// platform is reported (InputError) before any replication runs.
ReplicationResults run_simgrid_replications(const Scenario& scenario, const std::string& platform,
                                            const ReplicationPlan& plan,
                                            const std::function<void(int done)>& progress = {});

}  // namespace switchboard::sim
