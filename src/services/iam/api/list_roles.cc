// IAM ListRoles.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult list_roles(IamEngine& engine, RequestContext& context, const Json& input) {
  auto roles = engine.list_roles(context.account_id(), str(input, "PathPrefix", "/"));
  if (!roles.ok()) return common::fail(to_aws_error(roles.error()));
  Json output;
  Json list = Json::array();
  for (const Role* role : page(*roles, input, output, [](const Role& r) { return r.name; })) {
    list.push_back(role_to(*role, false));
  }
  output["Roles"] = std::move(list);
  return output;
}

}  // namespace iam::api
