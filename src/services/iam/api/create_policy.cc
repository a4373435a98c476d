// IAM CreatePolicy.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult create_policy(IamEngine& engine, RequestContext& context, const Json& input) {
  NewPolicy spec;
  spec.name = str(input, "PolicyName");
  spec.path = str(input, "Path", "/");
  spec.document = str(input, "PolicyDocument");
  spec.description = opt_str(input, "Description");
  spec.tags = tags_from(input);
  if (auto valid = check_policy(spec.document, false); !valid.ok()) return common::fail(valid.error());
  auto policy = engine.create_policy(context.account_id(), spec);
  if (!policy.ok()) return common::fail(to_aws_error(policy.error()));
  return Json{{"Policy", policy_to(*policy)}};
}

}  // namespace iam::api
