// Tags on repositories, addressed by ARN: TagResource, UntagResource, ListTagsForResource. IAM
// authorizes each on the ARN the request names.
#include <algorithm>

#include "gen/codecommit/errors.h"
#include "services/codecommit/api/triggers_and_tags.h"

namespace codecommit::api {
namespace {

// The repository an ARN names, in the caller's account and the request's region:
// ResourceArnRequired, InvalidResourceArn (not a CodeCommit repository ARN), or
// RepositoryDoesNotExist (another account or region: no repository of the caller's there).
common::Result<RepoRef, aws::AwsError> repository_of(const RequestContext& context, const Json& input) {
  std::string arn = str(input, "resourceArn");
  if (arn.empty()) {
    return common::fail(errors::ResourceArnRequiredException(
        "A valid Amazon Resource Name (ARN) for an CodeCommit resource is required."));
  }
  std::vector<std::string> parts;
  for (size_t pos = 0;;) {
    size_t colon = arn.find(':', pos);
    parts.push_back(arn.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos));
    if (colon == std::string::npos) break;
    pos = colon + 1;
  }
  bool digits = parts.size() > 4 && parts[4].size() == 12 &&
                std::all_of(parts[4].begin(), parts[4].end(), [](char c) { return c >= '0' && c <= '9'; });
  if (parts.size() != 6 || parts[0] != "arn" || (parts[1] != "aws" && parts[1].rfind("aws-", 0) != 0) ||
      parts[2] != "codecommit" || parts[3].empty() || !digits || parts[5].empty()) {
    return common::fail(errors::InvalidResourceArnException("The value for the resource ARN is not valid: " + arn));
  }
  if (parts[3] != context.region || parts[4] != context.account_id()) {
    return common::fail(errors::RepositoryDoesNotExistException(parts[5] + " does not exist"));
  }
  return RepoRef{parts[4], parts[3], parts[5]};
}

Json tags_json(const Repository& repository) {
  Json tags = Json::object();
  for (const auto& [key, value] : repository.tags) tags[key] = value;
  return tags;
}

HandlerResult tag_resource(Api& api, RequestContext& context, const Json& input) {
  auto ref = repository_of(context, input);
  if (!ref.ok()) return common::fail(ref.error());
  std::vector<std::pair<std::string, std::string>> tags;
  if (auto map = input.find("tags"); map != input.end() && map->is_object()) {
    for (const auto& [key, value] : map->items()) {
      tags.emplace_back(key, value.is_string() ? value.get<std::string>() : std::string());
    }
  }
  auto tagged = api.engine.tag_repository(*ref, tags);
  if (!tagged.ok()) return common::fail(to_aws_error(tagged.error(), ref->name));
  return Json::object();
}

HandlerResult untag_resource(Api& api, RequestContext& context, const Json& input) {
  auto ref = repository_of(context, input);
  if (!ref.ok()) return common::fail(ref.error());
  std::vector<std::string> keys;
  if (auto list = input.find("tagKeys"); list != input.end() && list->is_array()) {
    for (const auto& key : *list) keys.push_back(key.is_string() ? key.get<std::string>() : std::string());
  }
  auto untagged = api.engine.untag_repository(*ref, keys);
  if (!untagged.ok()) return common::fail(to_aws_error(untagged.error(), ref->name));
  return Json::object();
}

// At most 50 tags: one page always, so no nextToken is ever handed out.
HandlerResult list_tags_for_resource(Api& api, RequestContext& context, const Json& input) {
  auto ref = repository_of(context, input);
  if (!ref.ok()) return common::fail(ref.error());
  auto repository = find_repository(api, *ref);
  if (!repository.ok()) return common::fail(repository.error());
  return Json{{"tags", tags_json(*repository)}};
}

dispatch::AuthzFn on_resource_arn() {
  return dispatch::resource([](const RequestContext&, const Json& input) { return str(input, "resourceArn"); });
}

}  // namespace

void register_tags(Registrar& r) {
  r.add("TagResource", on_resource_arn(), tag_resource);
  r.add("UntagResource", on_resource_arn(), untag_resource);
  r.add("ListTagsForResource", on_resource_arn(), list_tags_for_resource);
}

}  // namespace codecommit::api
