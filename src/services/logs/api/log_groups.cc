// CreateLogGroup / DeleteLogGroup / DescribeLogGroups.
#include "services/logs/api/handlers.h"
#include "services/logs/model/names.h"

namespace logs::api {

HandlerResult create_log_group(Api& api, RequestContext& context, const Json& input) {
  CreateGroupInput request;
  request.ref = group_ref(context, str(input, "logGroupName"));
  if (reserved_group_name(request.ref.name)) {
    return common::fail(invalid_parameter("Log groups starting with AWS/ are reserved for AWS."));
  }
  if (std::string log_class = str(input, "logGroupClass"); !log_class.empty()) request.log_class = log_class;
  request.kms_key = str(input, "kmsKeyId");
  request.deletion_protection = input.value("deletionProtectionEnabled", false);
  if (auto tags = input.find("tags"); tags != input.end()) {
    auto parsed = parse_tags(*tags);
    if (!parsed.ok()) return common::fail(parsed.error());
    request.tags = std::move(*parsed);
  }
  auto group = api.engine.create_group(request);
  if (!group.ok()) return common::fail(to_aws_error(group.error()));
  return Json::object();
}

HandlerResult delete_log_group(Api& api, RequestContext& context, const Json& input) {
  auto done = api.engine.delete_group(group_ref(context, str(input, "logGroupName")));
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

HandlerResult describe_log_groups(Api& api, RequestContext& context, const Json& input) {
  GroupQuery query;
  query.prefix = str(input, "logGroupNamePrefix");
  query.pattern = str(input, "logGroupNamePattern");
  query.log_class = str(input, "logGroupClass");
  if (input.contains("logGroupNamePrefix") && input.contains("logGroupNamePattern")) {
    return common::fail(invalid_parameter(
        "LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive. Only one of these parameters can be "
        "passed."));
  }
  if (auto identifiers = input.find("logGroupIdentifiers"); identifiers != input.end()) {
    if (input.contains("logGroupNamePrefix") || input.contains("logGroupNamePattern")) {
      return common::fail(
          invalid_parameter("LogGroupIdentifiers cannot be combined with LogGroupNamePrefix or LogGroupNamePattern."));
    }
    for (const auto& identifier : *identifiers) {
      std::string text = identifier.get<std::string>();
      auto parts = parse_group_arn(text);
      query.names.push_back(parts ? parts->name : text);
    }
  }
  query.limit = static_cast<size_t>(input.value("limit", 50));
  if (input.contains("nextToken")) {
    auto after = parse_text_token(str(input, "nextToken"));
    if (!after) return common::fail(invalid_next_token());
    query.after = *after;
  }
  auto page = api.engine.list_groups(context.account_id(), context.region, query);
  if (!page.ok()) return common::fail(to_aws_error(page.error()));
  Json groups = Json::array();
  bool brief = !query.pattern.empty();
  for (const auto& group : page->groups) groups.push_back(group_json(group, brief));
  Json out{{"logGroups", std::move(groups)}};
  if (page->more) out["nextToken"] = text_token(page->groups.back().name);
  return out;
}

}  // namespace logs::api
