// IAM UpdateRole.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult update_role(IamEngine& engine, RequestContext& context, const Json& input) {
  std::optional<int> max_session;
  if (input.contains("MaxSessionDuration")) max_session = input["MaxSessionDuration"].get<int>();
  auto done =
      engine.update_role(context.account_id(), str(input, "RoleName"), opt_str(input, "Description"), max_session);
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace iam::api
