#include "services/iam/engine/authorizer.h"

#include "common/clock.h"

namespace iam {
namespace {

using dispatch::Principal;
using policy::Decision;
using policy::PolicyKind;

std::string_view principal_type(Principal::Kind kind) {
  switch (kind) {
    case Principal::Kind::Root: return "Account";
    case Principal::Kind::User: return "User";
    case Principal::Kind::AssumedRole: return "AssumedRole";
  }
  return "User";
}

aws::AwsError denied(const Principal& principal, const std::string& action, const std::string& resource,
                     std::string_view reason) {
  return aws::make_aws_error("AccessDenied", 403,
                             "User: " + principal.arn + " is not authorized to perform: " + action +
                                 " on resource: " + resource + " " + std::string(reason));
}

// The decision on one resource; `reason` is filled when the answer is not Allow.
bool decide(const PolicySet& policies, const Principal& principal, const dispatch::AuthzResource& resource,
            const policy::Policy* resource_policy, policy::EvalContext& context, std::string& reason) {
  const std::string& action = context.action;
  bool same_account = resource.owner_account.empty() || resource.owner_account == principal.account_id;
  bool is_root = principal.kind == Principal::Kind::Root;

  bool identity_allow = is_root;
  for (const auto& p : policies.identity) {
    Decision d = policy::evaluate(*p, context, PolicyKind::Identity);
    if (d == Decision::Deny) {
      reason = "with an explicit deny in an identity-based policy";
      return false;
    }
    identity_allow = identity_allow || d == Decision::Allow;
  }
  bool session_allow = true;
  if (policies.session) {
    Decision d = policy::evaluate(*policies.session, context, PolicyKind::Identity);
    if (d == Decision::Deny) {
      reason = "with an explicit deny in a session policy";
      return false;
    }
    session_allow = d == Decision::Allow;
  }

  bool resource_allow = false;
  if (resource_policy != nullptr) {
    Decision d = policy::evaluate(*resource_policy, context, PolicyKind::Resource);
    if (d == Decision::Deny) {
      reason = "with an explicit deny in a resource-based policy";
      return false;
    }
    if (d == Decision::Allow && same_account) {
      // Within one account a resource policy grants on its own only when it names the
      // principal itself; naming the account delegates to the identity policies.
      std::string account = std::move(context.principal_account);
      context.principal_account.clear();
      resource_allow = policy::evaluate(*resource_policy, context, PolicyKind::Resource) == Decision::Allow;
      context.principal_account = std::move(account);
    } else {
      resource_allow = d == Decision::Allow;
    }
  }

  if (same_account) {
    if ((identity_allow && session_allow) || resource_allow) return true;
    reason = !identity_allow ? "because no identity-based policy allows the " + action + " action"
                             : "because no session policy allows the " + action + " action";
    return false;
  }
  if (!identity_allow) {
    reason = "because no identity-based policy allows the " + action + " action";
    return false;
  }
  if (!session_allow) {
    reason = "because no session policy allows the " + action + " action";
    return false;
  }
  if (!resource_allow) {
    reason = "because no resource-based policy allows the " + action + " action";
    return false;
  }
  return true;
}

// aws:CurrentTime and aws:EpochTime, of every request.
void add_time_keys(dispatch::ConditionKeys& keys, const common::Clock& clock) {
  common::TimePoint now = clock.now();
  keys["aws:currenttime"] = {common::format_iso8601(now)};
  keys["aws:epochtime"] = {std::to_string(static_cast<int64_t>(common::to_epoch_seconds(now)))};
}

}  // namespace

policy::EvalContext make_eval_context(const Principal& principal, const common::Clock& clock, const std::string& region,
                                      const std::string& source_ip, bool secure_transport,
                                      const dispatch::ConditionKeys& extra) {
  policy::EvalContext context;
  context.principal_arn = principal.arn;
  context.principal_account = principal.account_id;
  context.principal_role_arn = principal.role_arn;
  context.keys = extra;
  auto& keys = context.keys;
  keys["aws:principalaccount"] = {principal.account_id};
  keys["aws:principalarn"] = {principal.kind == Principal::Kind::AssumedRole ? principal.role_arn : principal.arn};
  keys["aws:principaltype"] = {std::string(principal_type(principal.kind))};
  keys["aws:userid"] = {principal.user_id};
  if (principal.kind == Principal::Kind::User) keys["aws:username"] = {principal.name};
  if (!source_ip.empty()) keys["aws:sourceip"] = {source_ip};
  keys["aws:securetransport"] = {secure_transport ? "true" : "false"};
  add_time_keys(keys, clock);
  if (!region.empty()) keys["aws:requestedregion"] = {region};
  return context;
}

bool trust_allows_assume(const Role& role, policy::EvalContext context) {
  auto trust = policy::parse(role.trust_policy, PolicyKind::Trust);
  if (!trust.ok()) return false;
  context.action = "sts:AssumeRole";
  context.resource = role.arn;
  return policy::evaluate(*trust, context, PolicyKind::Trust) == Decision::Allow;
}

bool service_may_assume(const Role& role, std::string_view service, std::string_view source_arn,
                        std::string_view source_account, const common::Clock& clock) {
  policy::EvalContext context;
  context.service_principal = std::string(service);
  auto& keys = context.keys;
  keys["aws:principalservicename"] = {std::string(service)};
  if (!source_arn.empty()) keys["aws:sourcearn"] = {std::string(source_arn)};
  if (!source_account.empty()) keys["aws:sourceaccount"] = {std::string(source_account)};
  keys["aws:securetransport"] = {"true"};
  add_time_keys(keys, clock);
  return trust_allows_assume(role, std::move(context));
}

IamAuthorizer::IamAuthorizer(IamEngine& engine) : engine_(engine) {}

std::shared_ptr<const policy::Policy> IamAuthorizer::parsed_resource_policy(const std::string& document) {
  constexpr size_t kMaxCached = 4096;
  std::lock_guard lock(resource_policies_mutex_);
  if (auto it = resource_policies_.find(document); it != resource_policies_.end()) return it->second;
  std::shared_ptr<const policy::Policy> parsed;
  if (auto result = policy::parse(document, PolicyKind::Resource); result.ok()) {
    parsed = std::make_shared<const policy::Policy>(std::move(*result));
  }
  if (resource_policies_.size() >= kMaxCached) resource_policies_.clear();
  resource_policies_.emplace(document, parsed);
  return parsed;
}

common::Status<aws::AwsError> IamAuthorizer::authorize(const dispatch::AuthzRequest& request) {
  const Principal& principal = *request.principal;
  // Fast path: an account's root acting on its own resources with no resource policy to
  // consult (the common case of local development).
  if (principal.kind == Principal::Kind::Root && !principal.session_policy) {
    bool own = true;
    for (const auto& resource : request.resources) {
      own = own && !resource.resource_policy &&
            (resource.owner_account.empty() || resource.owner_account == principal.account_id);
    }
    if (own) return common::ok();
  }
  auto policies = engine_.policies_for(principal);
  policy::EvalContext context = make_eval_context(principal, engine_.clock(), request.region, request.source_ip,
                                                  request.secure_transport, request.keys);
  context.action = request.action;
  for (const auto& resource : request.resources) {
    context.resource = resource.arn;
    context.keys["aws:resourceaccount"] = {resource.owner_account.empty() ? principal.account_id
                                                                          : resource.owner_account};
    std::shared_ptr<const policy::Policy> resource_policy;
    if (resource.resource_policy) resource_policy = parsed_resource_policy(*resource.resource_policy);
    std::string reason;
    if (!decide(*policies, principal, resource, resource_policy.get(), context, reason)) {
      return common::fail(denied(principal, request.action, resource.arn, reason));
    }
  }
  return common::ok();
}

}  // namespace iam
