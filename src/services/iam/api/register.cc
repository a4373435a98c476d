#include "services/iam/api/register.h"

#include "gen/models.h"
#include "services/iam/api/handlers.h"
#include "services/iam/model/arns.h"

namespace iam {
namespace {

using dispatch::AuthzFn;
using dispatch::AuthzTarget;
using dispatch::RequestContext;
using Handler = dispatch::HandlerResult (*)(IamEngine&, RequestContext&, const common::Json&);

std::string member(const common::Json& input, const char* name, const std::string& fallback = "") {
  return api::str(input, name, fallback);
}

AuthzFn one(std::function<std::string(const RequestContext&, const common::Json&)> arn_of) {
  return dispatch::resource(std::move(arn_of));
}

// The user an operation names, or the caller when UserName is optional and absent.
AuthzFn user_resource(IamEngine& engine) {
  return one([&engine](const RequestContext& context, const common::Json& input) {
    auto name = api::opt_str(input, "UserName");
    if (!name) return context.principal.arn;
    return engine.user_arn_for(context.account_id(), *name);
  });
}

AuthzFn role_resource(IamEngine& engine) {
  return one([&engine](const RequestContext& context, const common::Json& input) {
    return engine.role_arn_for(context.account_id(), member(input, "RoleName"));
  });
}

AuthzFn policy_resource() {
  return one([](const RequestContext&, const common::Json& input) { return member(input, "PolicyArn"); });
}

// Attach/Detach: the resource is the user or role; iam:PolicyARN is a condition key.
AuthzFn with_policy_arn(AuthzFn inner) {
  return [inner = std::move(inner)](const RequestContext& context, const common::Json& input) {
    AuthzTarget target = inner(context, input);
    target.keys["iam:policyarn"] = {member(input, "PolicyArn")};
    return target;
  };
}

AuthzFn collection(const char* kind) {
  return one([kind](const RequestContext& context, const common::Json&) {
    return "arn:aws:iam::" + context.account_id() + ":" + kind + "/";
  });
}

}  // namespace

void register_api(dispatch::Registry& registry, IamEngine& engine) {
  dispatch::Service& service = registry.service(gen::iam_model());
  auto add = [&](const char* name, AuthzFn authz, Handler handler) {
    service.add({name, std::string("iam:") + name, std::move(authz),
                 [&engine, handler](RequestContext& context, const common::Json& input) {
                   return handler(engine, context, input);
                 }});
  };
  AuthzFn user = user_resource(engine);
  AuthzFn role = role_resource(engine);
  AuthzFn policy = policy_resource();

  add("CreateUser", one([](const RequestContext& c, const common::Json& in) {
        return user_arn(c.account_id(), member(in, "Path", "/"), member(in, "UserName"));
      }),
      api::create_user);
  add("GetUser", user, api::get_user);
  add("ListUsers", collection("user"), api::list_users);
  add("UpdateUser", user, api::update_user);
  add("DeleteUser", user, api::delete_user);
  add("TagUser", user, api::tag_user);
  add("UntagUser", user, api::untag_user);
  add("ListUserTags", user, api::list_user_tags);

  add("CreateAccessKey", user, api::create_access_key);
  add("ListAccessKeys", user, api::list_access_keys);
  add("UpdateAccessKey", user, api::update_access_key);
  add("DeleteAccessKey", user, api::delete_access_key);
  add("GetAccessKeyLastUsed", one([&engine](const RequestContext& c, const common::Json& in) {
        auto key = engine.find_access_key(c.account_id(), member(in, "AccessKeyId"));
        return key.ok() ? engine.user_arn_for(c.account_id(), key->user_name) : std::string("*");
      }),
      api::get_access_key_last_used);

  add("CreateServiceSpecificCredential", user, api::create_service_specific_credential);
  add("ListServiceSpecificCredentials", user, api::list_service_specific_credentials);
  add("ResetServiceSpecificCredential", user, api::reset_service_specific_credential);
  add("UpdateServiceSpecificCredential", user, api::update_service_specific_credential);
  add("DeleteServiceSpecificCredential", user, api::delete_service_specific_credential);

  add("CreateRole", one([](const RequestContext& c, const common::Json& in) {
        return role_arn(c.account_id(), member(in, "Path", "/"), member(in, "RoleName"));
      }),
      api::create_role);
  add("GetRole", role, api::get_role);
  add("ListRoles", collection("role"), api::list_roles);
  add("UpdateRole", role, api::update_role);
  add("UpdateAssumeRolePolicy", role, api::update_assume_role_policy);
  add("DeleteRole", role, api::delete_role);
  add("TagRole", role, api::tag_role);
  add("UntagRole", role, api::untag_role);
  add("ListRoleTags", role, api::list_role_tags);

  add("PutUserPolicy", user, api::put_user_policy);
  add("GetUserPolicy", user, api::get_user_policy);
  add("DeleteUserPolicy", user, api::delete_user_policy);
  add("ListUserPolicies", user, api::list_user_policies);
  add("PutRolePolicy", role, api::put_role_policy);
  add("GetRolePolicy", role, api::get_role_policy);
  add("DeleteRolePolicy", role, api::delete_role_policy);
  add("ListRolePolicies", role, api::list_role_policies);

  add("CreatePolicy", one([](const RequestContext& c, const common::Json& in) {
        return policy_arn(c.account_id(), member(in, "Path", "/"), member(in, "PolicyName"));
      }),
      api::create_policy);
  add("GetPolicy", policy, api::get_policy);
  add("DeletePolicy", policy, api::delete_policy);
  add("ListPolicies", collection("policy"), api::list_policies);
  add("CreatePolicyVersion", policy, api::create_policy_version);
  add("GetPolicyVersion", policy, api::get_policy_version);
  add("DeletePolicyVersion", policy, api::delete_policy_version);
  add("ListPolicyVersions", policy, api::list_policy_versions);
  add("ListEntitiesForPolicy", policy, api::list_entities_for_policy);

  add("AttachUserPolicy", with_policy_arn(user), api::attach_user_policy);
  add("DetachUserPolicy", with_policy_arn(user), api::detach_user_policy);
  add("ListAttachedUserPolicies", user, api::list_attached_user_policies);
  add("AttachRolePolicy", with_policy_arn(role), api::attach_role_policy);
  add("DetachRolePolicy", with_policy_arn(role), api::detach_role_policy);
  add("ListAttachedRolePolicies", role, api::list_attached_role_policies);
}

}  // namespace iam
