#include <gtest/gtest.h>

#include "aws/protocol/codec.h"
#include "aws/protocol/tests/test_model.h"
#include "gen/models.h"

namespace aws::protocol {
namespace {

using testing::kQueryModel;
using Params = std::vector<std::pair<std::string, std::string>>;

Json decode_ok(const Params& params) {
  auto result = decode_query(kQueryModel, testing::test_op(), params);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? *result : Json();
}

TEST(QueryDecode, EveryShapeKind) {
  Json decoded = decode_ok({{"Action", "TestOp"},
                            {"Version", "2024-01-01"},
                            {"Name", "a/b"},
                            {"Count", "7"},
                            {"Enabled", "true"},
                            {"Ratio", "0.5"},
                            {"When", "2024-01-02T03:04:05Z"},
                            {"Tags.member.1.Key", "k1"},
                            {"Tags.member.1.Value", "v1"},
                            {"Tags.member.2.Key", "k2"},
                            {"Attributes.entry.1.key", "a"},
                            {"Attributes.entry.1.value", "x"},
                            {"Attributes.entry.2.key", "b"},
                            {"Attributes.entry.2.value", "y"},
                            {"Names.member.1", "n"},
                            {"Flat.1", "f1"},
                            {"Flat.2", "f2"},
                            {"RenamedWire", "r"}});
  EXPECT_EQ(decoded, Json::parse(R"({
      "Name": "a/b", "Count": 7, "Enabled": true, "Ratio": 0.5, "When": 1704164645.0,
      "Tags": [{"Key": "k1", "Value": "v1"}, {"Key": "k2"}],
      "Attributes": {"a": "x", "b": "y"}, "Names": ["n"], "Flat": ["f1", "f2"], "Renamed": "r"})"));
}

TEST(QueryDecode, EmptyListIsSentAsEmptyValue) {
  Json decoded = decode_ok({{"Name", "a"}, {"Tags", ""}});
  EXPECT_EQ(decoded, Json::parse(R"({"Name": "a", "Tags": []})"));
}

TEST(QueryDecode, BadScalarsAreValidationErrors) {
  auto result = decode_query(kQueryModel, testing::test_op(), {{"Name", "a"}, {"Count", "seven"}, {"Enabled", "yes"}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "ValidationError");
  EXPECT_EQ(result.error().status, 400);
  EXPECT_TRUE(result.error().sender_fault);
  EXPECT_EQ(result.error().message,
            "2 validation errors detected: Value 'seven' at 'count' failed to satisfy constraint: Member must be an "
            "integer; Value 'yes' at 'enabled' failed to satisfy constraint: Member must be a boolean");
}

TEST(QueryDecode, ValidationUsesTheQueryCode) {
  auto result = decode_query(kQueryModel, testing::test_op(), {{"Action", "TestOp"}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "ValidationError");
  EXPECT_EQ(result.error().message,
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
}

TEST(QueryDecode, IamTagPaths) {
  const model::ServiceModel& iam = gen::iam_model();
  auto result = decode_query(iam, *iam.find_operation("TagUser"),
                             {{"UserName", "bob"}, {"Tags.member.1.Key", "k"}, {"Tags.member.1.Value", "bad{value}"}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "1 validation error detected: Value 'bad{value}' at 'tags.1.member.value' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
}

TEST(QueryEncode, EveryShapeKind) {
  Json output = {{"Name", "a<b>&c"},
                 {"When", 1704164645},
                 {"Iso", 1704164645.5},
                 {"Tags", Json::array({{{"Key", "k"}, {"Value", "v"}}})},
                 {"Attributes", {{"a", "x"}}},
                 {"Flat", Json::array({"f1", "f2"})},
                 {"Items", Json::array({"i1"})},
                 {"Flag", false},
                 {"Count", 3},
                 {"Ratio", 0.25},
                 {"Renamed", "r"},
                 {"NotInModel", "dropped"},
                 {"Nothing", nullptr}};
  EXPECT_EQ(encode_query(kQueryModel, testing::test_op(), output, "req-1"),
            "<TestOpResponse xmlns=\"https://test.amazonaws.com/doc/2024-01-01/\"><TestOpResult>"
            "<Name>a&lt;b&gt;&amp;c</Name><When>2024-01-02T03:04:05Z</When><Iso>2024-01-02T03:04:05.500Z</Iso>"
            "<Tags><member><Key>k</Key><Value>v</Value></member></Tags>"
            "<Attributes><entry><key>a</key><value>x</value></entry></Attributes>"
            "<Flat>f1</Flat><Flat>f2</Flat><Items><item>i1</item></Items><Flag>false</Flag><Count>3</Count>"
            "<Ratio>0.25</Ratio><RenamedWire>r</RenamedWire>"
            "</TestOpResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></TestOpResponse>");
}

TEST(QueryEncode, NoOutputShapeHasNoResultElement) {
  EXPECT_EQ(encode_query(kQueryModel, testing::no_output_op(), Json::object(), "req-2"),
            "<NoOutputOpResponse xmlns=\"https://test.amazonaws.com/doc/2024-01-01/\"><ResponseMetadata>"
            "<RequestId>req-2</RequestId></ResponseMetadata></NoOutputOpResponse>");
}

TEST(QueryEncode, IamResultWrapperAndNamespace) {
  const model::ServiceModel& iam = gen::iam_model();
  std::string xml =
      encode_query(iam, *iam.find_operation("ListUsers"), {{"Users", Json::array()}, {"IsTruncated", false}}, "id");
  EXPECT_EQ(xml,
            "<ListUsersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListUsersResult><Users></Users>"
            "<IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>id</RequestId>"
            "</ResponseMetadata></ListUsersResponse>");
}

}  // namespace
}  // namespace aws::protocol
