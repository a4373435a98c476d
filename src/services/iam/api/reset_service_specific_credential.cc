// IAM ResetServiceSpecificCredential: a new password; the old one stops working.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult reset_service_specific_credential(IamEngine& engine, RequestContext& context, const Json& input) {
  auto name = user_name_or_caller(context, input);
  if (!name.ok()) return common::fail(name.error());
  auto credential =
      engine.reset_service_credential(context.account_id(), *name, str(input, "ServiceSpecificCredentialId"));
  if (!credential.ok()) return common::fail(to_aws_error(credential.error()));
  return Json{{"ServiceSpecificCredential", service_credential_to(*credential)}};
}

}  // namespace iam::api
