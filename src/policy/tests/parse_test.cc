// parse(): accepted shapes and IAM's MalformedPolicyDocument texts for rejected ones.
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "policy/policy.h"

namespace policy {
namespace {

constexpr const char* kOk = "";

struct ParseCase {
  std::string name;
  PolicyKind kind;
  std::string document;
  std::string error;  // kOk when the document is valid
};

// gtest prints the case name instead of the struct's bytes.
void PrintTo(const ParseCase& c, std::ostream* os) { *os << c.name; }

class ParseTest : public testing::TestWithParam<ParseCase> {};

TEST_P(ParseTest, ValidatesLikeIam) {
  const auto& c = GetParam();
  auto result = parse(c.document, c.kind);
  if (c.error.empty()) {
    ASSERT_TRUE(result.ok()) << result.error().message;
    return;
  }
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, common::ErrorKind::InvalidArgument);
  EXPECT_EQ(result.error().message, c.error);
}

constexpr const char* kSyntax = "Syntax errors in policy.";
constexpr const char* kLegacy = "The policy failed legacy parsing";
constexpr const char* kVendor = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";

// One identity statement with `body` spliced in after Effect.
std::string identity(const std::string& body, const std::string& effect = R"("Effect":"Allow",)") {
  return R"({"Version":"2012-10-17","Statement":[{)" + effect + body + "}]}";
}

constexpr const char* kAllowAll = R"("Action":"*","Resource":"*")";
constexpr const char* kTrustBody = R"("Effect":"Allow","Action":"sts:AssumeRole")";

INSTANTIATE_TEST_SUITE_P(
    Table, ParseTest,
    testing::ValuesIn(std::vector<ParseCase>{
        // Accepted shapes.
        {"statement_array", PolicyKind::Identity, identity(kAllowAll), kOk},
        {"statement_object", PolicyKind::Identity,
         R"({"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":["s3:*"],"Resource":["*"]}})", kOk},
        {"version_absent", PolicyKind::Identity, R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})",
         kOk},
        {"version_2008", PolicyKind::Identity,
         R"({"Version":"2008-10-17","Id":"x","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})", kOk},
        {"not_action_not_resource", PolicyKind::Identity,
         identity(R"("NotAction":"iam:*","NotResource":"arn:aws:s3:::b")"), kOk},
        {"sid_and_condition_scalars", PolicyKind::Identity,
         identity(
             std::string(kAllowAll) +
             R"(,"Sid":"s1","Condition":{"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true}})"),
         kOk},
        {"set_operator_ifexists", PolicyKind::Identity,
         identity(std::string(kAllowAll) +
                  R"(,"Condition":{"ForAnyValue:StringEqualsIfExists":{"codecommit:References":["refs/heads/main"]}})"),
         kOk},
        {"resource_policy_without_resource", PolicyKind::Resource,
         R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:*"}]})",
         kOk},
        {"trust_service_principal", PolicyKind::Trust,
         R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["codebuild.amazonaws.com"]},"Action":"sts:AssumeRole"}]})",
         kOk},
        {"trust_star_principal", PolicyKind::Trust,
         std::string(R"({"Statement":[{"Principal":"*",)") + kTrustBody + "}]}", kOk},
        // Rejections.
        {"not_json", PolicyKind::Identity, "{not json", kSyntax},
        {"not_an_object", PolicyKind::Identity, "[]", kSyntax},
        {"null_document", PolicyKind::Identity, "null", kSyntax},
        {"bad_version", PolicyKind::Identity,
         R"({"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})", kLegacy},
        {"numeric_version", PolicyKind::Identity,
         R"({"Version":2012,"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})", kLegacy},
        {"missing_effect", PolicyKind::Identity, identity(kAllowAll, ""), "Missing required field Effect"},
        {"lowercase_effect", PolicyKind::Identity, identity(kAllowAll, R"("Effect":"allow",)"), kLegacy},
        {"non_string_effect", PolicyKind::Identity, identity(kAllowAll, R"("Effect":true,)"), kSyntax},
        {"identity_with_principal", PolicyKind::Identity, identity(std::string(kAllowAll) + R"(,"Principal":"*")"),
         "Policy document should not specify a principal."},
        {"identity_with_not_principal", PolicyKind::Identity,
         identity(std::string(kAllowAll) + R"(,"NotPrincipal":{"AWS":"111122223333"})"),
         "Policy document should not specify a principal."},
        {"identity_without_action", PolicyKind::Identity, identity(R"("Resource":"*")"),
         "Policy statement must contain actions."},
        {"identity_empty_action", PolicyKind::Identity, identity(R"("Action":[],"Resource":"*")"),
         "Policy statement must contain actions."},
        {"identity_without_resource", PolicyKind::Identity, identity(R"("Action":"s3:*")"),
         "Policy statement must contain resources."},
        {"identity_empty_resource", PolicyKind::Identity, identity(R"("Action":"s3:*","Resource":[])"),
         "Policy statement must contain resources."},
        {"resource_policy_without_principal", PolicyKind::Resource,
         R"({"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})", "Missing required field Principal"},
        {"trust_without_principal", PolicyKind::Trust, std::string(R"({"Statement":[{)") + kTrustBody + "}]}",
         "Missing required field Principal"},
        {"trust_with_resource", PolicyKind::Trust,
         std::string(R"({"Statement":[{"Principal":"*","Resource":"*",)") + kTrustBody + "}]}",
         "Has prohibited field Resource"},
        {"unknown_top_level_key", PolicyKind::Identity,
         R"({"Version":"2012-10-17","Statements":[],"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})",
         kSyntax},
        {"unknown_statement_key", PolicyKind::Identity, identity(std::string(kAllowAll) + R"(,"Actions":"s3:*")"),
         kSyntax},
        {"missing_statement", PolicyKind::Identity, R"({"Version":"2012-10-17"})", kSyntax},
        {"empty_statement_list", PolicyKind::Identity, R"({"Version":"2012-10-17","Statement":[]})", kSyntax},
        {"statement_not_object", PolicyKind::Identity, R"({"Version":"2012-10-17","Statement":["x"]})", kSyntax},
        {"action_without_vendor", PolicyKind::Identity, identity(R"("Action":"GetParameter","Resource":"*")"), kVendor},
        {"action_empty_vendor", PolicyKind::Identity, identity(R"("Action":[":GetParameter"],"Resource":"*")"),
         kVendor},
        {"action_and_not_action", PolicyKind::Identity,
         identity(R"("Action":"s3:*","NotAction":"iam:*","Resource":"*")"), kSyntax},
        {"action_not_string", PolicyKind::Identity, identity(R"("Action":[1],"Resource":"*")"), kSyntax},
        {"unknown_condition_operator", PolicyKind::Identity,
         identity(std::string(kAllowAll) + R"(,"Condition":{"StringEqualz":{"aws:username":"a"}})"), kSyntax},
        {"null_with_ifexists", PolicyKind::Identity,
         identity(std::string(kAllowAll) + R"(,"Condition":{"NullIfExists":{"aws:username":"true"}})"), kSyntax},
        {"condition_key_without_vendor", PolicyKind::Identity,
         identity(std::string(kAllowAll) + R"(,"Condition":{"StringEquals":{"username":"a"}})"), kVendor},
        {"condition_value_null", PolicyKind::Identity,
         identity(std::string(kAllowAll) + R"(,"Condition":{"StringEquals":{"aws:username":null}})"), kSyntax},
        {"condition_not_object", PolicyKind::Identity, identity(std::string(kAllowAll) + R"(,"Condition":"x")"),
         kSyntax},
        {"principal_bare_name", PolicyKind::Trust,
         std::string(R"({"Statement":[{"Principal":"someone",)") + kTrustBody + "}]}", kSyntax},
        {"principal_unknown_type", PolicyKind::Trust,
         std::string(R"({"Statement":[{"Principal":{"Bogus":"x"},)") + kTrustBody + "}]}", kSyntax},
    }),
    [](const testing::TestParamInfo<ParseCase>& info) { return info.param.name; });

