// TagResource / UntagResource / ListTagsForResource: repository tags, by repository ARN.
#include "gen/ecr/errors.h"
#include "services/ecr/api/handlers.h"
#include "services/ecr/model/uri.h"

namespace ecr::api {
namespace {

constexpr size_t kMaxKey = 128;
constexpr size_t kMaxValue = 256;

bool reserved(const std::string& key) { return key.rfind("aws:", 0) == 0; }

aws::AwsError reserved_key(const std::string& key) {
  return errors::InvalidTagParameterException("Invalid parameter at 'tags' failed to satisfy constraint: 'Tag key '" +
                                              key + "' uses the reserved prefix aws:'");
}

// The repository an ARN names; InvalidParameterException for anything else.
common::Result<RepoRef, aws::AwsError> repository_of_arn(const Json& input) {
  auto parts = parse_repository_arn(str(input, "resourceArn"));
  if (!parts) {
    return common::fail(
        invalid_parameter("Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'"));
  }
  return RepoRef{parts->account, parts->region, parts->name};
}

}  // namespace

common::Result<Tags, aws::AwsError> parse_tags(const Json& list) {
  Tags tags;
  for (const auto& tag : list) {
    std::string key = str(tag, "Key");
    std::string value = str(tag, "Value");
    if (reserved(key)) return common::fail(reserved_key(key));
    if (key.empty() || key.size() > kMaxKey || value.size() > kMaxValue) {
      return common::fail(errors::InvalidTagParameterException(
          "An invalid parameter has been specified. Tag keys can have a maximum character length of 128 characters, "
          "and tag values can have a maximum length of 256 characters."));
    }
    tags.emplace_back(std::move(key), std::move(value));
  }
  return tags;
}

HandlerResult tag_resource(Api& api, RequestContext&, const Json& input) {
  auto ref = repository_of_arn(input);
  if (!ref.ok()) return common::fail(ref.error());
  auto repository = find_repository(api, *ref);
  if (!repository.ok()) return common::fail(repository.error());
  auto tags = parse_tags(input.at("tags"));
  if (!tags.ok()) return common::fail(tags.error());
  auto done = api.engine.tag_resource(*ref, *tags);
  if (!done.ok()) return common::fail(to_aws_error(done.error(), *ref));
  return Json::object();
}

HandlerResult untag_resource(Api& api, RequestContext&, const Json& input) {
  auto ref = repository_of_arn(input);
  if (!ref.ok()) return common::fail(ref.error());
  auto repository = find_repository(api, *ref);
  if (!repository.ok()) return common::fail(repository.error());
  std::vector<std::string> keys;
  for (const auto& key : input.at("tagKeys")) {
    keys.push_back(key.get<std::string>());
    if (reserved(keys.back())) return common::fail(reserved_key(keys.back()));
  }
  auto done = api.engine.untag_resource(*ref, keys);
  if (!done.ok()) return common::fail(to_aws_error(done.error(), *ref));
  return Json::object();
}

HandlerResult list_tags_for_resource(Api& api, RequestContext&, const Json& input) {
  auto ref = repository_of_arn(input);
  if (!ref.ok()) return common::fail(ref.error());
  auto tags = api.engine.resource_tags(*ref);
  if (!tags.ok()) return common::fail(to_aws_error(tags.error(), *ref));
  Json out = Json::array();
  for (const auto& [key, value] : *tags) out.push_back(Json{{"Key", key}, {"Value", value}});
  return Json{{"tags", std::move(out)}};
}

}  // namespace ecr::api
