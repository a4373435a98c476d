#include "services/ssm/api/errors.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/api/wire.h"

namespace ssm::api {

HandlerResult delete_parameter(SsmEngine& engine, RequestContext& context, const Json& input) {
  auto result = engine.delete_parameter(scope_of(context), input.at("Name").get_ref<const std::string&>());
  if (!result.ok()) return common::fail(to_aws_error(result.error()));
  return Json::object();
}

}  // namespace ssm::api
