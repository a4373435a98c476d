// Approval rule content: validation, approval pool members (ARNs and CodeCommitApprovers), and
// whether a rule is satisfied by a set of approvers.
#include "services/codecommit/model/approval_rule.h"

#include <gtest/gtest.h>

namespace codecommit {
namespace {

constexpr const char* kTwoFromReview = R"({"Version": "2018-11-08", "Statements": [{"Type": "Approvers",
  "NumberOfApprovalsNeeded": 2, "ApprovalPoolMembers": ["arn:aws:sts::123456789012:assumed-role/Review/*"]}]})";

TEST(ApprovalRuleContent, ParsesStatementsAndDestinations) {
  auto parsed = parse_approval_rule_content(
      R"({"Version":"2018-11-08","DestinationReferences":["refs/heads/main"],
          "Statements":[{"Type":"Approvers","NumberOfApprovalsNeeded":1}]})",
      true);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->version, "2018-11-08");
  ASSERT_EQ(parsed->destination_references.size(), 1u);
  ASSERT_EQ(parsed->statements.size(), 1u);
  EXPECT_EQ(parsed->statements[0].approvals_needed, 1);
  EXPECT_TRUE(parsed->statements[0].pool.empty());
}

TEST(ApprovalRuleContent, RejectsInvalidDocumentsWithTheRightError) {
  for (const char* bad :
       {"not json", "[]", R"({"Statements":[{"Type":"Approvers"}]})",
        R"({"Version":"2012-10-17","Statements":[{"Type":"Approvers"}]})",
        R"({"Version":"2018-11-08","Statements":[]})",
        R"({"Version":"2018-11-08","Statements":[{"Type":"Reviewers"}]})",
        R"({"Version":"2018-11-08","Statements":[{"Type":"Approvers","NumberOfApprovalsNeeded":0}]})",
        R"({"Version":"2018-11-08","Statements":[{"Type":"Approvers","ApprovalPoolMembers":"x"}]})",
        R"({"Version":"2018-11-08","DestinationReferences":["main"],"Statements":[{"Type":"Approvers"}]})",
        R"({"Version":"2018-11-08","Extra":1,"Statements":[{"Type":"Approvers"}]})"}) {
    auto rule = parse_approval_rule_content(bad, false);
    ASSERT_FALSE(rule.ok()) << bad;
    EXPECT_EQ(rule.error().code, Errc::InvalidApprovalRuleContent) << bad;
    auto templ = parse_approval_rule_content(bad, true);
    ASSERT_FALSE(templ.ok()) << bad;
    EXPECT_EQ(templ.error().code, Errc::InvalidApprovalRuleTemplateContent) << bad;
  }
}

TEST(ApprovalPoolMember, FullArnsWithWildcards) {
  EXPECT_TRUE(pool_member_matches("arn:aws:sts::123456789012:assumed-role/Review/*",
                                  "arn:aws:sts::123456789012:assumed-role/Review/mary"));
  EXPECT_FALSE(pool_member_matches("arn:aws:sts::123456789012:assumed-role/Review/*",
                                   "arn:aws:sts::123456789012:assumed-role/Other/mary"));
  EXPECT_TRUE(pool_member_matches("arn:aws:iam::123456789012:user/mary", "arn:aws:iam::123456789012:user/mary"));
  EXPECT_FALSE(pool_member_matches("arn:aws:iam::123456789012:user/mary", "arn:aws:iam::123456789012:user/maryann"));
}

TEST(ApprovalPoolMember, CodeCommitApproversMatchesUsersAndFederatedUsersOfTheAccount) {
  const char* member = "CodeCommitApprovers:123456789012:Mary_Major";
  EXPECT_TRUE(pool_member_matches(member, "arn:aws:iam::123456789012:user/Mary_Major"));
  EXPECT_TRUE(pool_member_matches(member, "arn:aws:iam::123456789012:user/division/Mary_Major"));
  EXPECT_TRUE(pool_member_matches(member, "arn:aws:sts::123456789012:federated-user/Mary_Major"));
  EXPECT_FALSE(pool_member_matches(member, "arn:aws:sts::123456789012:assumed-role/Review/Mary_Major"));
  EXPECT_FALSE(pool_member_matches(member, "arn:aws:iam::210987654321:user/Mary_Major"));
  // A wildcard reaches assumed-role sessions, as AWS documents.
  EXPECT_TRUE(pool_member_matches("CodeCommitApprovers:123456789012:*Mary_Major",
                                  "arn:aws:sts::123456789012:assumed-role/Review/Mary_Major"));
}

TEST(ApprovalRule, SatisfiedByDistinctApproversFromThePool) {
  auto rule = parse_approval_rule_content(kTwoFromReview, false);
  ASSERT_TRUE(rule.ok());
  const std::string a = "arn:aws:sts::123456789012:assumed-role/Review/a";
  const std::string b = "arn:aws:sts::123456789012:assumed-role/Review/b";
  const std::string outsider = "arn:aws:iam::123456789012:user/c";
  EXPECT_FALSE(rule_satisfied(*rule, {}));
  EXPECT_FALSE(rule_satisfied(*rule, {a, a}));
  EXPECT_FALSE(rule_satisfied(*rule, {a, outsider}));
  EXPECT_TRUE(rule_satisfied(*rule, {a, b}));
}

TEST(ApprovalRule, WithoutAPoolAnyoneCounts) {
  auto rule = parse_approval_rule_content(
      R"({"Version":"2018-11-08","Statements":[{"Type":"Approvers","NumberOfApprovalsNeeded":1}]})", false);
  ASSERT_TRUE(rule.ok());
  EXPECT_TRUE(rule_satisfied(*rule, {"arn:aws:iam::123456789012:user/anyone"}));
}

TEST(ApprovalRule, DestinationReferences) {
  auto rule = parse_approval_rule_content(
      R"({"Version":"2018-11-08","DestinationReferences":["refs/heads/main"],"Statements":[{"Type":"Approvers"}]})",
      true);
  ASSERT_TRUE(rule.ok());
  EXPECT_TRUE(applies_to_destination(*rule, "refs/heads/main"));
  EXPECT_FALSE(applies_to_destination(*rule, "refs/heads/dev"));
  auto everywhere = parse_approval_rule_content(kTwoFromReview, true);
  ASSERT_TRUE(everywhere.ok());
  EXPECT_TRUE(applies_to_destination(*everywhere, "refs/heads/dev"));
}

TEST(ApprovalRule, ContentSha256IsOfTheStoredText) {
  EXPECT_EQ(rule_content_sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace codecommit
