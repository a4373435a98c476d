#include "services/ssm/api/errors.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/api/wire.h"

namespace ssm::api {

// Names that do not resolve (missing, unknown version or label) are reported in
// InvalidParameters, never raised.
HandlerResult get_parameters(SsmEngine& engine, RequestContext& context, const Json& input) {
  bool decrypt = input.value("WithDecryption", false);
  auto result = engine.get_parameters(scope_of(context), string_list(input, "Names"), decrypt);
  if (!result.ok()) return common::fail(to_aws_error(result.error()));
  Json parameters = Json::array();
  for (const auto& p : result->parameters) parameters.push_back(parameter_json(p, context));
  return Json{{"Parameters", std::move(parameters)}, {"InvalidParameters", json_list(result->invalid)}};
}

}  // namespace ssm::api
