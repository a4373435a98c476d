// IAM CreatePolicyVersion.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult create_policy_version(IamEngine& engine, RequestContext& context, const Json& input) {
  std::string document = str(input, "PolicyDocument");
  if (auto valid = check_policy(document, false); !valid.ok()) return common::fail(valid.error());
  auto version = engine.create_policy_version(context.account_id(), str(input, "PolicyArn"), document,
                                              input.value("SetAsDefault", false));
  if (!version.ok()) return common::fail(to_aws_error(version.error()));
  return Json{{"PolicyVersion", version_to(*version, false)}};
}

}  // namespace iam::api
