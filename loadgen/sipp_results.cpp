#include "loadgen/sipp_results.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace switchboard::loadgen {

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ';')) out.push_back(field);
  return out;
}

// "FailedUnexpectedMessage" -> "unexpected_message"
std::string reason_name(const std::string& column) {
  std::string out;
  for (std::size_t i = 6; i < column.size(); ++i) {  // after "Failed"
    const char c = column[i];
    if (std::isupper(static_cast<unsigned char>(c)) && !out.empty()) out += '_';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

void SippCounts::add(const SippCounts& o) {
  created += o.created;
  current += o.current;
  successful += o.successful;
  failed += o.failed;
  retransmissions += o.retransmissions;
  for (const auto& [k, v] : o.failed_by_reason) failed_by_reason[k] += v;
}

SippCounts read_sipp_stats(const std::string& path) {
  SippCounts c;
  std::ifstream in(path);
  std::string header, line, last;
  if (!std::getline(in, header)) return c;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  if (last.empty()) return c;
  const auto names = split(header), values = split(last);
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    const std::string& n = names[i];
    const double v = std::strtod(values[i].c_str(), nullptr);
    if (n == "TotalCallCreated") c.created = v;
    else if (n == "CurrentCall") c.current = v;
    else if (n == "SuccessfulCall(C)") c.successful = v;
    else if (n == "FailedCall(C)") c.failed = v;
    else if (n == "Retransmissions(C)") c.retransmissions = v;
    else if (n.rfind("Failed", 0) == 0 && n.size() > 9 && n.compare(n.size() - 3, 3, "(C)") == 0 && v > 0)
      c.failed_by_reason[reason_name(n.substr(0, n.size() - 3))] += v;
  }
  return c;
}

std::vector<double> read_sipp_response_times(const std::string& path) {
  std::vector<double> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // Date_ms;response_time_ms;rtd_no
  while (std::getline(in, line)) {
    const auto f = split(line);
    if (f.size() >= 2) out.push_back(std::strtod(f[1].c_str(), nullptr));
  }
  return out;
}

std::map<std::string, double> read_sipp_unexpected(const std::string& path) {
  // "... Aborting call on unexpected message for Call-Id '...': while in
  // message type 5 (index 20), received 'INVITE sip:... SIP/2.0"
  std::map<std::string, double> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("Aborting call on unexpected message") == std::string::npos) continue;
    const auto index = line.find("(index ");
    const auto received = line.find("received '");
    if (index == std::string::npos || received == std::string::npos) continue;
    const std::string where = line.substr(index + 7, line.find(')', index) - index - 7);
    std::string what = line.substr(received + 10);
    what = what.substr(0, what.find(' ', what.rfind("SIP/2.0", 0) == 0 ? 8 : 0));  // a method, or "SIP/2.0 CODE"
    out["index " + where + ": " + what] += 1;
  }
  return out;
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

}  // namespace switchboard::loadgen
