// IAM DeleteUserPolicy.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult delete_user_policy(IamEngine& engine, RequestContext& context, const Json& input) {
  Owner owner{OwnerKind::User, str(input, "UserName")};
  auto done = engine.delete_inline_policy(context.account_id(), owner, str(input, "PolicyName"));
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace iam::api
