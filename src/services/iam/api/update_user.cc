// IAM UpdateUser.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult update_user(IamEngine& engine, RequestContext& context, const Json& input) {
  auto done = engine.update_user(context.account_id(), str(input, "UserName"), opt_str(input, "NewUserName"),
                                 opt_str(input, "NewPath"));
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace iam::api
