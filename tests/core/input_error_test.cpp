// How a problem is written for the user: where, which field, what was
// expected, and what they gave quoted so that any bytes stay readable.
#include <gtest/gtest.h>

#include "core/input_error.hpp"

using switchboard::InputError;
using switchboard::Problem;

TEST(InputError, AProblemSaysWhereWhichFieldAndWhat) {
  EXPECT_EQ((Problem{"a.csv", 3, 7, "calls", "expected a number"}.format()), "a.csv:3:7: calls: expected a number");
  EXPECT_EQ((Problem{"", 0, 0, "--reps", "expected a whole number"}.format()), "--reps: expected a whole number");
  const InputError two({Problem{"s.yaml", 1, 0, "name", "expected text"}, Problem{"s.yaml", 2, 0, "horizon", "missing"}});
  EXPECT_STREQ(two.what(), "s.yaml:1: name: expected text\ns.yaml:2: horizon: missing");
}

TEST(InputError, BytesThatAreNotTextAreWrittenAsHexAndLongMessagesAreCut) {
  // A binary file's first line quoted in the message: control bytes and
  // bytes that are not UTF-8 become \xNN; UTF-8 text stays as it is.
  const std::string given = std::string("A\x01\x1b[2J\xff\xfe ok \xc3\xbc\t\xed\xa0\x80\xc2\x85", 20);
  EXPECT_EQ((Problem{"f.csv", 1, 1, "header", "got '" + given + "'"}.format()),
            "f.csv:1:1: header: got 'A\\x01\\x1b[2J\\xff\\xfe ok \xc3\xbc\\x09\\xed\\xa0\\x80\\xc2\\x85'");
  const std::string cut = Problem{"", 0, 0, "", "got '" + std::string(5000, 'x') + "'"}.format();
  EXPECT_LT(cut.size(), 700u);
  EXPECT_NE(cut.find("... (4"), std::string::npos) << cut;
  EXPECT_NE(cut.find(" more bytes)"), std::string::npos) << cut;
}
