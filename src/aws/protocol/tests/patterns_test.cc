#include "aws/protocol/patterns.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace aws::protocol {
namespace {

TEST(Patterns, TranslatesJavaEscapes) {
  EXPECT_EQ(translate_java_pattern("[\\u0009\\u000A\\u0020-\\u00FF]+"), "[\\x{9}\\x{A}\\x{20}-\\x{FF}]+");
  EXPECT_EQ(translate_java_pattern("[\\uD800\\uDC00-\\uDBFF\\uDFFF]"), "[\\x{10000}-\\x{10FFFF}]");
  EXPECT_EQ(translate_java_pattern("\\p{Alpha}[\\p{Punct}x]"), "[[:alpha:]][[:punct:]x]");
  EXPECT_EQ(translate_java_pattern("[\\w+=,.@-]+"), "[\\w+=,.@-]+");
}

TEST(Patterns, MatchesTheWholeValue) {
  EXPECT_EQ(pattern_matches("[\\w+=,.@-]+", "role-name_1"), true);
  EXPECT_EQ(pattern_matches("[\\w+=,.@-]+", "role name"), false);
  EXPECT_EQ(pattern_matches("\\d{12}", "123456789012"), true);
  EXPECT_EQ(pattern_matches("\\d{12}", "1234567890123"), false);
  EXPECT_EQ(pattern_matches("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "/"), true);
  EXPECT_EQ(pattern_matches("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "/a/b/"), true);
  EXPECT_EQ(pattern_matches("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", "/a"), false);
}

TEST(Patterns, UnicodeClasses) {
  EXPECT_EQ(pattern_matches("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*", "über straße 1"), true);
  EXPECT_EQ(pattern_matches("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*", "a{b}"), false);
  // Java \w is ASCII-only.
  EXPECT_EQ(pattern_matches("[\\w]+", "ü"), false);
  EXPECT_EQ(pattern_matches("[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF]*", "a😀b"), true);
}

TEST(Patterns, InvalidPatternsAreSkippedNotFatal) {
  EXPECT_EQ(pattern_matches("([unclosed", "x"), std::nullopt);
  EXPECT_EQ(pattern_matches("([unclosed", "y"), std::nullopt);  // cached failure
}

TEST(Patterns, InvalidUtf8ValueDoesNotMatch) { EXPECT_EQ(pattern_matches(".*", std::string("\xff\xfe", 2)), false); }

TEST(Patterns, ConcurrentUseIsSafe) {
  std::vector<std::thread> threads;
  std::vector<int> matched(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([t, &matched] {
      for (int i = 0; i < 200; ++i) {
        std::string pattern = "[a-z]{" + std::to_string(i % 20 + 1) + "}";
        matched[t] += pattern_matches(pattern, std::string(static_cast<size_t>(i % 20 + 1), 'q')).value_or(false);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (int count : matched) {
    EXPECT_EQ(count, 200);
  }
}

}  // namespace
}  // namespace aws::protocol
