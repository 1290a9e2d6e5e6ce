// What SIPp reports about its calls: the periodic statistics file
// (-trace_stat -stf, one CSV line per -fd period, cumulative columns "(C)")
// and the per-call response times (-trace_rtt: INVITE -> 200, in ms).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace switchboard::loadgen {

struct SippCounts {
  double created = 0, current = 0, successful = 0, failed = 0, retransmissions = 0;
  std::map<std::string, double> failed_by_reason;  // "unexpected_message" -> 3 (reasons with a count only)
  void add(const SippCounts& other);
};

// The last line of a statistics file; all zeros when it has none yet.
SippCounts read_sipp_stats(const std::string& path);

// Every response time (ms) of an rtt file.
std::vector<double> read_sipp_response_times(const std::string& path);

// SIPp's error log (-trace_err): the calls it aborted on an unexpected
// message, grouped by where the caller was (scenario message index) and
// the start line it received: "index 28: INVITE" -> 2.
std::map<std::string, double> read_sipp_unexpected(const std::string& path);

// The q-quantile (0..1) of `values` (nearest rank on the sorted values); 0 when empty.
double quantile(std::vector<double> values, double q);

}  // namespace switchboard::loadgen
