// IAM CreateAccessKey.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult create_access_key(IamEngine& engine, RequestContext& context, const Json& input) {
  auto name = user_name_or_caller(context, input);
  if (!name.ok()) {
    // Root keys come from hakobu's configuration file, not from the API.
    return common::fail(aws::make_aws_error("InvalidInput", 400,
                                            "hakobu: root access keys are configured, not created; pass UserName"));
  }
  auto key = engine.create_access_key(context.account_id(), *name);
  if (!key.ok()) return common::fail(to_aws_error(key.error()));
  return Json{{"AccessKey", Json{{"UserName", key->user_name},
                                 {"AccessKeyId", key->access_key_id},
                                 {"Status", "Active"},
                                 {"SecretAccessKey", key->secret_access_key},
                                 {"CreateDate", key->create_date}}}};
}

}  // namespace iam::api
