// The pure rules: PutLogEvents' batch verdicts, tokens and event ids, names and ARNs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "services/logs/model/batch.h"
#include "services/logs/model/names.h"
#include "services/logs/model/tokens.h"

namespace logs {
namespace {

constexpr int64_t kNow = 1700000000000;
constexpr int64_t kHour = 3600 * 1000;

std::vector<InputEvent> at(std::vector<int64_t> timestamps) {
  std::vector<InputEvent> events;
  for (int64_t t : timestamps) events.push_back(InputEvent{t, "m"});
  return events;
}

TEST(LogsBatch, AcceptsAChronologicalBatch) {
  auto verdict = check_batch(at({kNow - 2 * kHour, kNow - kHour, kNow - kHour, kNow}), kNow, std::nullopt);
  ASSERT_TRUE(verdict.ok());
  EXPECT_EQ(verdict->first, 0u);
  EXPECT_EQ(verdict->last, 4u);
  EXPECT_FALSE(verdict->any_rejected());
}

TEST(LogsBatch, OutOfOrderFailsTheCall) {
  auto verdict = check_batch(at({kNow, kNow - 1}), kNow, std::nullopt);
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.error().code, Errc::InvalidParameter);
  EXPECT_NE(verdict.error().message.find("chronological"), std::string::npos);
}

TEST(LogsBatch, SizeCountsTwentySixBytesPerEvent) {
  std::vector<InputEvent> events{{kNow, std::string(kMaxBatchBytes - kEventOverheadBytes, 'x')}};
  EXPECT_TRUE(check_batch(events, kNow, std::nullopt).ok());
  events[0].message += "x";
  auto verdict = check_batch(events, kNow, std::nullopt);
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.error().message, "Upload too large: 1048577 bytes exceeds limit of 1048576");
  EXPECT_EQ(batch_bytes(at({1, 2})), 2 * (1 + kEventOverheadBytes));
}

TEST(LogsBatch, TooOldAndTooNewAreRejectedNotFailed) {
  int64_t old = kNow - kMaxPastMillis - 1;
  int64_t future = kNow + kMaxFutureMillis + 1;
  auto verdict = check_batch(at({old, old, kNow - kHour, kNow, future}), kNow, std::nullopt);
  ASSERT_TRUE(verdict.ok());
  EXPECT_EQ(verdict->too_old_end, 2);
  EXPECT_EQ(verdict->too_new_start, 4);
  EXPECT_FALSE(verdict->expired_end);
  EXPECT_EQ(verdict->first, 2u);
  EXPECT_EQ(verdict->last, 4u);
}

TEST(LogsBatch, EventsBeyondTheRetentionAreExpired) {
  auto verdict = check_batch(at({kNow - 3 * kDayMillis, kNow - 2 * kHour, kNow}), kNow, 1);
  ASSERT_TRUE(verdict.ok());
  EXPECT_EQ(verdict->expired_end, 1);
  EXPECT_FALSE(verdict->too_old_end);
  EXPECT_EQ(verdict->first, 1u);
}

TEST(LogsBatch, EveryEventRejectedStoresNothing) {
  auto verdict = check_batch(at({kNow + 3 * kHour}), kNow, std::nullopt);
  ASSERT_TRUE(verdict.ok());
  EXPECT_EQ(verdict->too_new_start, 0);
  EXPECT_EQ(verdict->first, verdict->last);
}

TEST(LogsBatch, KeptEventsMaySpanAtMostADay) {
  EXPECT_TRUE(check_batch(at({kNow - kMaxSpanMillis, kNow}), kNow, std::nullopt).ok());
  auto verdict = check_batch(at({kNow - kMaxSpanMillis - 1, kNow}), kNow, std::nullopt);
  ASSERT_FALSE(verdict.ok());
  EXPECT_NE(verdict.error().message.find("24 hours"), std::string::npos);
  // A too-old event does not count towards the span.
  EXPECT_TRUE(check_batch(at({kNow - 20 * kDayMillis, kNow - kHour, kNow}), kNow, std::nullopt).ok());
}

TEST(LogsTokens, StreamTokensRoundTripInAwsShape) {
  std::string forward = stream_token(Direction::Forward, Position{1700000000123, 42});
  EXPECT_EQ(forward.size(), 2u + 56u);
  EXPECT_EQ(forward.substr(0, 2), "f/");
  auto parsed = parse_stream_token(forward);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->direction, Direction::Forward);
  EXPECT_EQ(parsed->at, (Position{1700000000123, 42}));
  auto backward = parse_stream_token(stream_token(Direction::Backward, Position{0, 0}));
  ASSERT_TRUE(backward);
  EXPECT_EQ(backward->direction, Direction::Backward);
  EXPECT_FALSE(parse_stream_token("x/123"));
  EXPECT_FALSE(parse_stream_token("f/123"));
  EXPECT_FALSE(parse_stream_token("f/" + std::string(55, '0') + "a"));
}

TEST(LogsTokens, EventIdsSortLikeEvents) {
  EXPECT_EQ(event_id(Position{5, 1}).size(), 56u);
  EXPECT_LT(event_id(Position{5, 9}), event_id(Position{5, 10}));
  EXPECT_LT(event_id(Position{5, 99}), event_id(Position{6, 1}));
}

TEST(LogsTokens, FilterTokensAreOpaqueAndChecked) {
  auto token = filter_token(Position{7, 8});
  EXPECT_EQ(parse_filter_token(token), (Position{7, 8}));
  EXPECT_FALSE(parse_filter_token("garbage"));
  EXPECT_EQ(sequence_token(3), std::string(55, '0') + "3");
}

TEST(LogsNames, ArnsInBothForms) {
  EXPECT_EQ(group_arn("us-east-1", "000000000000", "/aws/codebuild/p"),
            "arn:aws:logs:us-east-1:000000000000:log-group:/aws/codebuild/p");
  EXPECT_EQ(group_arn_any("us-east-1", "000000000000", "g"), "arn:aws:logs:us-east-1:000000000000:log-group:g:*");
  EXPECT_EQ(stream_arn("eu-west-1", "1", "g", "s/1"), "arn:aws:logs:eu-west-1:1:log-group:g:log-stream:s/1");
  auto parts = parse_group_arn("arn:aws:logs:us-east-1:000000000000:log-group:/a/b:*");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->name, "/a/b");
  EXPECT_EQ(parts->account, "000000000000");
  EXPECT_TRUE(parse_group_arn("arn:aws:logs:us-east-1:000000000000:log-group:g"));
  EXPECT_FALSE(parse_group_arn("arn:aws:logs:us-east-1:000000000000:log-group:g:log-stream:s"));
  EXPECT_FALSE(parse_group_arn("arn:aws:logs:us-east-1:000000000000:destination:d"));
  EXPECT_FALSE(parse_group_arn("arn:aws:s3:::bucket"));
}

TEST(LogsNames, ReservedNamesAndRetentionValues) {
  EXPECT_TRUE(reserved_group_name("aws/x"));
  EXPECT_TRUE(reserved_group_name("AWS/x"));
  EXPECT_FALSE(reserved_group_name("/aws/codebuild/x"));
  EXPECT_TRUE(valid_retention_days(1));
  EXPECT_TRUE(valid_retention_days(3653));
  EXPECT_FALSE(valid_retention_days(2));
  EXPECT_FALSE(valid_retention_days(0));
  EXPECT_EQ(retention_days_text().substr(0, 12), "[1, 3, 5, 7,");
}

}  // namespace
}  // namespace logs
