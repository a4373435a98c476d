#include "services/sts/api/register.h"

#include "gen/models.h"
#include "services/sts/api/handlers.h"

namespace sts {
namespace {

using dispatch::RequestContext;
using Handler = dispatch::HandlerResult (*)(iam::IamEngine&, RequestContext&, const common::Json&);

// AssumeRole: the caller's identity policies must allow sts:AssumeRole on the role. The
// resource is treated as the caller's own (so the authorizer does not ask for a resource
// policy across accounts: the handler checks the trust policy). Within one account the trust
// policy also counts as the role's resource policy: naming the caller there is enough, as in AWS.
dispatch::AuthzFn assume_role_target(iam::IamEngine& engine) {
  return [&engine](const RequestContext& context, const common::Json& input) {
    dispatch::AuthzResource resource;
    resource.arn = input.value("RoleArn", std::string());
    resource.owner_account = context.account_id();
    auto role = engine.find_role_by_arn(resource.arn);
    if (role.ok() && role->account_id == context.account_id()) resource.resource_policy = role->trust_policy;
    dispatch::AuthzTarget target;
    target.resources.push_back(std::move(resource));
    if (input.contains("ExternalId")) target.keys["sts:externalid"] = {input["ExternalId"].get<std::string>()};
    return target;
  };
}

}  // namespace

void register_api(dispatch::Registry& registry, iam::IamEngine& engine) {
  dispatch::Service& service = registry.service(gen::sts_model());
  auto bind = [&engine](Handler handler) {
    return [&engine, handler](RequestContext& context, const common::Json& input) {
      return handler(engine, context, input);
    };
  };
  service.add({"GetCallerIdentity", "", nullptr, bind(api::get_caller_identity)});
  // GetSessionToken needs no permission in AWS ("you cannot use policies to control
  // authentication operations").
  service.add({"GetSessionToken", "", nullptr, bind(api::get_session_token)});
  service.add({"GetAccessKeyInfo", "sts:GetAccessKeyInfo", nullptr, bind(api::get_access_key_info)});
  service.add({"AssumeRole", "sts:AssumeRole", assume_role_target(engine), bind(api::assume_role)});
}

}  // namespace sts
