#include "services/ssm/api/errors.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/api/wire.h"

namespace ssm::api {
namespace {

std::optional<std::string> optional_string(const Json& input, const char* member) {
  auto it = input.find(member);
  if (it == input.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

HandlerResult put_parameter(SsmEngine& engine, RequestContext& context, const Json& input) {
  PutParameterInput request;
  request.name = input.at("Name").get<std::string>();
  request.value = input.at("Value").get<std::string>();
  request.type = optional_string(input, "Type");
  request.description = optional_string(input, "Description");
  request.key_id = optional_string(input, "KeyId");
  request.allowed_pattern = optional_string(input, "AllowedPattern");
  request.tier = optional_string(input, "Tier");
  request.policies = optional_string(input, "Policies");
  request.data_type = optional_string(input, "DataType");
  if (input.contains("Tags")) request.tags = tags_from(input, "Tags");
  request.overwrite = input.value("Overwrite", false);
  request.user = context.principal.arn;

  auto result = engine.put_parameter(scope_of(context), std::move(request));
  if (!result.ok()) return common::fail(to_aws_error(result.error()));
  return Json{{"Version", result->version}, {"Tier", result->tier}};
}

}  // namespace ssm::api
