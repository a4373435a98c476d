// ARNs and identifiers of IAM and STS entities, and the rules on their names.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iam {

std::string user_arn(std::string_view account, std::string_view path, std::string_view name);
std::string role_arn(std::string_view account, std::string_view path, std::string_view name);
std::string policy_arn(std::string_view account, std::string_view path, std::string_view name);
std::string root_arn(std::string_view account);
std::string assumed_role_arn(std::string_view account, std::string_view role_name, std::string_view session);

// "arn:aws:iam::<account>:<kind>/<path...>/<name>" split up; nullopt when not of that form.
struct ParsedIamArn {
  std::string account;  // 12 digits, or "aws" for AWS-managed policies
  std::string kind;     // "user" | "role" | "policy"
  std::string path;     // "/" or "/a/b/"
  std::string name;
};
std::optional<ParsedIamArn> parse_iam_arn(std::string_view arn);

// Unique ids: prefix ("AIDA", "AROA", "ANPA") + 17 characters, as AWS's.
std::string new_unique_id(std::string_view prefix);
// Access key ids (prefix "AKIA" or "ASIA" + 16 characters) and 40-character secrets.
std::string new_access_key_id(std::string_view prefix);
std::string new_secret_access_key();
std::string new_session_token();

}  // namespace iam
