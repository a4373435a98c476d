// IAM GetAccessKeyLastUsed.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

// Use is not tracked (it would cost a write per request): keys read as never used, which AWS
// reports as ServiceName/Region "N/A".
HandlerResult get_access_key_last_used(IamEngine& engine, RequestContext& context, const Json& input) {
  auto key = engine.find_access_key(context.account_id(), str(input, "AccessKeyId"));
  if (!key.ok()) return common::fail(to_aws_error(key.error()));
  return Json{{"UserName", key->user_name}, {"AccessKeyLastUsed", Json{{"ServiceName", "N/A"}, {"Region", "N/A"}}}};
}

}  // namespace iam::api
