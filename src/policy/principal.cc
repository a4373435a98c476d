// Principal / NotPrincipal matching for resource and trust policies.
#include <algorithm>
#include <string_view>

#include "common/strings.h"
#include "policy/internal.h"

namespace policy::internal {
namespace {

bool is_account_id(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "arn:<partition>:iam::<account>:root" -> "<account>"; empty for anything else.
std::string_view root_account(std::string_view arn) {
  if (!arn.starts_with("arn:")) {
    return {};
  }
  size_t partition_end = arn.find(':', 4);
  if (partition_end == std::string_view::npos) {
    return {};
  }
  std::string_view rest = arn.substr(partition_end + 1);
  constexpr std::string_view kIam = "iam::";
  constexpr std::string_view kRoot = ":root";
  if (!rest.starts_with(kIam) || !rest.ends_with(kRoot)) {
    return {};
  }
  std::string_view account = rest.substr(kIam.size(), rest.size() - kIam.size() - kRoot.size());
  return is_account_id(account) ? account : std::string_view{};
}

// An account (id or root ARN) stands for every IAM principal of that account, i.e. the
// account delegates to its own policies. Service callers are not account principals.
bool account_matches(std::string_view account, const EvalContext& context) {
  return context.service_principal.empty() && !context.principal_account.empty() &&
         account == context.principal_account;
}

bool aws_principal_matches(std::string_view named, const EvalContext& context) {
  if (named == "*") {
    return true;
  }
  if (is_account_id(named)) {
    return account_matches(named, context);
  }
  if (std::string_view account = root_account(named); !account.empty()) {
    return account_matches(account, context);
  }
  // Policies name roles, callers are sessions: a role ARN matches all of its sessions, a
  // session ARN only itself.
  if (!context.principal_arn.empty() && named == context.principal_arn) {
    return true;
  }
  return !context.principal_role_arn.empty() && named == context.principal_role_arn;
}

}  // namespace

bool principal_matches(const PrincipalSet& set, const EvalContext& context) {
  if (set.any) {
    return true;
  }
  for (const auto& [type, names] : set.values) {
    for (const auto& named : names) {
      if (type == "AWS" && aws_principal_matches(named, context)) {
        return true;
      }
      if (type == "Service" && !context.service_principal.empty() &&
          common::iequals(named, context.service_principal)) {
        return true;
      }
      // Federated and CanonicalUser callers are identified by their ARN / id in principal_arn.
      if ((type == "Federated" || type == "CanonicalUser") && !context.principal_arn.empty() &&
          named == context.principal_arn) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace policy::internal
