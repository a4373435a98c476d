#include "services/ssm/api/errors.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/api/wire.h"

namespace ssm::api {

HandlerResult add_tags_to_resource(SsmEngine& engine, RequestContext& context, const Json& input) {
  auto result = engine.add_tags(scope_of(context), input.at("ResourceType").get_ref<const std::string&>(),
                                input.at("ResourceId").get_ref<const std::string&>(), tags_from(input, "Tags"));
  if (!result.ok()) return common::fail(to_aws_error(result.error()));
  return Json::object();
}

}  // namespace ssm::api
