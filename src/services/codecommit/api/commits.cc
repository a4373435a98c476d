// Commits: CreateCommit, BatchGetCommits.
#include "common/crypto.h"
#include "gen/codecommit/errors.h"
#include "services/codecommit/api/api.h"

namespace codecommit::api {
namespace {

constexpr size_t kMaxCommitIds = 100;

Json person_json(const Person& p) { return Json{{"name", p.name}, {"email", p.email}, {"date", p.date}}; }

Json file_list(const std::vector<FileMetadata>& files) {
  Json out = Json::array();
  for (const auto& f : files)
    out.push_back(Json{{"absolutePath", f.path}, {"blobId", f.blob_id}, {"fileMode", f.mode}});
  return out;
}

const Json& array_member(const Json& input, const char* member) {
  static const Json kEmpty = Json::array();
  auto it = input.find(member);
  return it != input.end() && it->is_array() ? *it : kEmpty;
}

// putFiles[] into entries; AWS's exceptions for an entry with both or neither content source.
common::Result<std::vector<PutFileEntry>, aws::AwsError> put_entries(const Json& input) {
  std::vector<PutFileEntry> puts;
  for (const auto& item : array_member(input, "putFiles")) {
    PutFileEntry entry;
    entry.path = str(item, "filePath");
    entry.mode = str(item, "fileMode");
    bool has_content = item.find("fileContent") != item.end();
    auto source = item.find("sourceFile");
    if (has_content && source != item.end()) {
      return common::fail(errors::FileContentAndSourceFileSpecifiedException(
          "The commit cannot be created because both a source file and file content have been specified for the "
          "same file. You cannot provide both. Either specify a source file or provide the file content directly."));
    }
    if (!has_content && source == item.end()) {
      return common::fail(errors::SourceFileOrContentRequiredException(
          "The commit cannot be created because no source files or file content have been specified for the commit."));
    }
    if (has_content && !common::base64_decode(str(item, "fileContent"), entry.content)) {
      return common::fail(errors::FileContentRequiredException("The file content is not valid base64."));
    }
    if (source != item.end()) {
      entry.source_file = str(*source, "filePath");
      entry.is_move = source->value("isMove", false);
    }
    puts.push_back(std::move(entry));
  }
  return puts;
}

}  // namespace

HandlerResult create_commit(Api& api, RequestContext& context, const Json& input) {
  if (str(input, "branchName").empty()) {
    return common::fail(errors::BranchNameRequiredException("A branch name is required but was not specified."));
  }
  auto puts = put_entries(input);
  if (!puts.ok()) return common::fail(puts.error());
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  CommitRequest request;
  request.branch = str(input, "branchName");
  request.parent_commit_id = str(input, "parentCommitId");
  request.author_name = str(input, "authorName");
  request.email = str(input, "email");
  request.message = str(input, "commitMessage");
  request.keep_empty_folders = input.value("keepEmptyFolders", false);
  request.puts = std::move(*puts);
  for (const auto& item : array_member(input, "deleteFiles")) request.deletes.push_back(str(item, "filePath"));
  for (const auto& item : array_member(input, "setFileModes")) {
    request.set_modes.emplace_back(str(item, "filePath"), str(item, "fileMode"));
  }
  auto outcome = api.engine.create_commit(*repository, request, context.principal.arn);
  if (!outcome.ok()) return common::fail(to_aws_error(outcome.error(), repository->name));
  return Json{{"commitId", outcome->commit_id},
              {"treeId", outcome->tree_id},
              {"filesAdded", file_list(outcome->added)},
              {"filesUpdated", file_list(outcome->updated)},
              {"filesDeleted", file_list(outcome->deleted)}};
}

HandlerResult batch_get_commits(Api& api, RequestContext& context, const Json& input) {
  const Json& ids = array_member(input, "commitIds");
  if (ids.empty()) {
    return common::fail(errors::CommitIdsListRequiredException("A list of commit IDs is required."));
  }
  if (ids.size() > kMaxCommitIds) {
    return common::fail(
        errors::CommitIdsLimitExceededException("The maximum number of allowed commit IDs in a batch "
                                                "request is 100. Make sure that your batch request "
                                                "contains no more than 100 commit IDs, and then try "
                                                "again."));
  }
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  Json commits = Json::array();
  Json errors_out = Json::array();
  for (const auto& id : ids) {
    std::string commit_id = id.is_string() ? id.get<std::string>() : "";
    auto commit = api.engine.get_commit(*repository, commit_id);
    if (!commit.ok()) {
      if (commit.error().code == Errc::Internal) return common::fail(to_aws_error(commit.error(), repository->name));
      errors_out.push_back(Json{{"commitId", commit_id},
                                {"errorCode", to_aws_error(commit.error(), repository->name).code},
                                {"errorMessage", commit.error().message}});
      continue;
    }
    commits.push_back(Json{{"commitId", commit->commit_id},
                           {"treeId", commit->tree_id},
                           {"parents", commit->parents},
                           {"message", commit->message},
                           {"author", person_json(commit->author)},
                           {"committer", person_json(commit->committer)},
                           {"additionalData", commit->additional_data}});
  }
  return Json{{"commits", commits}, {"errors", errors_out}};
}

}  // namespace codecommit::api
