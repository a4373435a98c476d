// IAM UpdateServiceSpecificCredential (Status Active | Inactive).
#include "gen/iam/errors.h"
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult update_service_specific_credential(IamEngine& engine, RequestContext& context, const Json& input) {
  auto name = user_name_or_caller(context, input);
  if (!name.ok()) return common::fail(name.error());
  std::string status = str(input, "Status");
  if (status == "Expired") return common::fail(iam::errors::InvalidInput("Status must be Active or Inactive."));
  auto done = engine.update_service_credential(context.account_id(), *name, str(input, "ServiceSpecificCredentialId"),
                                               status == "Active");
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace iam::api
