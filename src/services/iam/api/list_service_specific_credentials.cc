// IAM ListServiceSpecificCredentials (metadata only: never the password).
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult list_service_specific_credentials(IamEngine& engine, RequestContext& context, const Json& input) {
  auto name = user_name_or_caller(context, input);
  if (!name.ok()) return common::fail(name.error());
  auto credentials = engine.list_service_credentials(context.account_id(), *name, opt_str(input, "ServiceName"));
  if (!credentials.ok()) return common::fail(to_aws_error(credentials.error()));
  Json list = Json::array();
  for (const ServiceCredential& credential : *credentials) list.push_back(service_credential_to(credential));
  return Json{{"ServiceSpecificCredentials", std::move(list)}, {"IsTruncated", false}};
}

}  // namespace iam::api
