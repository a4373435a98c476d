// Approval rule content (pull request rules and approval rule templates): the JSON document
// CodeCommit stores verbatim, parsed and validated, and the evaluation of a rule against the
// approvals a pull request has.
//
//   {"Version": "2018-11-08",
//    "DestinationReferences": ["refs/heads/main"],          // templates only
//    "Statements": [{"Type": "Approvers", "NumberOfApprovalsNeeded": 2,
//                    "ApprovalPoolMembers": ["CodeCommitApprovers:123456789012:Mary_Major",
//                                            "arn:aws:sts::123456789012:assumed-role/Review/*"]}]}
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "services/codecommit/model/errors.h"

namespace codecommit {

struct Repository;

struct ApprovalStatement {
  int approvals_needed = 1;
  std::vector<std::string> pool;  // empty = anyone's approval counts
};

struct ApprovalRuleContent {
  std::string version;                              // "2018-11-08"
  std::vector<std::string> destination_references;  // "refs/heads/main"; empty = every branch
  std::vector<ApprovalStatement> statements;
};

// Parses and validates `json` (InvalidApprovalRuleContent, or InvalidApprovalRuleTemplateContent
// when `for_template`).
common::Result<ApprovalRuleContent, Error> parse_approval_rule_content(std::string_view json, bool for_template);

// SHA-256 (lowercase hex) of the content as stored: ruleContentSha256.
std::string rule_content_sha256(std::string_view content);

// Whether one approval pool member names the principal `arn` (a caller ARN as IAM evaluates it:
// arn:aws:iam::<acct>:user/<name>, arn:aws:sts::<acct>:assumed-role/<role>/<session>,
// arn:aws:sts::<acct>:federated-user/<name>). Members are full ARNs with wildcards, or
// "CodeCommitApprovers:<account>:<name>", which matches users and federated users called <name>
// in that account, and any principal of that account whose resource matches when <name> has a
// wildcard ("*Mary_Major" matches assumed-role/Review/Mary_Major).
bool pool_member_matches(std::string_view member, std::string_view arn);

// Whether `content`'s template applies to a pull request into `destination_reference`
// ("refs/heads/main"): no DestinationReferences, or one equal to it.
bool applies_to_destination(const ApprovalRuleContent& content, std::string_view destination_reference);

// Whether the rule is satisfied by the distinct principals in `approvers` (ARNs that approved):
// every statement has NumberOfApprovalsNeeded approvers from its pool.
bool rule_satisfied(const ApprovalRuleContent& content, const std::vector<std::string>& approvers);

// A template associated with a repository, as a pull request created there receives it.
struct TemplateRule {
  std::string template_id;
  std::string template_name;
  std::string content;  // the template's content, verbatim
};

// The templates associated with a repository (ApprovalTemplateEngine::associated_rules); the
// pull request engine keeps those whose DestinationReferences match.
using TemplateSource = std::function<common::Result<std::vector<TemplateRule>, Error>(const Repository&)>;

}  // namespace codecommit
