// Constraint messages, one test per constraint kind, in AWS's (Coral's) wording.
#include <gtest/gtest.h>

#include "aws/protocol/codec.h"
#include "aws/protocol/tests/test_model.h"

namespace aws::protocol {
namespace {

using testing::kInput;
using testing::kJsonModel;

std::vector<std::string> errors_for(const Json& input) {
  std::vector<std::string> errors;
  validate(kJsonModel, kInput, input, "", errors);
  return errors;
}

std::string only_error(const Json& input) {
  auto errors = errors_for(input);
  EXPECT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  return errors.empty() ? "" : errors[0];
}

TEST(Validate, ValidInputHasNoErrors) {
  EXPECT_TRUE(errors_for({{"Name", "/a/é"},
                          {"Count", 100},
                          {"Kind", "SecureString"},
                          {"Tags", Json::array({{{"Key", "ü1"}, {"Value", "v"}}})},
                          {"Attributes", {{"a", "b"}}},
                          {"Names", Json::array({"a", "b"})},
                          {"Secret", "1234"},
                          {"Data", "AAAAAA=="}})
                  .empty());
}

TEST(Validate, Required) {
  EXPECT_EQ(only_error(Json::object()), "Value null at 'name' failed to satisfy constraint: Member must not be null");
  EXPECT_EQ(only_error({{"Name", nullptr}}),
            "Value null at 'name' failed to satisfy constraint: Member must not be null");
}

TEST(Validate, StringLengthCountsCodePoints) {
  EXPECT_TRUE(errors_for({{"Name", "ééééé/ab"}}).empty());  // 8 characters, 13 bytes
  EXPECT_EQ(only_error({{"Name", "abcdefghi"}}),
            "Value 'abcdefghi' at 'name' failed to satisfy constraint: Member must have length less than or "
            "equal to 8");
}

TEST(Validate, MinLengthAndPatternAreSeparateErrors) {
  auto errors = errors_for({{"Name", ""}});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(validation_message(errors),
            "2 validation errors detected: Value '' at 'name' failed to satisfy constraint: Member must have length "
            "greater than or equal to 1; Value '' at 'name' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: [a-z/\\u00E9]+");
}

TEST(Validate, Pattern) {
  EXPECT_EQ(only_error({{"Name", "ABC"}}),
            "Value 'ABC' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: "
            "[a-z/\\u00E9]+");
}

TEST(Validate, NumericRange) {
  EXPECT_EQ(only_error({{"Name", "a"}, {"Count", 0}}),
            "Value '0' at 'count' failed to satisfy constraint: Member must have value greater than or equal to 1");
  EXPECT_EQ(only_error({{"Name", "a"}, {"Count", 101}}),
            "Value '101' at 'count' failed to satisfy constraint: Member must have value less than or equal to 100");
}

TEST(Validate, Enum) {
  EXPECT_EQ(only_error({{"Name", "a"}, {"Kind", "Integer"}}),
            "Value 'Integer' at 'kind' failed to satisfy constraint: Member must satisfy enum value set: [String, "
            "StringList, SecureString]");
}

TEST(Validate, ListLength) {
  Json tag = {{"Key", "k"}};
  EXPECT_EQ(only_error({{"Name", "a"}, {"Tags", Json::array({tag, tag, tag})}}),
            "Value '[{Key=k}, {Key=k}, {Key=k}]' at 'tags' failed to satisfy constraint: Member must have length "
            "less than or equal to 2");
  EXPECT_EQ(only_error({{"Name", "a"}, {"Names", Json::array()}}),
            "Value '[]' at 'names' failed to satisfy constraint: Member must have length greater than or equal to 1");
}

TEST(Validate, NestedPathsInListsOfStructures) {
  EXPECT_EQ(only_error({{"Name", "a"}, {"Tags", Json::array({{{"Key", "k"}}, {{"Key", "toolong"}}})}}),
            "Value 'toolong' at 'tags.2.member.key' failed to satisfy constraint: Member must have length less "
            "than or equal to 4");
  EXPECT_EQ(only_error({{"Name", "a"}, {"Tags", Json::array({{{"Value", "v"}}})}}),
            "Value null at 'tags.1.member.key' failed to satisfy constraint: Member must not be null");
}

TEST(Validate, ListOfScalarsReportsTheElementConstraints) {
  EXPECT_EQ(only_error({{"Name", "a"}, {"Names", Json::array({"a", "TOOLONGNAME"})}}),
            "Value '[a, TOOLONGNAME]' at 'names' failed to satisfy constraint: Member must satisfy constraint: "
            "[Member must have length less than or equal to 8, Member must have length greater than or equal to 1, "
            "Member must satisfy regular expression pattern: [a-z/\\u00E9]+]");
}

TEST(Validate, Maps) {
  EXPECT_EQ(only_error({{"Name", "a"}, {"Attributes", {{"a", "1"}, {"b", "2"}, {"c", "3"}}}}),
            "Value '{a=1, b=2, c=3}' at 'attributes' failed to satisfy constraint: Member must have length less "
            "than or equal to 2");
  EXPECT_EQ(only_error({{"Name", "a"}, {"Attributes", {{"long", "1"}}}}),
            "Value '{long=1}' at 'attributes' failed to satisfy constraint: Map keys must satisfy constraint: "
            "[Member must have length less than or equal to 3, Member must have length greater than or equal to 1]");
  EXPECT_EQ(only_error({{"Name", "a"}, {"Attributes", {{"k", "12345"}}}}),
            "Value '{k=12345}' at 'attributes' failed to satisfy constraint: Map value must satisfy constraint: "
            "[Member must have length less than or equal to 4]");
}

TEST(Validate, SensitiveValuesAreNotEchoed) {
  EXPECT_EQ(only_error({{"Name", "a"}, {"Secret", "hunter2"}}),
            "Value at 'secret' failed to satisfy constraint: Member must have length less than or equal to 4");
}

TEST(Validate, BlobLengthIsDecodedBytes) {
  EXPECT_TRUE(errors_for({{"Name", "a"}, {"Data", "AAAAAA=="}}).empty());  // 4 bytes
  EXPECT_EQ(only_error({{"Name", "a"}, {"Data", "AAAAAAA="}}),             // 5 bytes
            "Value 'AAAAAAA=' at 'data' failed to satisfy constraint: Member must have length less than or equal "
            "to 4");
}

TEST(Validate, MessageJoinsErrors) {
  EXPECT_EQ(validation_message({"a"}), "1 validation error detected: a");
  EXPECT_EQ(validation_message({"a", "b", "c"}), "3 validation errors detected: a; b; c");
}

}  // namespace
}  // namespace aws::protocol
