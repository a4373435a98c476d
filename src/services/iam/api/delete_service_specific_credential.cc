// IAM DeleteServiceSpecificCredential.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult delete_service_specific_credential(IamEngine& engine, RequestContext& context, const Json& input) {
  auto name = user_name_or_caller(context, input);
  if (!name.ok()) return common::fail(name.error());
  auto done = engine.delete_service_credential(context.account_id(), *name, str(input, "ServiceSpecificCredentialId"));
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace iam::api
