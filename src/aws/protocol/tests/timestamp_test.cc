#include "aws/protocol/timestamp.h"

#include <gtest/gtest.h>

namespace aws::protocol {
namespace {

TEST(Timestamp, ParsesIso8601) {
  EXPECT_EQ(parse_timestamp("2024-01-02T03:04:05Z"), 1704164645.0);
  EXPECT_EQ(parse_timestamp("2024-01-02T03:04:05.250Z"), 1704164645.25);
  EXPECT_EQ(parse_timestamp("2024-01-02T05:04:05+02:00"), 1704164645.0);
  EXPECT_EQ(parse_timestamp("2024-01-02T03:04:05"), 1704164645.0);
  EXPECT_EQ(parse_timestamp("2024-01-02"), 1704153600.0);
  EXPECT_EQ(parse_timestamp("1970-01-01T00:00:00Z"), 0.0);
  EXPECT_EQ(parse_timestamp("1969-12-31T23:59:59Z"), -1.0);
}

TEST(Timestamp, ParsesEpochSeconds) {
  EXPECT_EQ(parse_timestamp("1704164645"), 1704164645.0);
  EXPECT_EQ(parse_timestamp("1704164645.5"), 1704164645.5);
}

TEST(Timestamp, RejectsGarbage) {
  EXPECT_EQ(parse_timestamp(""), std::nullopt);
  EXPECT_EQ(parse_timestamp("yesterday"), std::nullopt);
  EXPECT_EQ(parse_timestamp("2024-13-01T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_timestamp("2024-01-02T03:04:05Zjunk"), std::nullopt);
}

TEST(Timestamp, FormatsIso8601) {
  EXPECT_EQ(format_iso8601(1704164645), "2024-01-02T03:04:05Z");
  EXPECT_EQ(format_iso8601(1704164645.123), "2024-01-02T03:04:05.123Z");
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(951782400), "2000-02-29T00:00:00Z");
}

TEST(Timestamp, FormatsRfc822) {
  EXPECT_EQ(format_rfc822(1704164645), "Tue, 02 Jan 2024 03:04:05 GMT");
  EXPECT_EQ(format_rfc822(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

}  // namespace
}  // namespace aws::protocol
