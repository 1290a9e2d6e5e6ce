// The small text forms every input shares: clock times (one parser for
// scenario files, shift policies, --clock, --intraday-until and --window)
// and lines read with or without Windows line ends.
#include <gtest/gtest.h>

#include <sstream>

#include "io/clock_text.hpp"
#include "io/text_line.hpp"

using namespace switchboard;

TEST(ClockText, HoursOfOneOrTwoDigitsMinutesAndSecondsOfTwo) {
  EXPECT_EQ(parse_clock("08:05"), 8 * 3600 + 5 * 60);
  EXPECT_EQ(parse_clock("8:05"), 8 * 3600 + 5 * 60);
  EXPECT_EQ(parse_clock("00:00"), 0);
  EXPECT_EQ(parse_clock("23:59:59"), 86399);
  EXPECT_EQ(parse_clock("24:00"), 86400);   // the caller decides whether 24:00 is allowed
  EXPECT_EQ(parse_clock("30:15"), 30 * 3600 + 15 * 60);
}

TEST(ClockText, EverythingElseIsRefused) {
  for (const char* bad : {"8:5", "08:5", "8:5:00", "08:05:0", "008:05", "08:60", "08:00:60", "08", "08:", ":05", "",
                          " 08:05", "08:05 ", "+8:05", "-8:05", "08:05pm", "08.05", "08:05:00:00", "8h05", "0x8:05"})
    EXPECT_FALSE(parse_clock(bad).has_value()) << "'" << bad << "'";
}

TEST(TextLine, EndsOfLineAreDroppedWhetherUnixOrWindows) {
  std::istringstream in("a,b\r\nc\n\r\n\nlast");
  std::vector<std::string> lines;
  for (std::string line; read_line(in, line);) lines.push_back(line);
  EXPECT_EQ(lines, (std::vector<std::string>{"a,b", "c", "", "", "last"}));
}
