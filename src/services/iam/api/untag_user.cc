// IAM UntagUser.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult untag_user(IamEngine& engine, RequestContext& context, const Json& input) {
  Owner owner{OwnerKind::User, str(input, "UserName")};
  std::vector<std::string> keys = input.value("TagKeys", std::vector<std::string>{});
  auto done = engine.untag(context.account_id(), owner, keys);
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace iam::api
