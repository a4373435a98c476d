// FilterPattern: term, JSON and space-delimited patterns, and the malformed ones AWS refuses.
#include "services/logs/model/filter_pattern.h"

#include <gtest/gtest.h>

#include <string>

namespace logs {
namespace {

bool matches(const std::string& pattern, const std::string& message) {
  auto parsed = FilterPattern::parse(pattern);
  EXPECT_TRUE(parsed.ok()) << pattern << ": " << (parsed.ok() ? "" : parsed.error());
  return parsed.ok() && parsed->matches(message);
}

bool rejected(const std::string& pattern) { return !FilterPattern::parse(pattern).ok(); }

TEST(FilterPattern, EmptyPatternMatchesEverything) {
  auto pattern = FilterPattern::parse("");
  ASSERT_TRUE(pattern.ok());
  EXPECT_TRUE(pattern->matches_everything());
  EXPECT_TRUE(pattern->matches("anything"));
  EXPECT_TRUE(FilterPattern::parse("   ")->matches_everything());
  EXPECT_FALSE(FilterPattern::parse("ERROR")->matches_everything());
}

TEST(FilterPattern, TermsAreCaseSensitiveSubstringsAllRequired) {
  EXPECT_TRUE(matches("ERROR", "[ERROR] A fatal exception has occurred"));
  EXPECT_TRUE(matches("ERROR", "Exiting with ERRORCODE: -1"));
  EXPECT_FALSE(matches("ERROR", "error in lower case"));
  EXPECT_TRUE(matches("ERROR Exception", "ERROR: NullPointerException thrown"));
  EXPECT_FALSE(matches("ERROR Exception", "ERROR: all fine"));
}

TEST(FilterPattern, QuotedPhraseMatchesExactly) {
  EXPECT_TRUE(matches("\"Failed to\"", "Failed to connect"));
  EXPECT_FALSE(matches("\"Failed to\"", "Failed  to connect"));
  EXPECT_FALSE(matches("\"Failed to\"", "to Failed"));
  EXPECT_TRUE(matches("\"a \\\"quoted\\\" word\"", "this is a \"quoted\" word"));
}

TEST(FilterPattern, ExcludedTermsAndOptionalTerms) {
  EXPECT_TRUE(matches("ERROR -Exiting", "ERROR: disk full"));
  EXPECT_FALSE(matches("ERROR -Exiting", "ERROR: Exiting now"));
  EXPECT_TRUE(matches("-DEBUG", "INFO ready"));
  EXPECT_FALSE(matches("-DEBUG", "DEBUG noise"));
  EXPECT_TRUE(matches("?ERROR ?WARN", "WARN low disk"));
  EXPECT_TRUE(matches("?ERROR ?WARN", "ERROR disk"));
  EXPECT_FALSE(matches("?ERROR ?WARN", "INFO disk"));
  EXPECT_TRUE(matches("-\"not this\" keep", "keep this"));
  EXPECT_FALSE(matches("-\"not this\" keep", "keep not this"));
}

TEST(FilterPattern, RegexTerms) {
  EXPECT_TRUE(matches("%[0-9]{3}ms%", "took 250ms"));
  EXPECT_FALSE(matches("%[0-9]{3}ms%", "took 25ms"));
  EXPECT_TRUE(matches("%^START%", "START RequestId"));
  EXPECT_FALSE(matches("%^START%", "x START"));
  EXPECT_TRUE(rejected("%[unclosed%"));
  EXPECT_TRUE(rejected("%never closed"));
}

TEST(FilterPattern, UnclosedQuoteIsRejected) { EXPECT_TRUE(rejected("\"open")); }

TEST(FilterPattern, JsonEqualityWithWildcardsAndNumbers) {
  const std::string event = R"({"eventType":"UpdateTrail","latency":150,"user":{"id":7,"name":"Bob Smith"},)"
                            R"("code":"404","tags":["a","b"],"ok":true,"gone":null})";
  EXPECT_TRUE(matches(R"({ $.eventType = "UpdateTrail" })", event));
  EXPECT_TRUE(matches("{ $.eventType = UpdateTrail }", event));
  EXPECT_FALSE(matches(R"({ $.eventType = "CreateTrail" })", event));
  EXPECT_TRUE(matches(R"({ $.eventType = "Update*" })", event));
  EXPECT_TRUE(matches(R"({ $.user.name = "*Smith" })", event));
  EXPECT_TRUE(matches("{ $.user.id = 7 }", event));
  EXPECT_TRUE(matches("{ $.code = 404 }", event));
  EXPECT_TRUE(matches("{ $.eventType != \"CreateTrail\" }", event));
  EXPECT_FALSE(matches("{ $.missing != 1 }", event));
  EXPECT_TRUE(matches("{ $.tags[1] = b }", event));
  EXPECT_TRUE(matches("{ $.tags[*] = a }", event));
  EXPECT_FALSE(matches("{ $.tags[2] = a }", event));
  EXPECT_TRUE(matches("{ $.eventType = %^Up% }", event));
}

TEST(FilterPattern, JsonNumericComparisonsAndLogic) {
  const std::string event = R"({"latency":150,"status":"ok","bytes":"2048"})";
  EXPECT_TRUE(matches("{ $.latency > 100 }", event));
  EXPECT_FALSE(matches("{ $.latency < 100 }", event));
  EXPECT_TRUE(matches("{ $.latency >= 150 && $.latency <= 150 }", event));
  EXPECT_TRUE(matches("{ $.latency > 1000 || $.status = ok }", event));
  EXPECT_FALSE(matches("{ ($.latency > 1000 || $.status = bad) && $.status = ok }", event));
  EXPECT_TRUE(matches("{ ($.latency > 1000 || $.status = ok) && $.latency = 150 }", event));
  EXPECT_FALSE(matches("{ $.bytes > 1000 }", event));  // a string is not compared as a number
  EXPECT_TRUE(matches("{$.latency=150}", event));
}

TEST(FilterPattern, JsonIsAndNotExists) {
  const std::string event = R"({"ok":true,"bad":false,"gone":null})";
  EXPECT_TRUE(matches("{ $.ok IS TRUE }", event));
  EXPECT_FALSE(matches("{ $.bad IS TRUE }", event));
  EXPECT_TRUE(matches("{ $.bad IS FALSE }", event));
  EXPECT_TRUE(matches("{ $.gone IS NULL }", event));
  EXPECT_FALSE(matches("{ $.ok IS NULL }", event));
  EXPECT_TRUE(matches("{ $.nothing NOT EXISTS }", event));
  EXPECT_FALSE(matches("{ $.ok NOT EXISTS }", event));
}

TEST(FilterPattern, JsonPatternsNeverMatchOtherText) {
  EXPECT_FALSE(matches("{ $.a = 1 }", "a = 1"));
  EXPECT_FALSE(matches("{ $.a = 1 }", "{not json"));
}

TEST(FilterPattern, MalformedJsonPatternsAreRejected) {
  EXPECT_TRUE(rejected("{ $.a = 1"));
  EXPECT_TRUE(rejected("{ a = 1 }"));
  EXPECT_TRUE(rejected("{ $.a 1 }"));
  EXPECT_TRUE(rejected("{ $.a IS MAYBE }"));
  EXPECT_TRUE(rejected("{ ($.a = 1 }"));
  EXPECT_TRUE(rejected("{ $.a = 1 } trailing"));
}

TEST(FilterPattern, SpaceDelimitedFieldsAndConditions) {
  const std::string line = R"(127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 1534)";
  const std::string fields = "ip, user, username, timestamp, request";
  EXPECT_TRUE(matches("[" + fields + ", status_code = 404, bytes]", line));
  EXPECT_FALSE(matches("[" + fields + ", status_code = 200, bytes]", line));
  EXPECT_TRUE(matches("[" + fields + ", status_code = 4*, bytes > 1000]", line));
  EXPECT_FALSE(matches("[" + fields + ", status_code = 4*, bytes > 2000]", line));
  EXPECT_TRUE(matches("[" + fields + " = *gif*, status_code, bytes]", line));
  EXPECT_TRUE(matches("[ip, user, ..., status_code = 404, bytes]", line));
  EXPECT_TRUE(matches("[..., status_code = 404 || status_code = 410, bytes]", line));
  EXPECT_FALSE(matches("[ip, user, status_code = 404]", line));  // wrong field count
  EXPECT_TRUE(matches("[ip = %^127\\.%, ...]", line));
  EXPECT_TRUE(matches("[..., status != 200, bytes]", line));
}

TEST(FilterPattern, MalformedDelimitedPatternsAreRejected) {
  EXPECT_TRUE(rejected("[ip, user"));
  EXPECT_TRUE(rejected("[ip, , user]"));
  EXPECT_TRUE(rejected("[ip = ]"));
}

}  // namespace
}  // namespace logs
