#include "services/logs/api/register.h"

#include <memory>

#include "gen/models.h"
#include "services/logs/api/handlers.h"
#include "services/logs/model/names.h"

namespace logs {
namespace {

using api::Api;
using dispatch::AuthzFn;
using dispatch::AuthzResource;
using dispatch::AuthzTarget;
using dispatch::RequestContext;
using Json = common::Json;

AuthzResource resource(const RequestContext& context, const GroupRef& group, std::string arn) {
  AuthzResource out{std::move(arn), "", std::nullopt};
  if (group.account != context.account_id()) out.owner_account = group.account;
  return out;
}

AuthzTarget one(AuthzResource resource) {
  AuthzTarget target;
  target.resources.push_back(std::move(resource));
  return target;
}

// Most log group actions: the group's ARN with ":*", as AWS's documentation says policies must
// name it (a policy on "log-group:<name>" alone does not cover them).
AuthzFn on_group() {
  return [](const RequestContext& context, const Json& input) {
    GroupRef group = api::group_for_authz(context, input);
    return one(resource(context, group, group_arn_any(group.region, group.account, group.name)));
  };
}

// CreateLogGroup: the new group; tagging it at creation also needs logs:TagResource.
AuthzFn new_group() {
  return [](const RequestContext& context, const Json& input) {
    GroupRef group = api::group_for_authz(context, input);
    AuthzTarget target = one(resource(context, group, group_arn_any(group.region, group.account, group.name)));
    if (auto tags = input.find("tags"); tags != input.end() && !tags->empty()) {
      target.also.emplace_back("logs:TagResource",
                               resource(context, group, group_arn(group.region, group.account, group.name)));
    }
    return target;
  };
}

// Stream actions (CreateLogStream, DeleteLogStream, PutLogEvents, GetLogEvents): the stream's
// ARN, which a policy on "log-group:<name>:*" covers.
AuthzFn on_stream() {
  return [](const RequestContext& context, const Json& input) {
    GroupRef group = api::group_for_authz(context, input);
    return one(resource(context, group,
                        stream_arn(group.region, group.account, group.name, api::str(input, "logStreamName"))));
  };
}

// DescribeLogGroups: every log group of the account in the region.
AuthzFn all_groups() {
  return [](const RequestContext& context, const Json&) {
    GroupRef group = api::group_ref(context, "*");
    return one(resource(context, group, group_arn(group.region, group.account, "*")));
  };
}

// The tagging APIs: the ARN as given (the form without ":*", AWS's documentation says).
AuthzFn by_arn() {
  return [](const RequestContext& context, const Json& input) {
    std::string arn = api::str(input, "resourceArn");
    AuthzResource out{arn, "", std::nullopt};
    if (auto parts = parse_group_arn(arn); parts && parts->account != context.account_id()) {
      out.owner_account = parts->account;
    }
    return one(std::move(out));
  };
}

using Handler = dispatch::HandlerResult (*)(Api&, RequestContext&, const Json&);

dispatch::Handler bind_handler(const std::shared_ptr<Api>& api, Handler handler) {
  return [api, handler](RequestContext& context, const Json& input) { return handler(*api, context, input); };
}

}  // namespace

void register_api(dispatch::Registry& registry, LogsEngine& engine) {
  auto shared = std::make_shared<Api>(engine);  // lives as long as the handlers sharing it
  dispatch::Service& service = registry.service(gen::logs_model());
  service.set_validation_error("InvalidParameterException");
  auto add = [&](const char* name, AuthzFn authz, Handler handler) {
    service.add({name, std::string("logs:") + name, std::move(authz), bind_handler(shared, handler)});
  };
  add("CreateLogGroup", new_group(), api::create_log_group);
  add("DeleteLogGroup", on_group(), api::delete_log_group);
  add("DescribeLogGroups", all_groups(), api::describe_log_groups);
  add("PutRetentionPolicy", on_group(), api::put_retention_policy);
  add("DeleteRetentionPolicy", on_group(), api::delete_retention_policy);
  add("CreateLogStream", on_stream(), api::create_log_stream);
  add("DeleteLogStream", on_stream(), api::delete_log_stream);
  add("DescribeLogStreams", on_group(), api::describe_log_streams);
  add("PutLogEvents", on_stream(), api::put_log_events);
  add("GetLogEvents", on_stream(), api::get_log_events);
  add("FilterLogEvents", on_group(), api::filter_log_events);
  add("TagResource", by_arn(), api::tag_resource);
  add("UntagResource", by_arn(), api::untag_resource);
  add("ListTagsForResource", by_arn(), api::list_tags_for_resource);
  add("TagLogGroup", on_group(), api::tag_log_group);
  add("UntagLogGroup", on_group(), api::untag_log_group);
  add("ListTagsLogGroup", on_group(), api::list_tags_log_group);
}

}  // namespace logs
