#include "services/ssm/api/errors.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/api/wire.h"

namespace ssm::api {

HandlerResult unlabel_parameter_version(SsmEngine& engine, RequestContext& context, const Json& input) {
  const std::string& name = input.at("Name").get_ref<const std::string&>();
  int64_t version = input.at("ParameterVersion").get<int64_t>();
  auto result = engine.unlabel_parameter_version(scope_of(context), name, version, string_list(input, "Labels"));
  if (!result.ok()) return common::fail(to_aws_error(result.error()));
  return Json{{"RemovedLabels", json_list(result->removed_labels)},
              {"InvalidLabels", json_list(result->invalid_labels)}};
}

}  // namespace ssm::api
