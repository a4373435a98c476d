// IAM PutUserPolicy.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult put_user_policy(IamEngine& engine, RequestContext& context, const Json& input) {
  std::string document = str(input, "PolicyDocument");
  if (auto valid = check_policy(document, false); !valid.ok()) return common::fail(valid.error());
  Owner owner{OwnerKind::User, str(input, "UserName")};
  auto done = engine.put_inline_policy(context.account_id(), owner, str(input, "PolicyName"), document);
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace iam::api
