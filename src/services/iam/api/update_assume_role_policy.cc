// IAM UpdateAssumeRolePolicy.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult update_assume_role_policy(IamEngine& engine, RequestContext& context, const Json& input) {
  std::string document = str(input, "PolicyDocument");
  if (auto valid = check_policy(document, true); !valid.ok()) return common::fail(valid.error());
  auto done = engine.update_trust_policy(context.account_id(), str(input, "RoleName"), document);
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace iam::api
