// A small built-in set of AWS-managed policies (arn:aws:iam::aws:policy/<name>) that accounts
// may attach. Their documents are simplified where AWS's run to thousands of actions.
#pragma once

#include <span>
#include <string_view>

namespace iam {

struct AwsManagedPolicy {
  std::string_view name;
  std::string_view path;
  std::string_view policy_id;
  std::string_view description;
  std::string_view document;
};

std::span<const AwsManagedPolicy> aws_managed_policies();
// nullptr when `arn` is not one of them.
const AwsManagedPolicy* find_aws_managed_policy(std::string_view arn);

}  // namespace iam
