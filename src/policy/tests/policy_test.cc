// evaluate(): one table of (policy, request, decision) cases covering statement matching,
// every condition operator family, principals in trust policies and policy variables.
#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "policy/policy.h"

namespace policy {
namespace {

using Keys = std::map<std::string, std::vector<std::string>>;

constexpr Decision kAllow = Decision::Allow;
constexpr Decision kDeny = Decision::Deny;
constexpr Decision kNone = Decision::NotApplicable;

struct EvalCase {
  std::string name;
  PolicyKind kind;
  std::string document;
  EvalContext context;
  Decision expected;
};

// gtest prints the case name instead of the struct's bytes.
void PrintTo(const EvalCase& c, std::ostream* os) { *os << c.name; }

class EvaluateTest : public testing::TestWithParam<EvalCase> {};

TEST_P(EvaluateTest, Decides) {
  const auto& c = GetParam();
  auto policy = parse(c.document, c.kind);
  ASSERT_TRUE(policy.ok()) << policy.error().message << "\n" << c.document;
  EXPECT_EQ(evaluate(*policy, c.context, c.kind), c.expected) << c.document;
}

EvalContext request(std::string action, std::string resource, Keys keys = {}) {
  EvalContext context;
  context.action = std::move(action);
  context.resource = std::move(resource);
  context.keys = std::move(keys);
  return context;
}

// The condition cases share one request shape; only the keys vary.
EvalContext with_keys(Keys keys) { return request("s3:GetObject", "arn:aws:s3:::bucket/key", std::move(keys)); }

// An identity policy allowing everything under `condition` (the body of "Condition").
std::string allow_if(const std::string& condition) {
  return R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{)" +
         condition + "}}}";
}

const std::string kSsmDev = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:Get*",
  "Resource":"arn:aws:ssm:*:*:parameter/app/dev/*"}]})";
const std::string kDenyDelete = R"({"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"*","Resource":"*"},
  {"Effect":"Deny","Action":"ssm:DeleteParameter","Resource":"*"}]})";
const std::string kNotAction =
    R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}})";
const std::string kNotResource = R"({"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*",
  "NotResource":["arn:aws:s3:::public","arn:aws:s3:::public/*"]}})";
const std::string kMerge = R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"codecommit:Merge*",
  "Resource":"arn:aws:codecommit:us-east-1:111122223333:MyDemoRepo"}})";

// aws-behaviour.md 2.5, in the brief's ForAnyValue form and in AWS's documented form.
std::string branch_protection(const std::string& op) {
  return R"({"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"codecommit:*","Resource":"*"},
  {"Effect":"Deny",
   "Action":["codecommit:GitPush","codecommit:DeleteBranch","codecommit:PutFile","codecommit:Merge*"],
   "Resource":"arn:aws:codecommit:us-east-1:111122223333:MyDemoRepo",
   "Condition":{")" +
         op + R"(":{"codecommit:References":["refs/heads/main"]},
                "Null":{"codecommit:References":"false"}}}]})";
}
const std::string kRepo = "arn:aws:codecommit:us-east-1:111122223333:MyDemoRepo";
const std::string kOtherRepo = "arn:aws:codecommit:us-east-1:111122223333:Other";

std::string trust(const std::string& principal, const std::string& element = "Principal") {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",")" + element + R"(":)" + principal +
         R"(,"Action":"sts:AssumeRole"}]})";
}
const std::string kRole = "arn:aws:iam::111122223333:role/Deploy";

EvalContext assume(std::string principal_arn, std::string account, std::string role_arn = "",
                   std::string service = "") {
  EvalContext c = request("sts:AssumeRole", kRole);
  c.principal_arn = std::move(principal_arn);
  c.principal_account = std::move(account);
  c.principal_role_arn = std::move(role_arn);
  c.service_principal = std::move(service);
  return c;
}
EvalContext user(const std::string& name, const std::string& account = "111122223333") {
  return assume("arn:aws:iam::" + account + ":user/" + name, account);
}
EvalContext session(const std::string& role, const std::string& name, const std::string& account = "111122223333") {
  return assume("arn:aws:sts::" + account + ":assumed-role/" + role + "/" + name, account,
                "arn:aws:iam::" + account + ":role/" + role);
}
EvalContext service(const std::string& name) { return assume("", "", "", name); }

const std::string kHome = R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*",
  "Resource":"arn:aws:s3:::home/${aws:username}/*"}})";
std::string with_version(std::string document, const std::string& version) {
  document.replace(document.find("2012-10-17"), 10, version);
  return document;
}

