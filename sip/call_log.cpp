#include "sip/call_log.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/input_error.hpp"

namespace switchboard::sip {

CallLog::CallLog(const std::string& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  events_ = std::fopen((std::filesystem::path(dir) / "events.jsonl").c_str(), "a");
  cdr_ = std::fopen((std::filesystem::path(dir) / "cdr.csv").c_str(), "a");
  if (events_ == nullptr || cdr_ == nullptr)
    throw InputError(Problem{dir, 0, 0, "--log-dir", "expected a directory the server can write"});
  if (std::ftell(cdr_) == 0) std::fputs("call_id,call_type,arrived,answered,ended,wait_seconds,outcome,agent\n", cdr_);
}

CallLog::~CallLog() {
  if (events_ != nullptr) std::fclose(events_);
  if (cdr_ != nullptr) std::fclose(cdr_);
}

void CallLog::event(double time, const std::string& call_id, const char* what, const std::string& detail) {
  if (events_ == nullptr) return;
  nlohmann::json j{{"time", time}, {"call", call_id}, {"event", what}};
  if (!detail.empty()) j["detail"] = detail;
  std::fputs((j.dump() + "\n").c_str(), events_);
}

void CallLog::cdr(const std::string& call_id, const std::string& call_type, double arrived, double answered,
                  double ended, const char* outcome, int agent) {
  if (cdr_ == nullptr) return;
  const double wait = answered >= 0 ? answered - arrived : ended - arrived;
  std::fprintf(cdr_, "%s,%s,%.3f,%.3f,%.3f,%.3f,%s,%d\n", call_id.c_str(), call_type.c_str(), arrived, answered, ended,
               wait, outcome, agent);
}

void CallLog::flush() {
  if (events_ != nullptr) std::fflush(events_);
  if (cdr_ != nullptr) std::fflush(cdr_);
}

}  // namespace switchboard::sip
