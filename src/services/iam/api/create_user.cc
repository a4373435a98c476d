// IAM CreateUser.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult create_user(IamEngine& engine, RequestContext& context, const Json& input) {
  auto user =
      engine.create_user(context.account_id(), str(input, "UserName"), str(input, "Path", "/"), tags_from(input));
  if (!user.ok()) return common::fail(to_aws_error(user.error()));
  return Json{{"User", user_to(*user, true)}};
}

}  // namespace iam::api