std::vector<EvalCase> cases() {
  const std::string dev = "arn:aws:ssm:us-east-1:111122223333:parameter/app/dev/";
  const std::string alice = "aws:username";
  return {
      // Allow, implicit deny, explicit deny.
      {"ssm_get_dev_allowed", PolicyKind::Identity, kSsmDev, request("ssm:GetParameter", dev + "db"), kAllow},
      {"ssm_get_nested_path", PolicyKind::Identity, kSsmDev, request("ssm:GetParametersByPath", dev + "a/b"), kAllow},
      {"ssm_action_case_insensitive", PolicyKind::Identity, kSsmDev, request("SSM:getparameter", dev + "db"), kAllow},
      {"ssm_prod_implicit_deny", PolicyKind::Identity, kSsmDev,
       request("ssm:GetParameter", "arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/db"), kNone},
      {"ssm_put_implicit_deny", PolicyKind::Identity, kSsmDev, request("ssm:PutParameter", dev + "db"), kNone},
      {"ssm_resource_case_sensitive", PolicyKind::Identity, kSsmDev,
       request("ssm:GetParameter", "arn:aws:ssm:us-east-1:111122223333:parameter/APP/dev/db"), kNone},
      {"explicit_deny_beats_allow", PolicyKind::Identity, kDenyDelete, request("ssm:DeleteParameter", dev + "x"),
       kDeny},
      {"allow_where_no_deny", PolicyKind::Identity, kDenyDelete, request("ssm:GetParameter", dev + "x"), kAllow},
      {"not_action_allows_others", PolicyKind::Identity, kNotAction, request("s3:GetObject", "arn:aws:s3:::b/k"),
       kAllow},
      {"not_action_excludes_listed", PolicyKind::Identity, kNotAction, request("iam:CreateUser", "*"), kNone},
      {"not_resource_denies_others", PolicyKind::Identity, kNotResource,
       request("s3:PutObject", "arn:aws:s3:::private/k"), kDeny},
      {"not_resource_excludes_listed", PolicyKind::Identity, kNotResource,
       request("s3:PutObject", "arn:aws:s3:::public/k"), kNone},
      {"merge_star_matches_merge", PolicyKind::Identity, kMerge,
       request("codecommit:MergeBranchesByFastForward", kRepo), kAllow},
      {"merge_star_ignores_gitpush", PolicyKind::Identity, kMerge, request("codecommit:GitPush", kRepo), kNone},

      // Branch protection (aws-behaviour.md 2.5).
      {"branch_any_push_main_denied", PolicyKind::Identity, branch_protection("ForAnyValue:StringEqualsIfExists"),
       request("codecommit:GitPush", kRepo, {{"codecommit:references", {"refs/heads/main"}}}), kDeny},
      {"branch_any_push_feature_allowed", PolicyKind::Identity, branch_protection("ForAnyValue:StringEqualsIfExists"),
       request("codecommit:GitPush", kRepo, {{"codecommit:references", {"refs/heads/feature"}}}), kAllow},
      {"branch_any_discovery_allowed", PolicyKind::Identity, branch_protection("ForAnyValue:StringEqualsIfExists"),
       request("codecommit:GitPush", kRepo), kAllow},
      {"branch_any_mixed_push_denied", PolicyKind::Identity, branch_protection("ForAnyValue:StringEqualsIfExists"),
       request("codecommit:GitPush", kRepo, {{"codecommit:references", {"refs/heads/feature", "refs/heads/main"}}}),
       kDeny},
      {"branch_any_delete_branch_api_denied", PolicyKind::Identity,
       branch_protection("ForAnyValue:StringEqualsIfExists"),
       request("codecommit:DeleteBranch", kRepo, {{"codecommit:references", {"refs/heads/main"}}}), kDeny},
      {"branch_any_merge_denied", PolicyKind::Identity, branch_protection("ForAnyValue:StringEqualsIfExists"),
       request("codecommit:MergePullRequestBySquash", kRepo, {{"codecommit:references", {"refs/heads/main"}}}), kDeny},
      {"branch_any_other_repo_allowed", PolicyKind::Identity, branch_protection("ForAnyValue:StringEqualsIfExists"),
       request("codecommit:GitPush", kOtherRepo, {{"codecommit:references", {"refs/heads/main"}}}), kAllow},
      {"branch_any_pull_allowed", PolicyKind::Identity, branch_protection("ForAnyValue:StringEqualsIfExists"),
       request("codecommit:GitPull", kRepo, {{"codecommit:references", {"refs/heads/main"}}}), kAllow},
      {"branch_plain_push_main_denied", PolicyKind::Identity, branch_protection("StringEqualsIfExists"),
       request("codecommit:GitPush", kRepo, {{"codecommit:references", {"refs/heads/main"}}}), kDeny},
      {"branch_plain_push_feature_allowed", PolicyKind::Identity, branch_protection("StringEqualsIfExists"),
       request("codecommit:GitPush", kRepo, {{"codecommit:references", {"refs/heads/feature"}}}), kAllow},
      {"branch_plain_discovery_allowed", PolicyKind::Identity, branch_protection("StringEqualsIfExists"),
       request("codecommit:GitPush", kRepo), kAllow},
      {"branch_plain_mixed_push_denied", PolicyKind::Identity, branch_protection("StringEqualsIfExists"),
       request("codecommit:GitPush", kRepo, {{"codecommit:references", {"refs/heads/feature", "refs/heads/main"}}}),
       kDeny},

      // String operators; keys match case-insensitively, values are ORed, keys and operators ANDed.
      {"string_equals", PolicyKind::Identity, allow_if(R"("StringEquals":{"aws:username":"alice"})"),
       with_keys({{alice, {"alice"}}}), kAllow},
      {"string_equals_case_sensitive", PolicyKind::Identity, allow_if(R"("StringEquals":{"aws:username":"Alice"})"),
       with_keys({{alice, {"alice"}}}), kNone},
      {"string_equals_absent", PolicyKind::Identity, allow_if(R"("StringEquals":{"aws:username":"alice"})"),
       with_keys({}), kNone},
      {"string_equals_key_case_insensitive", PolicyKind::Identity,
       allow_if(R"("StringEquals":{"AWS:UserName":"alice"})"), with_keys({{alice, {"alice"}}}), kAllow},
      {"string_equals_values_ored", PolicyKind::Identity,
       allow_if(R"("StringEquals":{"aws:username":["bob","alice"]})"), with_keys({{alice, {"alice"}}}), kAllow},
      {"string_equals_keys_anded", PolicyKind::Identity,
       allow_if(R"("StringEquals":{"aws:username":"alice","aws:requestedregion":"us-east-1"})"),
       with_keys({{alice, {"alice"}}}), kNone},
      {"operators_anded", PolicyKind::Identity,
       allow_if(R"("StringEquals":{"aws:username":"alice"},"Bool":{"aws:securetransport":"true"})"),
       with_keys({{alice, {"alice"}}, {"aws:securetransport", {"false"}}}), kNone},
      {"string_not_equals_differs", PolicyKind::Identity,
       allow_if(R"("StringNotEquals":{"aws:username":["bob","eve"]})"), with_keys({{alice, {"alice"}}}), kAllow},
      {"string_not_equals_same", PolicyKind::Identity,
       allow_if(R"("StringNotEquals":{"aws:username":["bob","alice"]})"), with_keys({{alice, {"alice"}}}), kNone},
      {"string_not_equals_absent", PolicyKind::Identity, allow_if(R"("StringNotEquals":{"aws:username":"bob"})"),
       with_keys({}), kAllow},
      {"string_equals_ignore_case", PolicyKind::Identity,
       allow_if(R"("StringEqualsIgnoreCase":{"aws:username":"ALICE"})"), with_keys({{alice, {"alice"}}}), kAllow},
      {"string_not_equals_ignore_case", PolicyKind::Identity,
       allow_if(R"("StringNotEqualsIgnoreCase":{"aws:username":"ALICE"})"), with_keys({{alice, {"alice"}}}), kNone},
      {"string_like", PolicyKind::Identity, allow_if(R"("StringLike":{"s3:prefix":"dev-*"})"),
       with_keys({{"s3:prefix", {"dev-42"}}}), kAllow},
      {"string_like_mismatch", PolicyKind::Identity, allow_if(R"("StringLike":{"s3:prefix":"dev-?"})"),
       with_keys({{"s3:prefix", {"dev-42"}}}), kNone},
      {"string_not_like", PolicyKind::Identity, allow_if(R"("StringNotLike":{"s3:prefix":"dev-*"})"),
       with_keys({{"s3:prefix", {"prod-1"}}}), kAllow},
      {"string_not_like_matching", PolicyKind::Identity, allow_if(R"("StringNotLike":{"s3:prefix":"dev-*"})"),
       with_keys({{"s3:prefix", {"dev-1"}}}), kNone},
      {"string_not_like_absent", PolicyKind::Identity, allow_if(R"("StringNotLike":{"s3:prefix":"dev-*"})"),
       with_keys({}), kAllow},

      // Numeric.
      {"numeric_less_than", PolicyKind::Identity, allow_if(R"("NumericLessThan":{"s3:max-keys":10})"),
       with_keys({{"s3:max-keys", {"5"}}}), kAllow},
      {"numeric_less_than_equal_value", PolicyKind::Identity, allow_if(R"("NumericLessThan":{"s3:max-keys":10})"),
       with_keys({{"s3:max-keys", {"10"}}}), kNone},
      {"numeric_less_than_equals", PolicyKind::Identity, allow_if(R"("NumericLessThanEquals":{"s3:max-keys":"10"})"),
       with_keys({{"s3:max-keys", {"10"}}}), kAllow},
      {"numeric_greater_than", PolicyKind::Identity, allow_if(R"("NumericGreaterThan":{"s3:max-keys":10})"),
       with_keys({{"s3:max-keys", {"10"}}}), kNone},
      {"numeric_greater_than_equals", PolicyKind::Identity,
       allow_if(R"("NumericGreaterThanEquals":{"s3:max-keys":10})"), with_keys({{"s3:max-keys", {"11"}}}), kAllow},
      {"numeric_equals_decimal", PolicyKind::Identity, allow_if(R"("NumericEquals":{"s3:max-keys":10})"),
       with_keys({{"s3:max-keys", {"10.0"}}}), kAllow},
      {"numeric_equals_unparsable", PolicyKind::Identity, allow_if(R"("NumericEquals":{"s3:max-keys":10})"),
       with_keys({{"s3:max-keys", {"ten"}}}), kNone},
      {"numeric_not_equals", PolicyKind::Identity, allow_if(R"("NumericNotEquals":{"s3:max-keys":10})"),
       with_keys({{"s3:max-keys", {"11"}}}), kAllow},
      {"numeric_not_equals_same", PolicyKind::Identity, allow_if(R"("NumericNotEquals":{"s3:max-keys":10})"),
       with_keys({{"s3:max-keys", {"10"}}}), kNone},
      {"numeric_absent", PolicyKind::Identity, allow_if(R"("NumericLessThan":{"s3:max-keys":10})"), with_keys({}),
       kNone},

      // Date (ISO-8601 or epoch seconds on either side).
      {"date_greater_than", PolicyKind::Identity,
       allow_if(R"("DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"})"),
       with_keys({{"aws:currenttime", {"2024-06-01T00:00:00Z"}}}), kAllow},
      {"date_greater_than_earlier", PolicyKind::Identity,
       allow_if(R"("DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"})"),
       with_keys({{"aws:currenttime", {"2023-06-01T00:00:00Z"}}}), kNone},
      {"date_less_than_epoch_request", PolicyKind::Identity,
       allow_if(R"("DateLessThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"})"),
       with_keys({{"aws:currenttime", {"1700000000"}}}), kAllow},
      {"date_less_than_equals_epoch_policy", PolicyKind::Identity,
       allow_if(R"("DateLessThanEquals":{"aws:CurrentTime":1704067200})"),
       with_keys({{"aws:currenttime", {"2024-01-01T00:00:00Z"}}}), kAllow},
      {"date_greater_than_equals", PolicyKind::Identity,
       allow_if(R"("DateGreaterThanEquals":{"aws:CurrentTime":"2024-01-01T00:00:00Z"})"),
       with_keys({{"aws:currenttime", {"2023-12-31T23:59:59Z"}}}), kNone},
      {"date_equals_offset", PolicyKind::Identity,
       allow_if(R"("DateEquals":{"aws:CurrentTime":"2024-01-01T09:00:00+09:00"})"),
       with_keys({{"aws:currenttime", {"2024-01-01T00:00:00Z"}}}), kAllow},
      {"date_not_equals", PolicyKind::Identity,
       allow_if(R"("DateNotEquals":{"aws:CurrentTime":"2024-01-01T00:00:00Z"})"),
       with_keys({{"aws:currenttime", {"2024-01-01T00:00:00Z"}}}), kNone},

      // Bool and Binary.
      {"bool_true", PolicyKind::Identity, allow_if(R"("Bool":{"aws:SecureTransport":true})"),
       with_keys({{"aws:securetransport", {"true"}}}), kAllow},
      {"bool_mismatch", PolicyKind::Identity, allow_if(R"("Bool":{"aws:SecureTransport":"false"})"),
       with_keys({{"aws:securetransport", {"true"}}}), kNone},
      {"bool_absent", PolicyKind::Identity, allow_if(R"("Bool":{"aws:SecureTransport":"false"})"), with_keys({}),
       kNone},
      {"binary_equals", PolicyKind::Identity, allow_if(R"("BinaryEquals":{"aws:blob":"aGVsbG8="})"),
       with_keys({{"aws:blob", {"hello"}}}), kAllow},
      {"binary_equals_mismatch", PolicyKind::Identity, allow_if(R"("BinaryEquals":{"aws:blob":"aGVsbG8="})"),
       with_keys({{"aws:blob", {"bye"}}}), kNone},

      // IP addresses.
      {"ip_v4_in_range", PolicyKind::Identity, allow_if(R"("IpAddress":{"aws:SourceIp":"203.0.113.0/24"})"),
       with_keys({{"aws:sourceip", {"203.0.113.7"}}}), kAllow},
      {"ip_v4_out_of_range", PolicyKind::Identity, allow_if(R"("IpAddress":{"aws:SourceIp":"203.0.113.0/24"})"),
       with_keys({{"aws:sourceip", {"203.0.114.7"}}}), kNone},
      {"ip_v4_odd_prefix", PolicyKind::Identity, allow_if(R"("IpAddress":{"aws:SourceIp":"10.0.0.0/9"})"),
       with_keys({{"aws:sourceip", {"10.127.255.255"}}}), kAllow},
      {"ip_v4_odd_prefix_out", PolicyKind::Identity, allow_if(R"("IpAddress":{"aws:SourceIp":"10.0.0.0/9"})"),
       with_keys({{"aws:sourceip", {"10.128.0.1"}}}), kNone},
      {"ip_v4_bare_address", PolicyKind::Identity, allow_if(R"("IpAddress":{"aws:SourceIp":"192.0.2.1"})"),
       with_keys({{"aws:sourceip", {"192.0.2.1"}}}), kAllow},
      {"ip_v6_in_range", PolicyKind::Identity, allow_if(R"("IpAddress":{"aws:SourceIp":"2001:db8::/32"})"),
       with_keys({{"aws:sourceip", {"2001:db8:1::1"}}}), kAllow},
      {"ip_v6_out_of_range", PolicyKind::Identity, allow_if(R"("IpAddress":{"aws:SourceIp":"2001:db8::/32"})"),
       with_keys({{"aws:sourceip", {"2001:db9::1"}}}), kNone},
      {"ip_family_mismatch", PolicyKind::Identity, allow_if(R"("IpAddress":{"aws:SourceIp":"0.0.0.0/0"})"),
       with_keys({{"aws:sourceip", {"::1"}}}), kNone},
      {"not_ip_address", PolicyKind::Identity, allow_if(R"("NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"})"),
       with_keys({{"aws:sourceip", {"198.51.100.1"}}}), kAllow},
      {"not_ip_address_inside", PolicyKind::Identity, allow_if(R"("NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"})"),
       with_keys({{"aws:sourceip", {"203.0.113.1"}}}), kNone},
      {"not_ip_address_absent", PolicyKind::Identity, allow_if(R"("NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"})"),
       with_keys({}), kAllow},

      // ARN operators.
      {"arn_like", PolicyKind::Identity,
       allow_if(R"("ArnLike":{"aws:SourceArn":"arn:aws:codebuild:*:111122223333:project/*"})"),
       with_keys({{"aws:sourcearn", {"arn:aws:codebuild:us-east-1:111122223333:project/app"}}}), kAllow},
      {"arn_like_other_account", PolicyKind::Identity,
       allow_if(R"("ArnLike":{"aws:SourceArn":"arn:aws:codebuild:*:111122223333:project/*"})"),
       with_keys({{"aws:sourcearn", {"arn:aws:codebuild:us-east-1:444455556666:project/app"}}}), kNone},
      {"arn_equals_wildcards_per_field", PolicyKind::Identity,
       allow_if(R"("ArnEquals":{"aws:SourceArn":"arn:aws:iam::*:role/Dev"})"),
       with_keys({{"aws:sourcearn", {"arn:aws:iam::1:2:role/Dev"}}}), kNone},
      {"arn_not_equals", PolicyKind::Identity, allow_if(R"("ArnNotEquals":{"aws:SourceArn":"arn:aws:s3:::a"})"),
       with_keys({{"aws:sourcearn", {"arn:aws:s3:::b"}}}), kAllow},
      {"arn_not_like_matching", PolicyKind::Identity, allow_if(R"("ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::*"})"),
       with_keys({{"aws:sourcearn", {"arn:aws:s3:::b"}}}), kNone},
      {"arn_not_like_absent", PolicyKind::Identity, allow_if(R"("ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::*"})"),
       with_keys({}), kAllow},

      // IfExists and Null.
      {"if_exists_absent", PolicyKind::Identity, allow_if(R"("StringEqualsIfExists":{"ec2:InstanceType":"t3.micro"})"),
       with_keys({}), kAllow},
      {"if_exists_present_mismatch", PolicyKind::Identity,
       allow_if(R"("StringEqualsIfExists":{"ec2:InstanceType":"t3.micro"})"),
       with_keys({{"ec2:instancetype", {"m5.large"}}}), kNone},
      {"if_exists_present_match", PolicyKind::Identity,
       allow_if(R"("StringEqualsIfExists":{"ec2:InstanceType":"t3.micro"})"),
       with_keys({{"ec2:instancetype", {"t3.micro"}}}), kAllow},
      {"numeric_if_exists_absent", PolicyKind::Identity, allow_if(R"("NumericLessThanIfExists":{"s3:max-keys":10})"),
       with_keys({}), kAllow},
      {"arn_like_if_exists_absent", PolicyKind::Identity,
       allow_if(R"("ArnLikeIfExists":{"aws:SourceArn":"arn:aws:s3:::*"})"), with_keys({}), kAllow},
      {"null_true_absent", PolicyKind::Identity, allow_if(R"("Null":{"aws:TokenIssueTime":"true"})"), with_keys({}),
       kAllow},
      {"null_true_present", PolicyKind::Identity, allow_if(R"("Null":{"aws:TokenIssueTime":"true"})"),
       with_keys({{"aws:tokenissuetime", {"2024-01-01T00:00:00Z"}}}), kNone},
      {"null_false_present", PolicyKind::Identity, allow_if(R"("Null":{"aws:TokenIssueTime":false})"),
       with_keys({{"aws:tokenissuetime", {"2024-01-01T00:00:00Z"}}}), kAllow},
      {"null_false_absent", PolicyKind::Identity, allow_if(R"("Null":{"aws:TokenIssueTime":"false"})"), with_keys({}),
       kNone},

      // Set operators on multi-valued keys.
      {"for_any_value_one_matches", PolicyKind::Identity,
       allow_if(R"("ForAnyValue:StringEquals":{"aws:TagKeys":["b","c"]})"), with_keys({{"aws:tagkeys", {"a", "b"}}}),
       kAllow},
      {"for_any_value_none_match", PolicyKind::Identity,
       allow_if(R"("ForAnyValue:StringEquals":{"aws:TagKeys":["b","c"]})"), with_keys({{"aws:tagkeys", {"a"}}}), kNone},
      {"for_any_value_absent", PolicyKind::Identity, allow_if(R"("ForAnyValue:StringEquals":{"aws:TagKeys":["b"]})"),
       with_keys({}), kNone},
      {"for_any_value_empty", PolicyKind::Identity, allow_if(R"("ForAnyValue:StringEquals":{"aws:TagKeys":["b"]})"),
       with_keys({{"aws:tagkeys", {}}}), kNone},
      {"for_any_value_not_equals", PolicyKind::Identity,
       allow_if(R"("ForAnyValue:StringNotEquals":{"aws:TagKeys":["a"]})"), with_keys({{"aws:tagkeys", {"a", "b"}}}),
       kAllow},
      {"for_all_values_subset", PolicyKind::Identity,
       allow_if(R"("ForAllValues:StringEquals":{"aws:TagKeys":["a","b","c"]})"),
       with_keys({{"aws:tagkeys", {"a", "b"}}}), kAllow},
      {"for_all_values_extra_value", PolicyKind::Identity,
       allow_if(R"("ForAllValues:StringEquals":{"aws:TagKeys":["a","b","c"]})"),
       with_keys({{"aws:tagkeys", {"a", "d"}}}), kNone},
      {"for_all_values_absent", PolicyKind::Identity, allow_if(R"("ForAllValues:StringEquals":{"aws:TagKeys":["a"]})"),
       with_keys({}), kAllow},
      {"for_all_values_like", PolicyKind::Identity, allow_if(R"("ForAllValues:StringLike":{"aws:TagKeys":["env-*"]})"),
       with_keys({{"aws:tagkeys", {"env-a", "env-b"}}}), kAllow},
      {"for_all_values_not_equals", PolicyKind::Identity,
       allow_if(R"("ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]})"),
       with_keys({{"aws:tagkeys", {"a", "secret"}}}), kNone},
      {"plain_multi_valued_any_matches", PolicyKind::Identity, allow_if(R"("StringEquals":{"aws:TagKeys":"b"})"),
       with_keys({{"aws:tagkeys", {"a", "b"}}}), kAllow},
      {"plain_negated_multi_valued_one_listed", PolicyKind::Identity,
       allow_if(R"("StringNotEquals":{"aws:TagKeys":"b"})"), with_keys({{"aws:tagkeys", {"a", "b"}}}), kNone},
      {"plain_negated_multi_valued_none_listed", PolicyKind::Identity,
       allow_if(R"("StringNotEquals":{"aws:TagKeys":"b"})"), with_keys({{"aws:tagkeys", {"a", "c"}}}), kAllow},

      // Principals in trust policies.
      {"trust_account_id_user", PolicyKind::Trust, trust(R"({"AWS":"111122223333"})"), user("alice"), kAllow},
      {"trust_account_id_session", PolicyKind::Trust, trust(R"({"AWS":"111122223333"})"), session("Build", "s1"),
       kAllow},
      {"trust_account_id_other_account", PolicyKind::Trust, trust(R"({"AWS":"111122223333"})"),
       user("alice", "444455556666"), kNone},
      {"trust_account_id_not_service", PolicyKind::Trust, trust(R"({"AWS":"111122223333"})"),
       service("codebuild.amazonaws.com"), kNone},
      {"trust_root_arn_user", PolicyKind::Trust, trust(R"({"AWS":"arn:aws:iam::111122223333:root"})"), user("bob"),
       kAllow},
      {"trust_root_arn_other_account", PolicyKind::Trust, trust(R"({"AWS":"arn:aws:iam::111122223333:root"})"),
       session("Build", "s1", "444455556666"), kNone},
      {"trust_role_arn_matches_session", PolicyKind::Trust, trust(R"({"AWS":"arn:aws:iam::111122223333:role/Build"})"),
       session("Build", "s1"), kAllow},
      {"trust_role_arn_other_role", PolicyKind::Trust, trust(R"({"AWS":"arn:aws:iam::111122223333:role/Build"})"),
       session("Other", "s1"), kNone},
      {"trust_role_arn_not_user", PolicyKind::Trust, trust(R"({"AWS":"arn:aws:iam::111122223333:role/Build"})"),
       user("Build"), kNone},
      {"trust_session_arn_same_session", PolicyKind::Trust,
       trust(R"({"AWS":"arn:aws:sts::111122223333:assumed-role/Build/s1"})"), session("Build", "s1"), kAllow},
      {"trust_session_arn_other_session", PolicyKind::Trust,
       trust(R"({"AWS":"arn:aws:sts::111122223333:assumed-role/Build/s1"})"), session("Build", "s2"), kNone},
      {"trust_user_arn", PolicyKind::Trust, trust(R"({"AWS":["arn:aws:iam::111122223333:user/alice"]})"), user("alice"),
       kAllow},
      {"trust_user_arn_other_user", PolicyKind::Trust, trust(R"({"AWS":["arn:aws:iam::111122223333:user/alice"]})"),
       user("bob"), kNone},
      {"trust_service", PolicyKind::Trust, trust(R"({"Service":"codebuild.amazonaws.com"})"),
       service("codebuild.amazonaws.com"), kAllow},
      {"trust_service_other", PolicyKind::Trust, trust(R"({"Service":"codebuild.amazonaws.com"})"),
       service("codepipeline.amazonaws.com"), kNone},
      {"trust_service_not_user", PolicyKind::Trust, trust(R"({"Service":"codebuild.amazonaws.com"})"), user("alice"),
       kNone},
      {"trust_star", PolicyKind::Trust, trust(R"("*")"), user("mallory", "999999999999"), kAllow},
      {"trust_aws_star", PolicyKind::Trust, trust(R"({"AWS":"*"})"), session("X", "y", "999999999999"), kAllow},
      {"trust_other_action", PolicyKind::Trust, trust(R"("*")"),
       [] {
         EvalContext c = user("alice");
         c.action = "sts:TagSession";
         return c;
       }(),
       kNone},
      {"trust_not_principal_excluded", PolicyKind::Trust,
       trust(R"({"AWS":"arn:aws:iam::111122223333:role/Build"})", "NotPrincipal"), session("Build", "s1"), kNone},
      {"trust_not_principal_others", PolicyKind::Trust,
       trust(R"({"AWS":"arn:aws:iam::111122223333:role/Build"})", "NotPrincipal"), user("alice"), kAllow},
      {"trust_external_id", PolicyKind::Trust,
       R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"444455556666"},
         "Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"secret"}}}})",
       [] {
         EvalContext c = user("alice", "444455556666");
         c.keys["sts:externalid"] = {"wrong"};
         return c;
       }(),
       kNone},
      {"bucket_policy_cross_account", PolicyKind::Resource,
       R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/Build"},
         "Action":"s3:PutObject","Resource":"arn:aws:s3:::prod-artifacts/*"}})",
       [] {
         EvalContext c = session("Build", "s1");
         c.action = "s3:PutObject";
         c.resource = "arn:aws:s3:::prod-artifacts/a.zip";
         return c;
       }(),
       kAllow},

      // Policy variables.
      {"variable_username", PolicyKind::Identity, kHome,
       request("s3:GetObject", "arn:aws:s3:::home/alice/notes.txt", {{alice, {"alice"}}}), kAllow},
      {"variable_other_user", PolicyKind::Identity, kHome,
       request("s3:GetObject", "arn:aws:s3:::home/bob/notes.txt", {{alice, {"alice"}}}), kNone},
      {"variable_missing_key", PolicyKind::Identity, kHome, request("s3:GetObject", "arn:aws:s3:::home//notes.txt"),
       kNone},
      {"variable_old_version_literal", PolicyKind::Identity, with_version(kHome, "2008-10-17"),
       request("s3:GetObject", "arn:aws:s3:::home/alice/notes.txt", {{alice, {"alice"}}}), kNone},
      {"variable_value_is_literal", PolicyKind::Identity, kHome,
       request("s3:GetObject", "arn:aws:s3:::home/abc/notes.txt", {{alice, {"a*"}}}), kNone},
      {"variable_default", PolicyKind::Identity,
       R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*",
         "Resource":"arn:aws:s3:::home/${aws:username, 'guest'}/*"}})",
       request("s3:GetObject", "arn:aws:s3:::home/guest/x"), kAllow},
      {"variable_escape_star", PolicyKind::Identity,
       R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${*}"}})",
       request("s3:GetObject", "arn:aws:s3:::b/*"), kAllow},
      {"variable_escape_star_is_literal", PolicyKind::Identity,
       R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${*}"}})",
       request("s3:GetObject", "arn:aws:s3:::b/x"), kNone},
      {"variable_principal_account_case_insensitive", PolicyKind::Identity,
       R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ssm:*",
         "Resource":"arn:aws:ssm:*:${aws:PrincipalAccount}:parameter/*"}})",
       request("ssm:GetParameter", "arn:aws:ssm:us-east-1:111122223333:parameter/x",
               {{"aws:principalaccount", {"111122223333"}}}),
       kAllow},
      {"variable_in_condition", PolicyKind::Identity,
       allow_if(R"("StringEquals":{"s3:prefix":"home/${aws:username}/"})"),
       with_keys({{alice, {"alice"}}, {"s3:prefix", {"home/alice/"}}}), kAllow},
      {"variable_in_condition_like", PolicyKind::Identity,
       allow_if(R"("StringLike":{"s3:prefix":"home/${aws:username}/*"})"),
       with_keys({{alice, {"alice"}}, {"s3:prefix", {"home/bob/x"}}}), kNone},
      {"variable_in_condition_missing", PolicyKind::Identity,
       allow_if(R"("StringNotEquals":{"s3:prefix":"home/${aws:username}/"})"), with_keys({{"s3:prefix", {"x"}}}),
       kNone},
  };
}

INSTANTIATE_TEST_SUITE_P(Table, EvaluateTest, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<EvalCase>& info) { return info.param.name; });

TEST(EvaluateTest, IdentityPoliciesIgnoreTheCaller) {
  auto policy = parse(kSsmDev, PolicyKind::Identity);
  ASSERT_TRUE(policy.ok());
  EvalContext c = request("ssm:GetParameter", "arn:aws:ssm:us-east-1:111122223333:parameter/app/dev/x");
  c.principal_arn = "arn:aws:iam::999999999999:user/anyone";
  EXPECT_EQ(evaluate(*policy, c, PolicyKind::Identity), kAllow);
}

}  // namespace
}  // namespace policy
