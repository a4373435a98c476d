// IAM UpdateAccessKey.
#include "gen/iam/errors.h"
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult update_access_key(IamEngine& engine, RequestContext& context, const Json& input) {
  auto name = user_name_or_caller(context, input);
  if (!name.ok()) return common::fail(name.error());
  std::string status = str(input, "Status");
  if (status == "Expired") return common::fail(iam::errors::InvalidInput("Status must be Active or Inactive."));
  auto done = engine.update_access_key(context.account_id(), *name, str(input, "AccessKeyId"), status == "Active");
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace iam::api
