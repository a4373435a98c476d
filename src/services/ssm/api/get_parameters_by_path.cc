#include "services/ssm/api/errors.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/api/wire.h"

namespace ssm::api {

HandlerResult get_parameters_by_path(SsmEngine& engine, RequestContext& context, const Json& input) {
  PathQuery query;
  query.path = input.at("Path").get<std::string>();
  query.recursive = input.value("Recursive", false);
  query.decrypt = input.value("WithDecryption", false);
  query.filters = filters_from(input, "ParameterFilters");
  query.max_results = input.value("MaxResults", 10);
  query.next_token = input.value("NextToken", "");
  auto page = engine.get_parameters_by_path(scope_of(context), std::move(query));
  if (!page.ok()) return common::fail(to_aws_error(page.error()));
  Json parameters = Json::array();
  for (const auto& p : page->items) parameters.push_back(parameter_json(p, context));
  Json out{{"Parameters", std::move(parameters)}};
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  return out;
}

}  // namespace ssm::api
