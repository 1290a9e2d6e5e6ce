// Reading the user's text files line by line, the same way everywhere:
// a file saved on Windows ends its lines with "\r\n", and the "\r" is not
// part of the last cell.
#pragma once

#include <istream>
#include <string>

namespace switchboard {

// The next line of `in` into `line`, without "\n" or "\r\n"; false at the end.
inline bool read_line(std::istream& in, std::string& line) {
  if (!std::getline(in, line)) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

}  // namespace switchboard
