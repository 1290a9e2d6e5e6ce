// Text as UTF-8: what JSON, terminals and the ticket store's text expect of
// what users and peers give us (flags, CSV and scenario files, SIP headers).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace switchboard {

// Length of the well-formed UTF-8 sequence at s[i] (no overlong form, no
// surrogate, at most U+10FFFF, no C1 control), 0 if none starts there.
std::size_t utf8_sequence(std::string_view s, std::size_t i);

bool is_utf8(std::string_view s);

// `s` with control bytes (but newlines) and bytes that are not UTF-8
// written as \xNN, cut after `max_bytes` bytes of output with a note of
// how many are left out: always well-formed, printable UTF-8.
std::string escape_unprintable(std::string_view s, std::size_t max_bytes = std::string_view::npos);

}  // namespace switchboard
