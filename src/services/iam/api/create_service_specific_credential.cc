// IAM CreateServiceSpecificCredential: an HTTPS git password for CodeCommit.
#include "gen/iam/errors.h"
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult create_service_specific_credential(IamEngine& engine, RequestContext& context, const Json& input) {
  std::string service = str(input, "ServiceName");
  // Keyspaces and Bedrock credentials are not modelled: only CodeCommit's are accepted.
  if (service != kCodeCommitService) {
    return common::fail(iam::errors::NotSupportedService("No such service " + service +
                                                         " is supported for Service-Specific Credentials"));
  }
  auto credential = engine.create_service_credential(context.account_id(), str(input, "UserName"), service);
  if (!credential.ok()) return common::fail(to_aws_error(credential.error()));
  return Json{{"ServiceSpecificCredential", service_credential_to(*credential)}};
}

}  // namespace iam::api
