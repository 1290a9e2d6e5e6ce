// A KpiReport as bytes, to bring a replication's results back from the
// process that ran it (SimGrid allows one engine per process).
#pragma once

#include <string>

#include "core/kpi.hpp"

namespace switchboard::sim {

std::string encode_report(const KpiReport& report);
// Throws std::runtime_error on truncated or malformed bytes.
KpiReport decode_report(const std::string& bytes);

}  // namespace switchboard::sim
