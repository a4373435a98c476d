// IAM GetPolicyVersion.
#include "gen/iam/errors.h"
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult get_policy_version(IamEngine& engine, RequestContext& context, const Json& input) {
  std::string arn = str(input, "PolicyArn");
  std::string id = str(input, "VersionId");
  auto number = parse_version_id(id);
  if (!number) return common::fail(iam::errors::InvalidInput("Invalid version id " + id + "."));
  auto version = engine.get_policy_version(context.account_id(), arn, *number);
  if (!version.ok()) return common::fail(to_aws_error(version.error()));
  return Json{{"PolicyVersion", version_to(*version, true)}};
}

}  // namespace iam::api
