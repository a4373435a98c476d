// IAM GetRolePolicy.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult get_role_policy(IamEngine& engine, RequestContext& context, const Json& input) {
  Owner owner{OwnerKind::Role, str(input, "RoleName")};
  std::string policy_name = str(input, "PolicyName");
  auto document = engine.get_inline_policy(context.account_id(), owner, policy_name);
  if (!document.ok()) return common::fail(to_aws_error(document.error()));
  return Json{{"RoleName", owner.name}, {"PolicyName", policy_name}, {"PolicyDocument", encode_document(*document)}};
}

}  // namespace iam::api
