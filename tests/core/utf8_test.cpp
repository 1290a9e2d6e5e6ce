// Well-formed UTF-8 and its escaped spelling (core/utf8.hpp).
#include "core/utf8.hpp"

#include <gtest/gtest.h>

using switchboard::escape_unprintable;
using switchboard::is_utf8;

TEST(Utf8, WellFormedTextOnly) {
  EXPECT_TRUE(is_utf8(""));
  EXPECT_TRUE(is_utf8("+4930123"));
  EXPECT_TRUE(is_utf8("Grüße, 東京 ✓ \xf0\x9f\x93\x9e"));  // 2-, 3- and 4-byte sequences
  EXPECT_FALSE(is_utf8("\xff"));
  EXPECT_FALSE(is_utf8("\xc3"));                  // cut short
  EXPECT_FALSE(is_utf8("\xc0\xaf"));              // overlong '/'
  EXPECT_FALSE(is_utf8("\xed\xa0\x80"));          // a surrogate
  EXPECT_FALSE(is_utf8("\xf4\x90\x80\x80"));      // past U+10FFFF
  EXPECT_FALSE(is_utf8("\xc2\x85"));              // a C1 control
}

TEST(Utf8, EscapedSpellingIsPrintableAndCut) {
  EXPECT_EQ(escape_unprintable("a\xff" "b\x01\n✓"), "a\\xffb\\x01\n✓");
  const std::string escaped = escape_unprintable(std::string(1000, '\xfe'), 40);
  EXPECT_TRUE(is_utf8(escaped));
  EXPECT_EQ(escaped.rfind("\\xfe\\xfe", 0), 0u);
  EXPECT_NE(escaped.find("... (990 more bytes)"), std::string::npos) << escaped;
}
