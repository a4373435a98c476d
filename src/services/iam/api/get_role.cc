// IAM GetRole.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult get_role(IamEngine& engine, RequestContext& context, const Json& input) {
  auto role = engine.get_role(context.account_id(), str(input, "RoleName"));
  if (!role.ok()) return common::fail(to_aws_error(role.error()));
  Json out = role_to(*role, true);
  out["RoleLastUsed"] = Json::object();
  return Json{{"Role", std::move(out)}};
}

}  // namespace iam::api
