// IAM GetUserPolicy.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult get_user_policy(IamEngine& engine, RequestContext& context, const Json& input) {
  Owner owner{OwnerKind::User, str(input, "UserName")};
  std::string policy_name = str(input, "PolicyName");
  auto document = engine.get_inline_policy(context.account_id(), owner, policy_name);
  if (!document.ok()) return common::fail(to_aws_error(document.error()));
  return Json{{"UserName", owner.name}, {"PolicyName", policy_name}, {"PolicyDocument", encode_document(*document)}};
}

}  // namespace iam::api
