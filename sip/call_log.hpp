// The server's record of each call: an event log (one JSON object per line:
// arrived, queued, offered to an agent, answered, ended with its reason) and
// a CDR (one CSV row per call, RFC 4180 quoting).
//
// Text from the wire (a Call-ID, a digit, a user name) may hold any byte:
// a byte that is not valid UTF-8, or a control character, is written as the
// four characters \xHH, so every line is valid JSON (or CSV) and one record
// is one line. Each record goes to the file in one write(2) on a descriptor
// opened with O_APPEND: a crash (even kill -9) loses at most the record
// being written, never leaves half of one behind a later one. On open, a
// torn last line left by an earlier crash (power loss mid-write) is dropped
// and reported on stderr. No method throws: a failed write is reported on
// stderr once and the server keeps serving.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::sip {

class CallLog {
 public:
  // Opens DIR/events.jsonl and DIR/cdr.csv; an empty dir logs nothing.
  // Throws InputError when DIR cannot be written (at start, not later).
  explicit CallLog(const std::string& dir);
  ~CallLog();
  CallLog(const CallLog&) = delete;
  CallLog& operator=(const CallLog&) = delete;

  void event(double time, std::string_view call_id, const char* what, std::string_view detail = {}) noexcept;
  // `queued`: first entry into a queue (-1: never queued); wait_seconds is
  // measured from there (docs/kpis.md). `agent`: empty when none answered.
  void cdr(std::string_view call_id, std::string_view call_type, double arrived, double queued, double answered,
           double ended, const char* outcome, std::string_view agent) noexcept;

  // Appends `text` to `out` as the inside of a JSON string (quotes,
  // backslashes and control characters escaped, bytes that are not UTF-8 as \xHH).
  static void append_json(std::string& out, std::string_view text);
  // Appends `text` to `out` as one CSV field: quoted when it holds a comma
  // or a quote (quotes doubled); bytes that are not UTF-8 and control
  // characters (line breaks too) as \xHH.
  static void append_csv(std::string& out, std::string_view text);

 private:
  void write_line(int fd, const char* file) noexcept;

  int events_ = -1;
  int cdr_ = -1;
  bool write_failed_ = false;
  std::string line_;  // reused: a record is built here, then written at once
};

}  // namespace switchboard::sip
