// IAM ListRoleTags.
#include "services/iam/api/convert.h"
#include "services/iam/api/handlers.h"

namespace iam::api {

HandlerResult list_role_tags(IamEngine& engine, RequestContext& context, const Json& input) {
  Owner owner{OwnerKind::Role, str(input, "RoleName")};
  auto tags = engine.list_tags(context.account_id(), owner);
  if (!tags.ok()) return common::fail(to_aws_error(tags.error()));
  Json output;
  Json list = Json::array();
  for (const Tag* tag : page(*tags, input, output, [](const Tag& t) { return t.key; })) {
    list.push_back(Json{{"Key", tag->key}, {"Value", tag->value}});
  }
  output["Tags"] = std::move(list);
  return output;
}

}  // namespace iam::api
