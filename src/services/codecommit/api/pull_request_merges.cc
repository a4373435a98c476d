// MergePullRequestByFastForward, MergePullRequestBySquash, MergePullRequestByThreeWay: the
// request's commit and conflict options as a PullRequestMerge for the engine.
#include "common/crypto.h"
#include "gen/codecommit/errors.h"
#include "services/codecommit/api/pull_request_api.h"

namespace codecommit::api {
namespace {

const Json& array_member(const Json& input, const char* member) {
  static const Json kEmpty = Json::array();
  auto it = input.find(member);
  return it != input.end() && it->is_array() ? *it : kEmpty;
}

// conflictResolution {replaceContents, deleteFiles, setFileModes}; content is base64 (a blob).
common::Result<ConflictResolution, aws::AwsError> conflict_resolution(const Json& input) {
  ConflictResolution out;
  auto it = input.find("conflictResolution");
  if (it == input.end() || !it->is_object()) return out;
  for (const auto& item : array_member(*it, "replaceContents")) {
    ReplaceContent entry{str(item, "filePath"), str(item, "replacementType"), std::nullopt, str(item, "fileMode")};
    if (item.find("content") != item.end()) {
      std::string content;
      if (!common::base64_decode(str(item, "content"), content)) {
        return common::fail(errors::InvalidReplacementContentException("The replacement content is not valid."));
      }
      entry.content = std::move(content);
    }
    out.replace_contents.push_back(std::move(entry));
  }
  for (const auto& item : array_member(*it, "deleteFiles")) out.delete_files.push_back(str(item, "filePath"));
  for (const auto& item : array_member(*it, "setFileModes")) {
    out.set_file_modes.emplace_back(str(item, "filePath"), str(item, "fileMode"));
  }
  return out;
}

HandlerResult merge_pull_request(Api& api, RequestContext& context, const Json& input, MergeOption option) {
  auto key = required_pull_request(context, input);
  if (!key.ok()) return common::fail(key.error());
  if (str(input, "repositoryName").empty()) {
    return common::fail(
        errors::RepositoryNameRequiredException("A repository name is required but was not specified."));
  }
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto resolution = conflict_resolution(input);
  if (!resolution.ok()) return common::fail(resolution.error());
  PullRequestMerge merge;
  merge.repository_name = repository->name;
  merge.source_commit_id = str(input, "sourceCommitId");
  merge.option = option;
  merge.input.conflict_detail_level = str(input, "conflictDetailLevel");
  merge.input.conflict_resolution_strategy = str(input, "conflictResolutionStrategy");
  merge.input.resolution = std::move(*resolution);
  merge.input.author_name = str(input, "authorName");
  merge.input.email = str(input, "email");
  merge.input.message = str(input, "commitMessage");
  merge.input.keep_empty_folders = input.value("keepEmptyFolders", false);
  auto pr = api.engines.pull_requests.merge(*key, std::move(merge), context.principal.arn);
  if (!pr.ok()) return common::fail(to_aws_error(pr.error(), repository->name));
  return Json{{"pullRequest", pull_request_json(*pr)}};
}

}  // namespace

HandlerResult merge_pull_request_by_fast_forward(Api& api, RequestContext& context, const Json& input) {
  return merge_pull_request(api, context, input, MergeOption::FastForward);
}

HandlerResult merge_pull_request_by_squash(Api& api, RequestContext& context, const Json& input) {
  return merge_pull_request(api, context, input, MergeOption::Squash);
}

HandlerResult merge_pull_request_by_three_way(Api& api, RequestContext& context, const Json& input) {
  return merge_pull_request(api, context, input, MergeOption::ThreeWay);
}

}  // namespace codecommit::api
