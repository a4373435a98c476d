// Files: GetBlob, GetFile, GetFolder, PutFile, DeleteFile.
#include "common/crypto.h"
#include "gen/codecommit/errors.h"
#include "services/codecommit/api/api.h"

namespace codecommit::api {

HandlerResult get_blob(Api& api, RequestContext& context, const Json& input) {
  if (str(input, "blobId").empty()) {
    return common::fail(errors::BlobIdRequiredException("A blob ID is required but was not specified."));
  }
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto blob = api.engine.get_blob(*repository, str(input, "blobId"));
  if (!blob.ok()) return common::fail(to_aws_error(blob.error(), repository->name));
  return Json{{"content", common::base64_encode(*blob)}};
}

HandlerResult get_file(Api& api, RequestContext& context, const Json& input) {
  if (str(input, "filePath").empty()) {
    return common::fail(errors::PathRequiredException("The folderPath for a location cannot be null."));
  }
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto file = api.engine.get_file(*repository, str(input, "commitSpecifier"), str(input, "filePath"));
  if (!file.ok()) return common::fail(to_aws_error(file.error(), repository->name));
  return Json{{"commitId", file->commit_id}, {"blobId", file->blob_id},
              {"filePath", file->path},      {"fileMode", file->mode},
              {"fileSize", file->size},      {"fileContent", common::base64_encode(file->content)}};
}

HandlerResult get_folder(Api& api, RequestContext& context, const Json& input) {
  if (input.find("folderPath") == input.end()) {
    return common::fail(errors::PathRequiredException("The folderPath for a location cannot be null."));
  }
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto folder = api.engine.get_folder(*repository, str(input, "commitSpecifier"), str(input, "folderPath"));
  if (!folder.ok()) return common::fail(to_aws_error(folder.error(), repository->name));
  auto list = [](const std::vector<FolderEntry>& entries, const char* id_member, bool with_mode) {
    Json out = Json::array();
    for (const auto& e : entries) {
      Json item{{id_member, e.id}, {"absolutePath", e.absolute_path}, {"relativePath", e.relative_path}};
      if (with_mode) item["fileMode"] = e.mode;
      out.push_back(std::move(item));
    }
    return out;
  };
  return Json{{"commitId", folder->commit_id},
              {"folderPath", str(input, "folderPath")},
              {"treeId", folder->tree_id},
              {"subFolders", list(folder->sub_folders, "treeId", false)},
              {"files", list(folder->files, "blobId", true)},
              {"symbolicLinks", list(folder->symbolic_links, "blobId", true)},
              {"subModules", list(folder->sub_modules, "commitId", false)}};
}

namespace {

// The members PutFile and DeleteFile share with CreateCommit.
CommitRequest single_file_request(const Json& input) {
  CommitRequest request;
  request.branch = str(input, "branchName");
  request.parent_commit_id = str(input, "parentCommitId");
  request.author_name = str(input, "name");
  request.email = str(input, "email");
  request.message = str(input, "commitMessage");
  request.single_file = true;
  return request;
}

}  // namespace

HandlerResult put_file(Api& api, RequestContext& context, const Json& input) {
  if (str(input, "branchName").empty()) {
    return common::fail(errors::BranchNameRequiredException("A branch name is required but was not specified."));
  }
  if (str(input, "filePath").empty()) {
    return common::fail(errors::PathRequiredException("The filePath for a location cannot be null."));
  }
  if (input.find("fileContent") == input.end()) {
    return common::fail(errors::FileContentRequiredException("The file content is required but was not specified."));
  }
  std::string content;
  if (!common::base64_decode(str(input, "fileContent"), content)) {
    return common::fail(errors::FileContentRequiredException("The file content is not valid base64."));
  }
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  CommitRequest request = single_file_request(input);
  request.puts.push_back(PutFileEntry{str(input, "filePath"), str(input, "fileMode"), std::move(content), {}, false});
  auto outcome = api.engine.create_commit(*repository, request, context.principal.arn);
  if (!outcome.ok()) return common::fail(to_aws_error(outcome.error(), repository->name));
  const auto& files = outcome->added.empty() ? outcome->updated : outcome->added;
  return Json{{"commitId", outcome->commit_id},
              {"blobId", files.empty() ? std::string() : files.front().blob_id},
              {"treeId", outcome->tree_id}};
}

HandlerResult delete_file(Api& api, RequestContext& context, const Json& input) {
  if (str(input, "branchName").empty()) {
    return common::fail(errors::BranchNameRequiredException("A branch name is required but was not specified."));
  }
  if (str(input, "filePath").empty()) {
    return common::fail(errors::PathRequiredException("The filePath for a location cannot be null."));
  }
  if (str(input, "parentCommitId").empty()) {
    return common::fail(errors::ParentCommitIdRequiredException("A parent commit ID is required."));
  }
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  CommitRequest request = single_file_request(input);
  request.deletes.push_back(str(input, "filePath"));
  request.keep_empty_folders = input.value("keepEmptyFolders", false);
  auto outcome = api.engine.create_commit(*repository, request, context.principal.arn);
  if (!outcome.ok()) return common::fail(to_aws_error(outcome.error(), repository->name));
  std::string blob = outcome->deleted.empty() ? std::string() : outcome->deleted.front().blob_id;
  return Json{{"commitId", outcome->commit_id},
              {"blobId", blob},
              {"treeId", outcome->tree_id},
              {"filePath", outcome->deleted.empty() ? str(input, "filePath") : outcome->deleted.front().path}};
}

}  // namespace codecommit::api
