// IAM ListRolePolicies.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult list_role_policies(IamEngine& engine, RequestContext& context, const Json& input) {
  Owner owner{OwnerKind::Role, str(input, "RoleName")};
  auto names = engine.list_inline_policies(context.account_id(), owner);
  if (!names.ok()) return common::fail(to_aws_error(names.error()));
  Json output;
  Json list = Json::array();
  for (const std::string* name : page(*names, input, output, [](const std::string& n) { return n; })) {
    list.push_back(*name);
  }
  output["PolicyNames"] = std::move(list);
  return output;
}

}  // namespace iam::api