TEST(ParseTest, KeepsWhatWasWritten) {
  auto result = parse(R"({
    "Version": "2012-10-17",
    "Statement": [{
      "Sid": "Protect",
      "Effect": "Deny",
      "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"], "Service": "codebuild.amazonaws.com"},
      "NotAction": "iam:*",
      "NotResource": ["arn:aws:s3:::a", "arn:aws:s3:::b"],
      "Condition": {"NumericLessThan": {"s3:max-keys": [10, 1.5]}, "Bool": {"aws:SecureTransport": false}}
    }]})",
                      PolicyKind::Resource);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->version, "2012-10-17");
  ASSERT_EQ(result->statements.size(), 1u);
  const Statement& s = result->statements[0];
  EXPECT_EQ(s.sid, "Protect");
  EXPECT_EQ(s.effect, Effect::Deny);
  EXPECT_TRUE(s.not_action);
  EXPECT_EQ(s.actions, std::vector<std::string>{"iam:*"});
  EXPECT_TRUE(s.has_resource);
  EXPECT_TRUE(s.not_resource);
  EXPECT_EQ(s.resources, (std::vector<std::string>{"arn:aws:s3:::a", "arn:aws:s3:::b"}));
  ASSERT_TRUE(s.principal.has_value());
  EXPECT_TRUE(s.principal->any);
  EXPECT_EQ(s.principal->values.at("AWS"), (std::vector<std::string>{"arn:aws:iam::111122223333:root", "*"}));
  EXPECT_EQ(s.principal->values.at("Service"), std::vector<std::string>{"codebuild.amazonaws.com"});
  EXPECT_FALSE(s.not_principal.has_value());
  ASSERT_EQ(s.conditions.size(), 2u);
  // nlohmann's object keeps keys sorted: Bool before NumericLessThan.
  EXPECT_EQ(s.conditions[0].op, "Bool");
  EXPECT_EQ(s.conditions[0].key, "aws:SecureTransport");
  EXPECT_EQ(s.conditions[0].values, std::vector<std::string>{"false"});
  EXPECT_EQ(s.conditions[1].op, "NumericLessThan");
  EXPECT_EQ(s.conditions[1].values, (std::vector<std::string>{"10", "1.5"}));
}

}  // namespace
}  // namespace policy
