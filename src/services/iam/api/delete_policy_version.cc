// IAM DeletePolicyVersion.
#include "gen/iam/errors.h"
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult delete_policy_version(IamEngine& engine, RequestContext& context, const Json& input) {
  std::string id = str(input, "VersionId");
  auto number = parse_version_id(id);
  if (!number) return common::fail(iam::errors::InvalidInput("Invalid version id " + id + "."));
  auto done = engine.delete_policy_version(context.account_id(), str(input, "PolicyArn"), *number);
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace iam::api
