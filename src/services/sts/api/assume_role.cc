// STS AssumeRole. The dispatcher has checked the caller's identity policies for
// sts:AssumeRole on the role; here the role's trust policy must allow the caller too.
#include "gen/sts/errors.h"
#include "http/request.h"
#include "policy/policy.h"
#include "services/iam/engine/authorizer.h"
#include "services/sts/api/handlers.h"

namespace sts::api {
namespace {

constexpr int64_t kRoleChainingLimit = 3600;
constexpr size_t kPackedPolicyLimit = 2048;

bool trust_allows(iam::IamEngine& engine, const RequestContext& context, const iam::Role& role, const Json& input) {
  dispatch::ConditionKeys keys;
  if (input.contains("ExternalId")) keys["sts:externalid"] = {input["ExternalId"].get<std::string>()};
  keys["sts:rolesessionname"] = {input.value("RoleSessionName", std::string())};
  std::string source_ip = context.http != nullptr ? context.http->remote_address : std::string();
  bool secure = context.http != nullptr && context.http->secure;
  return iam::trust_allows_assume(
      role, iam::make_eval_context(context.principal, engine.clock(), context.region, source_ip, secure, keys));
}

}  // namespace

HandlerResult assume_role(iam::IamEngine& engine, RequestContext& context, const Json& input) {
  const dispatch::Principal& caller = context.principal;
  std::string role_arn = input.value("RoleArn", std::string());
  std::string session_name = input.value("RoleSessionName", std::string());
  auto denied = [&] {
    return common::fail(access_denied("User: " + caller.arn +
                                      " is not authorized to perform: sts:AssumeRole on resource: " + role_arn));
  };
  auto role = engine.find_role_by_arn(role_arn);
  if (!role.ok() || !trust_allows(engine, context, *role, input)) return denied();

  int64_t duration = input.value("DurationSeconds", int64_t{3600});
  if (caller.kind == dispatch::Principal::Kind::AssumedRole && duration > kRoleChainingLimit) {
    return common::fail(validation_error(
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."));
  }
  if (duration > role->max_session_duration) {
    return common::fail(
        validation_error("The requested DurationSeconds exceeds the MaxSessionDuration set for this role."));
  }
  std::optional<std::string> session_policy;
  int packed_size = 0;
  if (input.contains("Policy")) {
    session_policy = input["Policy"].get<std::string>();
    auto parsed = policy::parse(*session_policy, policy::PolicyKind::Identity);
    if (!parsed.ok()) return common::fail(sts::errors::MalformedPolicyDocument(parsed.error().message));
    packed_size = static_cast<int>(session_policy->size() * 100 / kPackedPolicyLimit);
    if (packed_size > 100) {
      return common::fail(sts::errors::PackedPolicyTooLarge("Packed policy consumes " + std::to_string(packed_size) +
                                                            "% of allotted space, please use smaller policy for "
                                                            "assuming the role."));
    }
  }

  dispatch::Principal principal = iam::role_session_principal(*role, session_name);
  principal.session_policy = std::move(session_policy);
  int64_t now = static_cast<int64_t>(common::to_epoch_seconds(context.now()));
  auto session = engine.create_session(std::move(principal), now + duration);
  if (!session.ok()) return common::fail(aws::make_aws_error("InternalFailure", 500, session.error().message, false));

  Json output{
      {"Credentials", credentials_to(*session)},
      {"AssumedRoleUser", Json{{"AssumedRoleId", session->principal.user_id}, {"Arn", session->principal.arn}}}};
  if (input.contains("Policy")) output["PackedPolicySize"] = packed_size;
  return output;
}

}  // namespace sts::api
