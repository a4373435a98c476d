// IamAuthorizer: decides every request of every service from the caller's identity-based
// policies (inline + attached, intersected with an AssumeRole session policy) and the
// resource's policy, in AWS's order: explicit Deny > Allow > implicit deny. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "aws/dispatch/authorizer.h"
#include "policy/policy.h"
#include "services/iam/engine/iam_engine.h"

namespace iam {

class IamAuthorizer final : public dispatch::Authorizer {
 public:
  explicit IamAuthorizer(IamEngine& engine);
  // Ok, or an AccessDenied error whose message is AWS's "User: <arn> is not authorized to
  // perform: <action> on resource: <arn> because ..." text.
  common::Status<aws::AwsError> authorize(const dispatch::AuthzRequest& request) override;

 private:
  // Resource policies (bucket/repository policies, trust policies) parsed once per distinct
  // document; null when the document does not parse.
  std::shared_ptr<const policy::Policy> parsed_resource_policy(const std::string& document);

  IamEngine& engine_;
  std::mutex resource_policies_mutex_;
  std::unordered_map<std::string, std::shared_ptr<const policy::Policy>> resource_policies_;
};

// The global condition keys (aws:principalarn, aws:username, aws:currenttime, ...) of a
// request by `principal`, plus `extra`. Shared with STS's trust-policy check.
policy::EvalContext make_eval_context(const dispatch::Principal& principal, const common::Clock& clock,
                                      const std::string& region, const std::string& source_ip, bool secure_transport,
                                      const dispatch::ConditionKeys& extra);

// Whether `role`'s trust policy lets the caller `context` describes (its principal and condition
// keys) perform sts:AssumeRole on the role. False when the policy does not parse.
bool trust_allows_assume(const Role& role, policy::EvalContext context);

// Whether `role`'s trust policy lets the service `service` ("codebuild.amazonaws.com") assume it,
// decided as STS decides for an AWS principal: a statement must name the service (or "*"), its
// conditions count and an explicit Deny wins. `source_arn` and `source_account` (the resource
// the service acts for, the project or pipeline) are aws:SourceArn and aws:SourceAccount, the
// keys AWS recommends guarding service roles with.
bool service_may_assume(const Role& role, std::string_view service, std::string_view source_arn,
                        std::string_view source_account, const common::Clock& clock);

}  // namespace iam
