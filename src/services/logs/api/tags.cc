// Tags of log groups: TagResource / UntagResource / ListTagsForResource (by ARN) and the older
// TagLogGroup / UntagLogGroup / ListTagsLogGroup (by name).
#include "services/logs/api/handlers.h"
#include "services/logs/model/names.h"

namespace logs::api {
namespace {

bool reserved(const std::string& key) { return key.rfind("aws:", 0) == 0; }

aws::AwsError reserved_key(const std::string& key) {
  return invalid_parameter("Tag keys cannot start with 'aws:' (reserved for AWS use): " + key);
}

// The log group an ARN names (arn:aws:logs:<region>:<account>:log-group:<name>).
common::Result<GroupRef, aws::AwsError> group_of_arn(const Json& input) {
  std::string arn = str(input, "resourceArn");
  auto parts = parse_group_arn(arn);
  if (!parts) return common::fail(invalid_parameter("Invalid resource ARN: " + arn));
  return GroupRef{parts->account, parts->region, parts->name};
}

HandlerResult apply_tags(Api& api, const GroupRef& ref, const Json& map, bool too_many_is_invalid) {
  auto tags = parse_tags(map);
  if (!tags.ok()) return common::fail(tags.error());
  auto done = api.engine.tag(ref, *tags);
  if (!done.ok()) {
    // TagLogGroup's model has no TooManyTagsException; AWS answers it as a bad parameter.
    if (too_many_is_invalid && done.error().code == Errc::TooManyTags) {
      return common::fail(invalid_parameter(done.error().message));
    }
    return common::fail(to_aws_error(done.error()));
  }
  return Json::object();
}

HandlerResult remove_tags(Api& api, const GroupRef& ref, const Json& keys) {
  std::vector<std::string> names;
  for (const auto& key : keys) names.push_back(key.get<std::string>());
  auto done = api.engine.untag(ref, names);
  if (!done.ok()) return common::fail(to_aws_error(done.error()));
  return Json::object();
}

HandlerResult list_tags(Api& api, const GroupRef& ref) {
  auto tags = api.engine.tags(ref);
  if (!tags.ok()) return common::fail(to_aws_error(tags.error()));
  return Json{{"tags", tags_json(*tags)}};
}

}  // namespace

common::Result<Tags, aws::AwsError> parse_tags(const Json& map) {
  Tags tags;
  for (const auto& [key, value] : map.items()) {
    if (reserved(key)) return common::fail(reserved_key(key));
    tags[key] = value.get<std::string>();
  }
  return tags;
}

Json tags_json(const Tags& tags) {
  Json out = Json::object();
  for (const auto& [key, value] : tags) out[key] = value;
  return out;
}

HandlerResult tag_resource(Api& api, RequestContext&, const Json& input) {
  auto ref = group_of_arn(input);
  if (!ref.ok()) return common::fail(ref.error());
  return apply_tags(api, *ref, input.at("tags"), false);
}

HandlerResult untag_resource(Api& api, RequestContext&, const Json& input) {
  auto ref = group_of_arn(input);
  if (!ref.ok()) return common::fail(ref.error());
  return remove_tags(api, *ref, input.at("tagKeys"));
}

HandlerResult list_tags_for_resource(Api& api, RequestContext&, const Json& input) {
  auto ref = group_of_arn(input);
  if (!ref.ok()) return common::fail(ref.error());
  return list_tags(api, *ref);
}

HandlerResult tag_log_group(Api& api, RequestContext& context, const Json& input) {
  return apply_tags(api, group_ref(context, str(input, "logGroupName")), input.at("tags"), true);
}

HandlerResult untag_log_group(Api& api, RequestContext& context, const Json& input) {
  return remove_tags(api, group_ref(context, str(input, "logGroupName")), input.at("tags"));
}

HandlerResult list_tags_log_group(Api& api, RequestContext& context, const Json& input) {
  return list_tags(api, group_ref(context, str(input, "logGroupName")));
}

}  // namespace logs::api
