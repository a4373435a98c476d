#include "services/ssm/api/errors.h"
#include "services/ssm/api/handlers.h"
#include "services/ssm/api/wire.h"

namespace ssm::api {

HandlerResult get_parameter_history(SsmEngine& engine, RequestContext& context, const Json& input) {
  const std::string& name = input.at("Name").get_ref<const std::string&>();
  bool decrypt = input.value("WithDecryption", false);
  int max_results = input.value("MaxResults", 50);
  std::string next_token = input.value("NextToken", "");
  auto page = engine.get_parameter_history(scope_of(context), name, decrypt, max_results, next_token);
  if (!page.ok()) return common::fail(to_aws_error(page.error()));
  Json parameters = Json::array();
  for (const auto& p : page->items) parameters.push_back(history_json(p));
  Json out{{"Parameters", std::move(parameters)}};
  if (!page->next_token.empty()) out["NextToken"] = page->next_token;
  return out;
}

}  // namespace ssm::api
