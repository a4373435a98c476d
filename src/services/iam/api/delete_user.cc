// IAM DeleteUser.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult delete_user(IamEngine& engine, RequestContext& context, const Json& input) {
  auto done = engine.delete_user(context.account_id(), str(input, "UserName"));
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace iam::api
