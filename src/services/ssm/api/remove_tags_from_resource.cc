#include "services/ssm/api/errors.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/api/wire.h"

namespace ssm::api {

HandlerResult remove_tags_from_resource(SsmEngine& engine, RequestContext& context, const Json& input) {
  auto result = engine.remove_tags(scope_of(context), input.at("ResourceType").get_ref<const std::string&>(),
                                   input.at("ResourceId").get_ref<const std::string&>(), string_list(input, "TagKeys"));
  if (!result.ok()) return common::fail(to_aws_error(result.error()));
  return Json::object();
}

}  // namespace ssm::api
