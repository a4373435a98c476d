#include "services/ssm/api/errors.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/api/wire.h"

namespace ssm::api {

HandlerResult list_tags_for_resource(SsmEngine& engine, RequestContext& context, const Json& input) {
  auto tags = engine.list_tags(scope_of(context), input.at("ResourceType").get_ref<const std::string&>(),
                               input.at("ResourceId").get_ref<const std::string&>());
  if (!tags.ok()) return common::fail(to_aws_error(tags.error()));
  Json list = Json::array();
  for (const Tag& tag : *tags) list.push_back(Json{{"Key", tag.key}, {"Value", tag.value}});
  return Json{{"TagList", std::move(list)}};
}

}  // namespace ssm::api
