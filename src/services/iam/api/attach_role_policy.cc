// IAM AttachRolePolicy.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult attach_role_policy(IamEngine& engine, RequestContext& context, const Json& input) {
  Owner owner{OwnerKind::Role, str(input, "RoleName")};
  auto done = engine.attach_policy(context.account_id(), owner, str(input, "PolicyArn"));
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace iam::api
