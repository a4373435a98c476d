#include "services/ssm/api/errors.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/api/wire.h"

namespace ssm::api {

// The hot path (benchmarked): one indexed SELECT on a cached statement in the engine.
HandlerResult get_parameter(SsmEngine& engine, RequestContext& context, const Json& input) {
  const std::string& name = input.at("Name").get_ref<const std::string&>();
  bool decrypt = input.value("WithDecryption", false);
  auto parameter = engine.get_parameter(scope_of(context), name, decrypt);
  if (!parameter.ok()) return common::fail(to_aws_error(parameter.error()));
  return Json{{"Parameter", parameter_json(*parameter, context)}};
}

}  // namespace ssm::api
