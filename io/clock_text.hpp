// Clock times as users write them: the one parser of "HH:MM" for every
// input (scenario files, shift policies, --clock, --intraday-until,
// --window), so they all accept and refuse the same text.
#pragma once

#include <optional>
#include <string_view>

namespace switchboard {

// "HH:MM" or "HH:MM:SS" -> seconds after midnight. The hour has one or two
// digits ("8:05" and "08:05" both mean 08:05); minutes and seconds have
// exactly two and are below 60; nothing else is allowed (no sign, space, or
// "8:5", which could be 08:05 or 08:50). The hour is not bounded here:
// whoever asks for a clock time decides its range (a closing time may be
// 24:00, a window in a day that crosses midnight may end after it).
std::optional<double> parse_clock(std::string_view text);

}  // namespace switchboard
