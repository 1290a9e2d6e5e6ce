#include "sip/call_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/input_error.hpp"

namespace switchboard::sip {

namespace {

// The length of the valid UTF-8 sequence at text[at] (1 to 4), or 0 when
// the byte there does not start one (RFC 3629: no overlongs, no surrogates).
std::size_t utf8_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char b = byte(at);
  if (b < 0x80) return 1;
  std::size_t n = 0;
  unsigned char low = 0x80, high = 0xbf;  // the second byte's range
  if (b >= 0xc2 && b <= 0xdf) n = 2;
  else if (b == 0xe0) n = 3, low = 0xa0;
  else if (b >= 0xe1 && b <= 0xec) n = 3;
  else if (b == 0xed) n = 3, high = 0x9f;
  else if (b >= 0xee && b <= 0xef) n = 3;
  else if (b == 0xf0) n = 4, low = 0x90;
  else if (b >= 0xf1 && b <= 0xf3) n = 4;
  else if (b == 0xf4) n = 4, high = 0x8f;
  else return 0;
  if (at + n > text.size()) return 0;
  if (byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if (byte(at + i) < 0x80 || byte(at + i) > 0xbf) return 0;
  return n;
}

void append_hex(std::string& out, unsigned char b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out += "\\x";
  out += kDigits[b >> 4];
  out += kDigits[b & 15];
}

// Every byte of `text` that is valid, printable UTF-8 goes through `plain`;
// the rest is written as \xHH (in JSON the backslash itself escaped: \\xHH).
template <class Plain>
void append_escaped(std::string& out, std::string_view text, bool json, Plain plain) {
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_length(text, i);
    if (n == 0 || b < 0x20 || b == 0x7f) {
      if (json) out += '\\';
      append_hex(out, b);
      ++i;
    } else if (n == 1) {
      plain(out, static_cast<char>(b));
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
}

void append_number(std::string& out, double value) {
  char text[32];
  const auto r = std::to_chars(text, text + sizeof text, value);
  out.append(text, r.ptr);
}

void append_fixed(std::string& out, double value) {
  char text[32];
  const auto r = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, 3);
  out.append(text, r.ptr);
}

// A crash while a line was being written (only a power loss can do that
// with one write(2) per record) leaves a last line without its newline:
// cut it off so that the next record starts a line of its own.
void drop_torn_line(const std::filesystem::path& file, int fd) {
  struct stat st{};
  if (fstat(fd, &st) != 0 || st.st_size == 0) return;
  off_t end = st.st_size;
  char buffer[4096];
  off_t keep = 0;
  bool last_is_newline = false;
  while (end > 0) {  // scan back for the last newline
    const off_t from = end > static_cast<off_t>(sizeof buffer) ? end - static_cast<off_t>(sizeof buffer) : 0;
    const ssize_t n = pread(fd, buffer, static_cast<std::size_t>(end - from), from);
    if (n <= 0) return;
    if (end == st.st_size && buffer[n - 1] == '\n') {
      last_is_newline = true;
      break;
    }
    const void* nl = nullptr;
    for (ssize_t i = n - 1; i >= 0 && nl == nullptr; --i)
      if (buffer[i] == '\n') nl = buffer + i;
    if (nl != nullptr) {
      keep = from + (static_cast<const char*>(nl) - buffer) + 1;
      break;
    }
    end = from;
  }
  if (last_is_newline) return;
  if (ftruncate(fd, keep) != 0) return;
  std::fprintf(stderr, "switchboard serve: %s: dropped a torn last line (%lld bytes) left by an earlier crash\n",
               file.c_str(), static_cast<long long>(st.st_size - keep));
}

int open_log(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd >= 0) drop_torn_line(file, fd);
  return fd;
}

}  // namespace

void CallLog::append_json(std::string& out, std::string_view text) {
  append_escaped(out, text, true, [](std::string& o, char c) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  });
}

void CallLog::append_csv(std::string& out, std::string_view text) {
  const bool quote = text.find_first_of(",\"") != std::string_view::npos;
  if (quote) out += '"';
  append_escaped(out, text, false, [](std::string& o, char c) {
    if (c == '"') o += '"';
    o += c;
  });
  if (quote) out += '"';
}

CallLog::CallLog(const std::string& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  events_ = open_log(std::filesystem::path(dir) / "events.jsonl");
  cdr_ = open_log(std::filesystem::path(dir) / "cdr.csv");
  if (events_ < 0 || cdr_ < 0) {
    if (events_ >= 0) ::close(events_);
    if (cdr_ >= 0) ::close(cdr_);
    throw InputError(Problem{dir, 0, 0, "--log-dir", "expected a directory the server can write"});
  }
  line_.reserve(1024);
  if (lseek(cdr_, 0, SEEK_END) == 0) {
    line_ = "call_id,call_type,arrived,answered,ended,wait_seconds,outcome,agent\n";
    write_line(cdr_, "cdr.csv");
  }
}

CallLog::~CallLog() {
  if (events_ >= 0) ::close(events_);
  if (cdr_ >= 0) ::close(cdr_);
}

void CallLog::write_line(int fd, const char* file) noexcept {
  const char* p = line_.data();
  std::size_t left = line_.size();
  while (left > 0) {  // one write(2); a short one (disk full) is finished or reported
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (!write_failed_) std::fprintf(stderr, "switchboard serve: cannot write %s: %s\n", file, std::strerror(errno));
      write_failed_ = true;
      return;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

void CallLog::event(double time, std::string_view call_id, const char* what, std::string_view detail) noexcept {
  if (events_ < 0) return;
  try {
    line_.assign("{\"call\":\"");
    append_json(line_, call_id);
    if (!detail.empty()) {
      line_ += "\",\"detail\":\"";
      append_json(line_, detail);
    }
    line_ += "\",\"event\":\"";
    append_json(line_, what);
    line_ += "\",\"time\":";
    append_number(line_, time);
    line_ += "}\n";
  } catch (...) {  // out of memory: this record is lost, the server goes on
    return;
  }
  write_line(events_, "events.jsonl");
}

void CallLog::cdr(std::string_view call_id, std::string_view call_type, double arrived, double queued, double answered,
                  double ended, const char* outcome, std::string_view agent) noexcept {
  if (cdr_ < 0) return;
  try {
    const double wait = queued < 0 ? 0 : (answered >= 0 ? answered : ended) - queued;
    line_.clear();
    append_csv(line_, call_id);
    line_ += ',';
    append_csv(line_, call_type);
    line_ += ',';
    append_fixed(line_, arrived);
    line_ += ',';
    append_fixed(line_, answered);
    line_ += ',';
    append_fixed(line_, ended);
    line_ += ',';
    append_fixed(line_, wait);
    line_ += ',';
    append_csv(line_, outcome);
    line_ += ',';
    append_csv(line_, agent);
    line_ += '\n';
  } catch (...) {
    return;
  }
  write_line(cdr_, "cdr.csv");
}

}  // namespace switchboard::sip
