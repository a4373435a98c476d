// IAM GetPolicy.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult get_policy(IamEngine& engine, RequestContext& context, const Json& input) {
  auto policy = engine.get_policy(context.account_id(), str(input, "PolicyArn"));
  if (!policy.ok()) return common::fail(to_aws_error(policy.error()));
  return Json{{"Policy", policy_to(*policy)}};
}

}  // namespace iam::api
