// IAM ListAccessKeys.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult list_access_keys(IamEngine& engine, RequestContext& context, const Json& input) {
  auto name = user_name_or_caller(context, input);
  if (!name.ok()) return common::fail(name.error());
  auto keys = engine.list_access_keys(context.account_id(), *name);
  if (!keys.ok()) return common::fail(to_aws_error(keys.error()));
  Json output;
  Json list = Json::array();
  for (const AccessKey* key : page(*keys, input, output, [](const AccessKey& k) { return k.access_key_id; })) {
    list.push_back(Json{{"UserName", key->user_name},
                        {"AccessKeyId", key->access_key_id},
                        {"Status", key->active ? "Active" : "Inactive"},
                        {"CreateDate", key->create_date}});
  }
  output["AccessKeyMetadata"] = std::move(list);
  return output;
}

}  // namespace iam::api
