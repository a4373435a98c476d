// Authorization seam: the dispatcher asks it about every request after decoding.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aws/dispatch/principal.h"
#include "aws/protocol/aws_error.h"
#include "common/result.h"

namespace dispatch {

// Condition keys a request carries besides the global ones the authorizer derives itself.
// Keys are lower-cased ("codecommit:references"); values are strings (multi-valued keys have
// several).
using ConditionKeys = std::map<std::string, std::vector<std::string>>;

struct AuthzResource {
  std::string arn;                             // "*" when the action has no resource
  std::string owner_account;                   // "" = the caller's account
  std::optional<std::string> resource_policy;  // JSON policy document on the resource
};

struct AuthzRequest {
  const Principal* principal = nullptr;
  std::string action;  // "ssm:GetParameter"
  std::vector<AuthzResource> resources;
  ConditionKeys keys;  // request-specific keys
  std::string region;
  std::string source_ip;
  bool secure_transport = false;
};

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // Ok, or the AccessDenied-class error (the dispatcher re-codes it for the protocol).
  // Message as AWS: "User: <arn> is not authorized to perform: <action> on resource: <arn>
  // because no identity-based policy allows the <action> action" / "... with an explicit deny
  // in an identity-based policy".
  virtual common::Status<aws::AwsError> authorize(const AuthzRequest& request) = 0;
};

// Allows everything: for tests of pieces that do not care about IAM.
class AllowAllAuthorizer final : public Authorizer {
 public:
  common::Status<aws::AwsError> authorize(const AuthzRequest&) override { return common::ok(); }
};

}  // namespace dispatch
