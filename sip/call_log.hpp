// The server's record of each call: an event log (one JSON object per line:
// arrived, queued, offered to an agent, answered, ended with its reason) and
// a CDR (one CSV row per call), both flushed as they go and on exit.
#pragma once

#include <cstdio>
#include <string>

namespace switchboard::sip {

class CallLog {
 public:
  // Opens DIR/events.jsonl and DIR/cdr.csv; an empty dir logs nothing.
  explicit CallLog(const std::string& dir);
  ~CallLog();
  CallLog(const CallLog&) = delete;
  CallLog& operator=(const CallLog&) = delete;

  void event(double time, const std::string& call_id, const char* what, const std::string& detail = {});
  void cdr(const std::string& call_id, const std::string& call_type, double arrived, double answered, double ended,
           const char* outcome, int agent);
  void flush();

 private:
  std::FILE* events_ = nullptr;
  std::FILE* cdr_ = nullptr;
};

}  // namespace switchboard::sip
