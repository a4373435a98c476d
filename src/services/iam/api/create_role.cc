// IAM CreateRole.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult create_role(IamEngine& engine, RequestContext& context, const Json& input) {
  NewRole role;
  role.name = str(input, "RoleName");
  role.path = str(input, "Path", "/");
  role.trust_policy = str(input, "AssumeRolePolicyDocument");
  role.description = opt_str(input, "Description");
  if (input.contains("MaxSessionDuration")) role.max_session_duration = input["MaxSessionDuration"].get<int>();
  role.tags = tags_from(input);
  if (auto valid = check_policy(role.trust_policy, true); !valid.ok()) return common::fail(valid.error());
  auto created = engine.create_role(context.account_id(), role);
  if (!created.ok()) return common::fail(to_aws_error(created.error()));
  return Json{{"Role", role_to(*created, true)}};
}

}  // namespace iam::api
