#include "services/ssm/api/errors.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/api/wire.h"

namespace ssm::api {

// Metadata only, no values. Accepts the legacy Filters or ParameterFilters, not both.
HandlerResult describe_parameters(SsmEngine& engine, RequestContext& context, const Json& input) {
  DescribeQuery query;
  query.filters = filters_from(input, "ParameterFilters");
  query.legacy_filters = filters_from(input, "Filters");
  query.max_results = input.value("MaxResults", 10);
  query.next_token = input.value("NextToken", "");
  auto page = engine.describe_parameters(scope_of(context), std::move(query));
  if (!page.ok()) return common::fail(to_aws_error(page.error()));
  Json parameters = Json::array();
  for (const auto& p : page->items) parameters.push_back(metadata_json(p, context));
  Json out{{"Parameters", std::move(parameters)}};
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  return out;
}

}  // namespace ssm::api
