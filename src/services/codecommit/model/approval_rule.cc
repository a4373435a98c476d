#include "services/codecommit/model/approval_rule.h"

#include <set>

#include "common/crypto.h"
#include "common/json.h"
#include "policy/policy.h"

namespace codecommit {
namespace {

constexpr std::string_view kVersion = "2018-11-08";
constexpr std::string_view kApproversPrefix = "CodeCommitApprovers:";

using Json = common::Json;

common::Result<ApprovalRuleContent, Error> invalid(bool for_template, const std::string& why) {
  if (for_template) {
    return common::fail(error(Errc::InvalidApprovalRuleTemplateContent,
                              "The content of the approval rule template is not valid. " + why));
  }
  return common::fail(error(Errc::InvalidApprovalRuleContent, "The content of the approval rule is not valid. " + why));
}

// The part of an IAM/STS ARN after "arn:aws:<service>::<account>:", and the account.
bool split_principal(std::string_view arn, std::string_view& account, std::string_view& resource) {
  size_t colons[5];
  size_t at = 0;
  for (size_t& colon : colons) {
    colon = arn.find(':', at);
    if (colon == std::string_view::npos) return false;
    at = colon + 1;
  }
  if (arn.substr(0, colons[0]) != "arn") return false;
  account = arn.substr(colons[3] + 1, colons[4] - colons[3] - 1);
  resource = arn.substr(colons[4] + 1);
  return true;
}

}  // namespace

common::Result<ApprovalRuleContent, Error> parse_approval_rule_content(std::string_view json, bool for_template) {
  Json doc = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return invalid(for_template, "It must be a JSON object.");
  ApprovalRuleContent content;
  for (const auto& [key, value] : doc.items()) {
    if (key == "Version") {
      if (!value.is_string() || value.get<std::string>() != kVersion) {
        return invalid(for_template, "Version must be \"" + std::string(kVersion) + "\".");
      }
      content.version = value.get<std::string>();
    } else if (key == "DestinationReferences") {
      if (!value.is_array()) return invalid(for_template, "DestinationReferences must be a list of references.");
      for (const auto& ref : value) {
        if (!ref.is_string() || ref.get<std::string>().rfind("refs/heads/", 0) != 0) {
          return invalid(for_template, "Each destination reference must be a full branch name (refs/heads/...).");
        }
        content.destination_references.push_back(ref.get<std::string>());
      }
    } else if (key == "Statements") {
      if (!value.is_array() || value.empty()) return invalid(for_template, "Statements must be a non-empty list.");
      for (const auto& s : value) {
        if (!s.is_object()) return invalid(for_template, "Each statement must be a JSON object.");
        ApprovalStatement statement;
        bool typed = false;
        for (const auto& [field, v] : s.items()) {
          if (field == "Type") {
            if (!v.is_string() || v.get<std::string>() != "Approvers") {
              return invalid(for_template, "The statement Type must be \"Approvers\".");
            }
            typed = true;
          } else if (field == "NumberOfApprovalsNeeded") {
            if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 1000) {
              return invalid(for_template, "NumberOfApprovalsNeeded must be a positive integer.");
            }
            statement.approvals_needed = static_cast<int>(v.get<int64_t>());
          } else if (field == "ApprovalPoolMembers") {
            if (!v.is_array()) return invalid(for_template, "ApprovalPoolMembers must be a list.");
            for (const auto& m : v) {
              if (!m.is_string() || m.get<std::string>().empty()) {
                return invalid(for_template, "Each approval pool member must be a non-empty string.");
              }
              statement.pool.push_back(m.get<std::string>());
            }
          } else {
            return invalid(for_template, "Unknown statement field " + field + ".");
          }
        }
        if (!typed) return invalid(for_template, "Each statement needs a Type.");
        content.statements.push_back(std::move(statement));
      }
    } else {
      return invalid(for_template, "Unknown field " + key + ".");
    }
  }
  if (content.version.empty()) return invalid(for_template, "Version is required.");
  if (content.statements.empty()) return invalid(for_template, "Statements are required.");
  return content;
}

std::string rule_content_sha256(std::string_view content) { return common::sha256_hex(content); }

bool pool_member_matches(std::string_view member, std::string_view arn) {
  if (member.rfind(kApproversPrefix, 0) != 0) return policy::wildcard_match(member, arn, false);
  std::string_view rest = member.substr(kApproversPrefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view want_account = rest.substr(0, colon);
  std::string_view name = rest.substr(colon + 1);
  std::string_view account, resource;
  if (!split_principal(arn, account, resource) || account != want_account) return false;
  for (std::string_view type : {std::string_view("user/"), std::string_view("federated-user/")}) {
    if (resource.rfind(type, 0) == 0) {
      std::string_view principal_name = resource.substr(type.size());
      // IAM users may have a path: user/division/Mary_Major.
      if (size_t slash = principal_name.rfind('/'); slash != std::string_view::npos) {
        principal_name = principal_name.substr(slash + 1);
      }
      if (policy::wildcard_match(name, principal_name, false)) return true;
    }
  }
  return name.find_first_of("*?") != std::string_view::npos && policy::wildcard_match(name, resource, false);
}

bool applies_to_destination(const ApprovalRuleContent& content, std::string_view destination_reference) {
  if (content.destination_references.empty()) return true;
  for (const auto& ref : content.destination_references) {
    if (ref == destination_reference) return true;
  }
  return false;
}

bool rule_satisfied(const ApprovalRuleContent& content, const std::vector<std::string>& approvers) {
  std::set<std::string_view> distinct(approvers.begin(), approvers.end());
  for (const auto& statement : content.statements) {
    int count = 0;
    for (std::string_view approver : distinct) {
      bool in_pool = statement.pool.empty();
      for (const auto& member : statement.pool) in_pool = in_pool || pool_member_matches(member, approver);
      if (in_pool) ++count;
    }
    if (count < statement.approvals_needed) return false;
  }
  return true;
}

}  // namespace codecommit
