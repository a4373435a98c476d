#include "services/ssm/api/errors.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/api/wire.h"

namespace ssm::api {

// Labels that break the naming rules come back in InvalidLabels; they are not an error.
HandlerResult label_parameter_version(SsmEngine& engine, RequestContext& context, const Json& input) {
  const std::string& name = input.at("Name").get_ref<const std::string&>();
  std::optional<int64_t> version;
  if (input.contains("ParameterVersion")) version = input.at("ParameterVersion").get<int64_t>();
  auto result = engine.label_parameter_version(scope_of(context), name, version, string_list(input, "Labels"));
  if (!result.ok()) return common::fail(to_aws_error(result.error()));
  return Json{{"InvalidLabels", json_list(result->invalid_labels)}, {"ParameterVersion", result->version}};
}

}  // namespace ssm::api
