// wildcard_match / arn_like: the pattern primitives every statement match is built on.
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "policy/policy.h"

namespace policy {
namespace {

struct WildcardCase {
  std::string name;
  std::string pattern;
  std::string value;
  bool case_insensitive;
  bool expected;
};

// gtest prints the case name instead of the struct's bytes.
void PrintTo(const WildcardCase& c, std::ostream* os) { *os << c.name; }

class WildcardMatchTest : public testing::TestWithParam<WildcardCase> {};

TEST_P(WildcardMatchTest, Matches) {
  const auto& c = GetParam();
  EXPECT_EQ(wildcard_match(c.pattern, c.value, c.case_insensitive), c.expected)
      << "pattern=" << c.pattern << " value=" << c.value;
}

INSTANTIATE_TEST_SUITE_P(Table, WildcardMatchTest,
                         testing::ValuesIn(std::vector<WildcardCase>{
                             {"star_matches_empty", "*", "", false, true},
                             {"star_matches_anything", "*", "arn:aws:s3:::b/k", false, true},
                             {"empty_matches_only_empty", "", "", false, true},
                             {"empty_rejects_text", "", "a", false, false},
                             {"exact", "ssm:GetParameter", "ssm:GetParameter", false, true},
                             {"prefix_star", "ssm:Get*", "ssm:GetParametersByPath", true, true},
                             {"action_case_insensitive", "ssm:Get*", "SSM:GETPARAMETER", true, true},
                             {"resource_case_sensitive", "ssm:Get*", "SSM:GETPARAMETER", false, false},
                             {"merge_star", "codecommit:Merge*", "codecommit:MergePullRequestBySquash", true, true},
                             {"merge_star_rejects_gitpush", "codecommit:Merge*", "codecommit:GitPush", true, false},
                             {"question_one_char", "a?c", "abc", false, true},
                             {"question_not_zero", "a?c", "ac", false, false},
                             {"question_not_two", "a?c", "abbc", false, false},
                             {"star_spans_slash", "arn:aws:ssm:*:*:parameter/app/dev/*",
                              "arn:aws:ssm:us-east-1:111122223333:parameter/app/dev/db/url", false, true},
                             {"star_spans_colon", "*:*", "a:b:c", false, true},
                             {"dev_pattern_rejects_prod", "arn:aws:ssm:*:*:parameter/app/dev/*",
                              "arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/db", false, false},
                             {"several_stars", "a*b*c", "aXbYbZc", true, true},
                             {"several_stars_missing_tail", "a*b*c", "aXbYbZ", true, false},
                             {"double_star", "**", "x", false, true},
                             {"trailing_star_empty", "a*", "a", false, true},
                             {"backtracking", "*ab", "aab", false, true},
                             {"suffix_mismatch", "*.json", "file.yaml", false, false},
                             {"backslash_is_literal", "a\\*", "a\\x", false, true},
                         }),
                         [](const testing::TestParamInfo<WildcardCase>& info) { return info.param.name; });

struct ArnCase {
  std::string name;
  std::string pattern;
  std::string arn;
  bool expected;
};

// gtest prints the case name instead of the struct's bytes.
void PrintTo(const ArnCase& c, std::ostream* os) { *os << c.name; }

class ArnLikeTest : public testing::TestWithParam<ArnCase> {};

TEST_P(ArnLikeTest, Matches) {
  const auto& c = GetParam();
  EXPECT_EQ(arn_like(c.pattern, c.arn), c.expected) << "pattern=" << c.pattern << " arn=" << c.arn;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ArnLikeTest,
    testing::ValuesIn(std::vector<ArnCase>{
        {"s3_bucket_star", "arn:aws:s3:::*", "arn:aws:s3:::bucket/key", true},
        {"account_wildcard", "arn:aws:iam::*:role/Dev", "arn:aws:iam::111122223333:role/Dev", true},
        {"star_stays_in_its_field", "arn:aws:iam::*:role/Dev", "arn:aws:iam::1:2:role/Dev", false},
        {"project_any_region", "arn:aws:codebuild:*:111122223333:project/*",
         "arn:aws:codebuild:us-east-1:111122223333:project/app", true},
        {"project_other_account", "arn:aws:codebuild:*:111122223333:project/*",
         "arn:aws:codebuild:us-east-1:444455556666:project/app", false},
        {"bare_star", "*", "arn:aws:s3:::b", true},
        {"not_an_arn", "arn:aws:s3:::b", "not-an-arn", false},
        {"case_sensitive", "arn:aws:iam::1:role/dev", "arn:aws:iam::1:role/Dev", false},
        {"question_in_region", "arn:aws:ssm:us-east-?:1:parameter/x", "arn:aws:ssm:us-east-2:1:parameter/x", true},
        {"resource_keeps_colons", "arn:aws:logs:*:*:log-group:/aws/codebuild/*",
         "arn:aws:logs:us-east-1:1:log-group:/aws/codebuild/p:*", true},
        {"service_star_does_not_span", "arn:aws:*:us-east-1:1:x", "arn:aws:s3:::x", false},
    }),
    [](const testing::TestParamInfo<ArnCase>& info) { return info.param.name; });

TEST(ArnLikeTest, DiffersFromPlainWildcardAcrossFields) {
  // The same pattern as a Resource (plain wildcard) spans ':'; as ArnLike it does not.
  EXPECT_TRUE(wildcard_match("arn:aws:iam::*:role/Dev", "arn:aws:iam::1:2:role/Dev", false));
  EXPECT_FALSE(arn_like("arn:aws:iam::*:role/Dev", "arn:aws:iam::1:2:role/Dev"));
}

}  // namespace
}  // namespace policy
