#include "core/input_error.hpp"

#include "core/utf8.hpp"

namespace switchboard {

namespace {

// What the user gave us, quoted in a message, may be any bytes (a binary
// file given as a CSV): the message stays one readable line on the
// terminal, cut after kMaxMessage bytes.
constexpr std::size_t kMaxMessage = 600;

std::string printable(const std::string& s) { return escape_unprintable(s, kMaxMessage); }

}  // namespace

std::string Problem::format() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ":" + std::to_string(line);
      if (column > 0) out += ":" + std::to_string(column);
    }
    out += ": ";
  }
  if (!field.empty()) out += printable(field) + ": ";
  out += printable(message);
  return out;
}

namespace {
std::string join(const std::vector<Problem>& problems) {
  std::string out;
  for (const auto& p : problems) {
    if (!out.empty()) out += "\n";
    out += p.format();
  }
  return out;
}
}  // namespace

InputError::InputError(std::vector<Problem> problems)
    : std::runtime_error(join(problems)), problems_(std::move(problems)) {}

InputError::InputError(Problem problem) : InputError(std::vector<Problem>{std::move(problem)}) {}

}  // namespace switchboard
