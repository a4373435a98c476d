#include <charconv>

#include "common/crypto.h"
#include "gen/codecommit/errors.h"
#include "http/request.h"
#include "services/codecommit/api/api.h"

namespace codecommit::api {

std::string str(const Json& input, const char* member) {
  auto it = input.find(member);
  if (it == input.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

RepoRef repo_ref(const RequestContext& context, const Json& input, const char* member) {
  return RepoRef{context.account_id(), context.region, str(input, member)};
}

common::Result<Repository, aws::AwsError> find_repository(Api& api, const RepoRef& ref) {
  auto repository = api.engine.get_repository(ref);
  if (!repository.ok()) return common::fail(to_aws_error(repository.error(), ref.name));
  return std::move(*repository);
}

namespace {

std::string clone_host(const Api& api, const RequestContext& context) {
  if (!api.options.clone_host.empty()) return api.options.clone_host;
  if (context.http != nullptr) {
    if (const std::string* host = context.http->header("Host")) return *host;
  }
  return "localhost";
}

}  // namespace

Json repository_metadata(const Api& api, const RequestContext& context, const Repository& repository) {
  std::string host = clone_host(api, context);
  Json out{
      {"accountId", repository.account},
      {"repositoryId", repository.id},
      {"repositoryName", repository.name},
      {"lastModifiedDate", common::to_epoch_seconds(repository.modified)},
      {"creationDate", common::to_epoch_seconds(repository.created)},
      {"cloneUrlHttp", "http://" + host + "/v1/repos/" + repository.name},
      {"cloneUrlSsh", "ssh://" + host + "/v1/repos/" + repository.name},
      {"Arn", repository.arn},
  };
  if (!repository.description.empty()) out["repositoryDescription"] = repository.description;
  if (!repository.default_branch.empty()) out["defaultBranch"] = repository.default_branch;
  return out;
}

// Tokens are base64 of "hk1:<offset>": opaque to clients, cheap to check.
std::string page_token(size_t offset) { return common::base64_encode("hk1:" + std::to_string(offset)); }

common::Result<size_t, aws::AwsError> page_offset(const Json& input) {
  std::string token = str(input, "nextToken");
  if (token.empty()) return size_t{0};
  std::string text;
  size_t offset = 0;
  bool ok = common::base64_decode(token, text) && text.size() > 4 && text.rfind("hk1:", 0) == 0;
  if (ok) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data() + 4, end, offset);
    ok = ec == std::errc() && ptr == end;
  }
  if (!ok) return common::fail(errors::InvalidContinuationTokenException("The continuation token is not valid."));
  return offset;
}

aws::AwsError to_aws_error(const Error& error, std::string_view repository_name) {
  std::string name(repository_name);
  switch (error.code) {
    case Errc::RepositoryDoesNotExist: return errors::RepositoryDoesNotExistException(name + " does not exist");
    case Errc::RepositoryNameExists:
      return errors::RepositoryNameExistsException("Repository named " + name + " already exists");
    case Errc::InvalidRepositoryName:
      return errors::InvalidRepositoryNameException(
          "The repository name is not valid. Repository names can be any valid combination of letters, numbers, "
          "periods, underscores, and dashes between 1 and 100 characters in length. Names are case sensitive. For "
          "more information, see Limits in the AWS CodeCommit User Guide. ");
    case Errc::BranchDoesNotExist: return errors::BranchDoesNotExistException(error.message);
    case Errc::BranchNameExists: return errors::BranchNameExistsException(error.message);
    case Errc::InvalidBranchName: return errors::InvalidBranchNameException(error.message);
    case Errc::DefaultBranchCannotBeDeleted: return errors::DefaultBranchCannotBeDeletedException(error.message);
    case Errc::CommitDoesNotExist: return errors::CommitDoesNotExistException(error.message);
    case Errc::InvalidCommitId: return errors::InvalidCommitIdException(error.message);
    case Errc::BlobIdDoesNotExist: return errors::BlobIdDoesNotExistException(error.message);
    case Errc::InvalidBlobId: return errors::InvalidBlobIdException(error.message);
    case Errc::FileDoesNotExist: return errors::FileDoesNotExistException(error.message);
    case Errc::FolderDoesNotExist: return errors::FolderDoesNotExistException(error.message);
    case Errc::PathDoesNotExist: return errors::PathDoesNotExistException(error.message);
    case Errc::InvalidPath: return errors::InvalidPathException(error.message);
    case Errc::InvalidFileMode: return errors::InvalidFileModeException(error.message);
    case Errc::ParentCommitIdRequired: return errors::ParentCommitIdRequiredException(error.message);
    case Errc::ParentCommitIdOutdated: return errors::ParentCommitIdOutdatedException(error.message);
    case Errc::ParentCommitDoesNotExist: return errors::ParentCommitDoesNotExistException(error.message);
    case Errc::SameFileContent: return errors::SameFileContentException(error.message);
    case Errc::NoChange: return errors::NoChangeException(error.message);
    case Errc::FileNameConflictsWithDirectoryName:
      return errors::FileNameConflictsWithDirectoryNameException(error.message);
    case Errc::DirectoryNameConflictsWithFileName:
      return errors::DirectoryNameConflictsWithFileNameException(error.message);
    case Errc::SamePathRequest: return errors::SamePathRequestException(error.message);
    case Errc::FileEntryRequired: return errors::FileEntryRequiredException(error.message);
    case Errc::Internal: return aws::make_aws_error("InternalFailure", 500, error.message, false);
  }
  return aws::make_aws_error("InternalFailure", 500, error.message, false);
}

}  // namespace codecommit::api
