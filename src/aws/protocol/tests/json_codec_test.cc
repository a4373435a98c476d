#include <gtest/gtest.h>

#include "aws/protocol/codec.h"
#include "aws/protocol/tests/test_model.h"
#include "gen/models.h"

namespace aws::protocol {
namespace {

const model::Operation& ssm_op(std::string_view name) {
  const model::Operation* op = gen::ssm_model().find_operation(name);
  EXPECT_NE(op, nullptr) << name;
  return *op;
}

TEST(JsonCodec, DecodesPutParameter) {
  auto result = decode_json(gen::ssm_model(), ssm_op("PutParameter"),
                            R"({"Name":"/a/b","Value":"v","Type":"String","Overwrite":true,"Unknown":1,
                                "Tags":[{"Key":"k","Value":"x"}]})");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, Json::parse(R"({"Name":"/a/b","Value":"v","Type":"String","Overwrite":true,
                                    "Tags":[{"Key":"k","Value":"x"}]})"));
}

TEST(JsonCodec, EmptyBodyIsEmptyObject) {
  auto result = decode_json(gen::ssm_model(), ssm_op("DescribeParameters"), "");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, Json::object());
}

TEST(JsonCodec, MissingRequiredMember) {
  auto result = decode_json(gen::ssm_model(), ssm_op("GetParameter"), "{}");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "ValidationException");
  EXPECT_EQ(result.error().status, 400);
  EXPECT_EQ(result.error().message,
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
}

TEST(JsonCodec, WrongTypes) {
  auto number = decode_json(gen::ssm_model(), ssm_op("GetParameter"), R"({"Name": 5})");
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.error().code, "SerializationException");
  EXPECT_EQ(number.error().message, "NUMBER_VALUE can not be converted to a String");
  auto object = decode_json(gen::ssm_model(), ssm_op("GetParameter"), R"({"Name": {"a": 1}})");
  ASSERT_FALSE(object.ok());
  EXPECT_EQ(object.error().message, "Start of structure or map found where not expected.");
  auto malformed = decode_json(gen::ssm_model(), ssm_op("GetParameter"), R"({"Name": )");
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().code, "SerializationException");
}

}  // namespace
}  // namespace aws::protocol

namespace aws::protocol {
namespace {

using testing::kJsonModel;

TEST(JsonCodec, TypeMismatchMessages) {
  auto decode = [](const char* body) { return decode_json(kJsonModel, testing::test_op(), body); };
  EXPECT_EQ(decode(R"({"Name": "a", "Count": "5"})").error().message,
            "STRING_VALUE can not be converted to an Integer");
  EXPECT_EQ(decode(R"({"Name": "a", "Enabled": "true"})").error().message,
            "STRING_VALUE can not be converted to a Boolean");
  EXPECT_EQ(decode(R"({"Name": ["a"]})").error().message, "Start of list found where not expected");
  EXPECT_EQ(decode(R"({"Name": "a", "Tags": {"Key": "k"}})").error().message,
            "Start of structure or map found where not expected.");
  EXPECT_EQ(decode(R"({"Name": "a", "Tags": [{"Key": true}]})").error().message,
            "BOOLEAN_VALUE can not be converted to a String");
  EXPECT_EQ(decode(R"([1])").error().code, "SerializationException");
  EXPECT_EQ(decode(R"({"Name": "a", "When": "yesterday"})").error().code, "SerializationException");
}

TEST(JsonCodec, TimestampsBecomeEpochSeconds) {
  auto iso = decode_json(kJsonModel, testing::test_op(), R"({"Name": "a", "When": "2024-01-02T03:04:05.5Z"})");
  ASSERT_TRUE(iso.ok());
  EXPECT_DOUBLE_EQ((*iso)["When"].get<double>(), 1704164645.5);
  auto number = decode_json(kJsonModel, testing::test_op(), R"({"Name": "a", "When": 1704164645.25})");
  ASSERT_TRUE(number.ok());
  EXPECT_DOUBLE_EQ((*number)["When"].get<double>(), 1704164645.25);
}

TEST(JsonCodec, NullsAndUnknownMembersAreDropped) {
  auto result = decode_json(kJsonModel, testing::test_op(),
                            R"({"Name": "a", "Count": null, "Extra": {"x": 1}, "Attributes": {"k": null, "j": "v"},
                                "RenamedWire": "r"})");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, Json::parse(R"({"Name": "a", "Attributes": {"j": "v"}, "Renamed": "r"})"));
}

TEST(JsonCodec, ValidationErrorsAreCounted) {
  auto result = decode_json(kJsonModel, testing::test_op(), R"({"Count": 0})");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "ValidationException");
  EXPECT_EQ(result.error().message,
            "2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be "
            "null; Value '0' at 'count' failed to satisfy constraint: Member must have value greater than or equal "
            "to 1");
}

TEST(JsonCodec, EncodeFollowsTheOutputShape) {
  Json output = {{"Name", "a"},       {"When", 1704164645.123},
                 {"Iso", 1704164645}, {"Tags", Json::array({{{"Key", "k"}, {"Value", nullptr}}})},
                 {"Flag", true},      {"Count", 3},
                 {"Renamed", "r"},    {"Ratio", nullptr},
                 {"Unknown", 1}};
  EXPECT_EQ(Json::parse(encode_json(kJsonModel, testing::test_op(), output)),
            Json::parse(R"({"Name": "a", "When": 1704164645.123, "Iso": "2024-01-02T03:04:05Z",
                            "Tags": [{"Key": "k"}], "Flag": true, "Count": 3, "RenamedWire": "r"})"));
  EXPECT_EQ(encode_json(kJsonModel, testing::no_output_op(), output), "{}");
}

TEST(JsonCodec, EncodeAcceptsIsoTimestampsFromHandlers) {
  EXPECT_EQ(encode_json(kJsonModel, testing::test_op(), {{"When", "2024-01-02T03:04:05Z"}}),
            R"({"When":1704164645.0})");
}

}  // namespace
}  // namespace aws::protocol
