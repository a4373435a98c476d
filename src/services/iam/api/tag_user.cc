// IAM TagUser.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult tag_user(IamEngine& engine, RequestContext& context, const Json& input) {
  Owner owner{OwnerKind::User, str(input, "UserName")};
  auto done = engine.tag(context.account_id(), owner, tags_from(input));
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace iam::api
