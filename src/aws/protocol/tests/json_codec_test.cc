#include <gtest/gtest.h>

#include "aws/protocol/codec.h"
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
