#include "services/ssm/api/register.h"

#include "gen/models.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/model/name.h"

namespace ssm {
namespace {

using dispatch::AuthzFn;
using dispatch::AuthzResource;
using dispatch::AuthzTarget;
using dispatch::RequestContext;
using Json = common::Json;

// The ARN IAM sees for a name, "name:selector" or ARN: the parameter's, without selector.
// A parameter ARN of another account is owned by that account.
AuthzResource resource_of(const RequestContext& context, std::string_view text) {
  std::string_view trimmed = trim_name(text);
  auto ref = parse_reference(trimmed);
  std::string name = ref ? ref->name : std::string(trimmed);
  std::string region = ref && ref->arn_region ? *ref->arn_region : context.region;
  std::string account = ref && ref->arn_account ? *ref->arn_account : context.account_id();
  std::string owner = account == context.account_id() ? "" : account;
  return AuthzResource{parameter_arn(region, account, name), owner, std::nullopt};
}

AuthzFn one(const char* member) {
  return [member](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    auto it = input.find(member);
    if (it != input.end() && it->is_string()) {
      target.resources.push_back(resource_of(context, it->get_ref<const std::string&>()));
    }
    return target;
  };
}

AuthzFn each(const char* member) {
  return [member](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    auto it = input.find(member);
    if (it != input.end() && it->is_array()) {
      for (const auto& name : *it) {
        if (name.is_string()) target.resources.push_back(resource_of(context, name.get_ref<const std::string&>()));
      }
    }
    return target;
  };
}

// A path's ARN ("/app/dev" -> parameter/app/dev); IAM grants on a path cover what is beneath.
AuthzFn path() {
  return [](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    std::string p = input.value("Path", "/");
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    target.resources.push_back(AuthzResource{parameter_arn(context.region, context.account_id(), p), "", std::nullopt});
    return target;
  };
}

using Handler = dispatch::HandlerResult (*)(SsmEngine&, RequestContext&, const Json&);

dispatch::Handler bind(SsmEngine& engine, Handler handler) {
  return [&engine, handler](RequestContext& context, const Json& input) { return handler(engine, context, input); };
}

}  // namespace

void register_api(dispatch::Registry& registry, SsmEngine& engine) {
  dispatch::Service& service = registry.service(gen::ssm_model());
  service.add({"PutParameter", "ssm:PutParameter", one("Name"), bind(engine, api::put_parameter)});
  service.add({"GetParameter", "ssm:GetParameter", one("Name"), bind(engine, api::get_parameter)});
  service.add({"GetParameters", "ssm:GetParameters", each("Names"), bind(engine, api::get_parameters)});
  service.add({"GetParametersByPath", "ssm:GetParametersByPath", path(), bind(engine, api::get_parameters_by_path)});
  service.add(
      {"GetParameterHistory", "ssm:GetParameterHistory", one("Name"), bind(engine, api::get_parameter_history)});
  service.add(
      {"LabelParameterVersion", "ssm:LabelParameterVersion", one("Name"), bind(engine, api::label_parameter_version)});
  service.add({"UnlabelParameterVersion", "ssm:UnlabelParameterVersion", one("Name"),
               bind(engine, api::unlabel_parameter_version)});
  service.add({"DeleteParameter", "ssm:DeleteParameter", one("Name"), bind(engine, api::delete_parameter)});
  service.add({"DeleteParameters", "ssm:DeleteParameters", each("Names"), bind(engine, api::delete_parameters)});
  service.add({"DescribeParameters", "ssm:DescribeParameters", nullptr, bind(engine, api::describe_parameters)});
  service.add(
      {"AddTagsToResource", "ssm:AddTagsToResource", one("ResourceId"), bind(engine, api::add_tags_to_resource)});
  service.add(
      {"ListTagsForResource", "ssm:ListTagsForResource", one("ResourceId"), bind(engine, api::list_tags_for_resource)});
  service.add({"RemoveTagsFromResource", "ssm:RemoveTagsFromResource", one("ResourceId"),
               bind(engine, api::remove_tags_from_resource)});
}

}  // namespace ssm
