// PutRetentionPolicy / DeleteRetentionPolicy.
#include <fmt/format.h>

#include "services/logs/api/handlers.h"
#include "services/logs/model/names.h"

namespace logs::api {

HandlerResult put_retention_policy(Api& api, RequestContext& context, const Json& input) {
  int days = input.at("retentionInDays").get<int>();
  if (!valid_retention_days(days)) {
    // The model has no enum for Days; AWS checks it as one and words it so.
    return common::fail(invalid_parameter(
        fmt::format("1 validation error detected: Value '{}' at 'retentionInDays' failed to satisfy constraint: "
                    "Member must satisfy enum value set: {}",
                    days, retention_days_text())));
  }
  auto done = api.engine.set_retention(group_ref(context, str(input, "logGroupName")), days);
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

HandlerResult delete_retention_policy(Api& api, RequestContext& context, const Json& input) {
  auto done = api.engine.set_retention(group_ref(context, str(input, "logGroupName")), std::nullopt);
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

}  // namespace logs::api
