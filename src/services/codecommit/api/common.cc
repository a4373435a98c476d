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
      {"kmsKeyId", CodeCommitEngine::encryption_key_of(repository)},
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
    case Errc::ActorDoesNotExist: return errors::ActorDoesNotExistException(error.message);
    case Errc::ApprovalRuleContentRequired: return errors::ApprovalRuleContentRequiredException(error.message);
    case Errc::ApprovalRuleDoesNotExist: return errors::ApprovalRuleDoesNotExistException(error.message);
    case Errc::ApprovalRuleNameAlreadyExists: return errors::ApprovalRuleNameAlreadyExistsException(error.message);
    case Errc::ApprovalRuleNameRequired: return errors::ApprovalRuleNameRequiredException(error.message);
    case Errc::ApprovalRuleTemplateContentRequired:
      return errors::ApprovalRuleTemplateContentRequiredException(error.message);
    case Errc::ApprovalRuleTemplateDoesNotExist:
      return errors::ApprovalRuleTemplateDoesNotExistException(error.message);
    case Errc::ApprovalRuleTemplateInUse: return errors::ApprovalRuleTemplateInUseException(error.message);
    case Errc::ApprovalRuleTemplateNameAlreadyExists:
      return errors::ApprovalRuleTemplateNameAlreadyExistsException(error.message);
    case Errc::ApprovalRuleTemplateNameRequired:
      return errors::ApprovalRuleTemplateNameRequiredException(error.message);
    case Errc::ApprovalStateRequired: return errors::ApprovalStateRequiredException(error.message);
    case Errc::AuthorDoesNotExist: return errors::AuthorDoesNotExistException(error.message);
    case Errc::BeforeCommitIdAndAfterCommitIdAreSame:
      return errors::BeforeCommitIdAndAfterCommitIdAreSameException(error.message);
    case Errc::BlobIdRequired: return errors::BlobIdRequiredException(error.message);
    case Errc::BranchNameIsTagName: return errors::BranchNameIsTagNameException(error.message);
    case Errc::BranchNameRequired: return errors::BranchNameRequiredException(error.message);
    case Errc::CannotDeleteApprovalRuleFromTemplate:
      return errors::CannotDeleteApprovalRuleFromTemplateException(error.message);
    case Errc::CannotModifyApprovalRuleFromTemplate:
      return errors::CannotModifyApprovalRuleFromTemplateException(error.message);
    case Errc::ClientRequestTokenRequired: return errors::ClientRequestTokenRequiredException(error.message);
    case Errc::CommentContentRequired: return errors::CommentContentRequiredException(error.message);
    case Errc::CommentContentSizeLimitExceeded: return errors::CommentContentSizeLimitExceededException(error.message);
    case Errc::CommentDeleted: return errors::CommentDeletedException(error.message);
    case Errc::CommentDoesNotExist: return errors::CommentDoesNotExistException(error.message);
    case Errc::CommentIdRequired: return errors::CommentIdRequiredException(error.message);
    case Errc::CommentNotCreatedByCaller: return errors::CommentNotCreatedByCallerException(error.message);
    case Errc::CommitIdDoesNotExist: return errors::CommitIdDoesNotExistException(error.message);
    case Errc::CommitIdRequired: return errors::CommitIdRequiredException(error.message);
    case Errc::CommitIdsLimitExceeded: return errors::CommitIdsLimitExceededException(error.message);
    case Errc::CommitIdsListRequired: return errors::CommitIdsListRequiredException(error.message);
    case Errc::CommitMessageLengthExceeded: return errors::CommitMessageLengthExceededException(error.message);
    case Errc::CommitRequired: return errors::CommitRequiredException(error.message);
    case Errc::ConcurrentReferenceUpdate: return errors::ConcurrentReferenceUpdateException(error.message);
    case Errc::EncryptionIntegrityChecksFailed: return errors::EncryptionIntegrityChecksFailedException(error.message);
    case Errc::EncryptionKeyAccessDenied: return errors::EncryptionKeyAccessDeniedException(error.message);
    case Errc::EncryptionKeyDisabled: return errors::EncryptionKeyDisabledException(error.message);
    case Errc::EncryptionKeyInvalidId: return errors::EncryptionKeyInvalidIdException(error.message);
    case Errc::EncryptionKeyInvalidUsage: return errors::EncryptionKeyInvalidUsageException(error.message);
    case Errc::EncryptionKeyNotFound: return errors::EncryptionKeyNotFoundException(error.message);
    case Errc::EncryptionKeyRequired: return errors::EncryptionKeyRequiredException(error.message);
    case Errc::EncryptionKeyUnavailable: return errors::EncryptionKeyUnavailableException(error.message);
    case Errc::FileContentAndSourceFileSpecified:
      return errors::FileContentAndSourceFileSpecifiedException(error.message);
    case Errc::FileContentRequired: return errors::FileContentRequiredException(error.message);
    case Errc::FileContentSizeLimitExceeded: return errors::FileContentSizeLimitExceededException(error.message);
    case Errc::FileModeRequired: return errors::FileModeRequiredException(error.message);
    case Errc::FilePathConflictsWithSubmodulePath:
      return errors::FilePathConflictsWithSubmodulePathException(error.message);
    case Errc::FileTooLarge: return errors::FileTooLargeException(error.message);
    case Errc::FolderContentSizeLimitExceeded: return errors::FolderContentSizeLimitExceededException(error.message);
    case Errc::IdempotencyParameterMismatch: return errors::IdempotencyParameterMismatchException(error.message);
    case Errc::InvalidActorArn: return errors::InvalidActorArnException(error.message);
    case Errc::InvalidApprovalRuleContent: return errors::InvalidApprovalRuleContentException(error.message);
    case Errc::InvalidApprovalRuleName: return errors::InvalidApprovalRuleNameException(error.message);
    case Errc::InvalidApprovalRuleTemplateContent:
      return errors::InvalidApprovalRuleTemplateContentException(error.message);
    case Errc::InvalidApprovalRuleTemplateDescription:
      return errors::InvalidApprovalRuleTemplateDescriptionException(error.message);
    case Errc::InvalidApprovalRuleTemplateName: return errors::InvalidApprovalRuleTemplateNameException(error.message);
    case Errc::InvalidApprovalState: return errors::InvalidApprovalStateException(error.message);
    case Errc::InvalidAuthorArn: return errors::InvalidAuthorArnException(error.message);
    case Errc::InvalidClientRequestToken: return errors::InvalidClientRequestTokenException(error.message);
    case Errc::InvalidCommentId: return errors::InvalidCommentIdException(error.message);
    case Errc::InvalidCommit: return errors::InvalidCommitException(error.message);
    case Errc::InvalidConflictDetailLevel: return errors::InvalidConflictDetailLevelException(error.message);
    case Errc::InvalidConflictResolution: return errors::InvalidConflictResolutionException(error.message);
    case Errc::InvalidConflictResolutionStrategy:
      return errors::InvalidConflictResolutionStrategyException(error.message);
    case Errc::InvalidContinuationToken: return errors::InvalidContinuationTokenException(error.message);
    case Errc::InvalidDeletionParameter: return errors::InvalidDeletionParameterException(error.message);
    case Errc::InvalidDescription: return errors::InvalidDescriptionException(error.message);
    case Errc::InvalidDestinationCommitSpecifier:
      return errors::InvalidDestinationCommitSpecifierException(error.message);
    case Errc::InvalidEmail: return errors::InvalidEmailException(error.message);
    case Errc::InvalidFileLocation: return errors::InvalidFileLocationException(error.message);
    case Errc::InvalidFilePosition: return errors::InvalidFilePositionException(error.message);
    case Errc::InvalidMaxConflictFiles: return errors::InvalidMaxConflictFilesException(error.message);
    case Errc::InvalidMaxMergeHunks: return errors::InvalidMaxMergeHunksException(error.message);
    case Errc::InvalidMaxResults: return errors::InvalidMaxResultsException(error.message);
    case Errc::InvalidMergeOption: return errors::InvalidMergeOptionException(error.message);
    case Errc::InvalidOrder: return errors::InvalidOrderException(error.message);
    case Errc::InvalidOverrideStatus: return errors::InvalidOverrideStatusException(error.message);
    case Errc::InvalidParentCommitId: return errors::InvalidParentCommitIdException(error.message);
    case Errc::InvalidPullRequestEventType: return errors::InvalidPullRequestEventTypeException(error.message);
    case Errc::InvalidPullRequestId: return errors::InvalidPullRequestIdException(error.message);
    case Errc::InvalidPullRequestStatus: return errors::InvalidPullRequestStatusException(error.message);
    case Errc::InvalidPullRequestStatusUpdate: return errors::InvalidPullRequestStatusUpdateException(error.message);
    case Errc::InvalidReactionUserArn: return errors::InvalidReactionUserArnException(error.message);
    case Errc::InvalidReactionValue: return errors::InvalidReactionValueException(error.message);
    case Errc::InvalidReferenceName: return errors::InvalidReferenceNameException(error.message);
    case Errc::InvalidRelativeFileVersionEnum: return errors::InvalidRelativeFileVersionEnumException(error.message);
    case Errc::InvalidReplacementContent: return errors::InvalidReplacementContentException(error.message);
    case Errc::InvalidReplacementType: return errors::InvalidReplacementTypeException(error.message);
    case Errc::InvalidRepositoryDescription: return errors::InvalidRepositoryDescriptionException(error.message);
    case Errc::InvalidRepositoryTriggerBranchName:
      return errors::InvalidRepositoryTriggerBranchNameException(error.message);
    case Errc::InvalidRepositoryTriggerCustomData:
      return errors::InvalidRepositoryTriggerCustomDataException(error.message);
    case Errc::InvalidRepositoryTriggerDestinationArn:
      return errors::InvalidRepositoryTriggerDestinationArnException(error.message);
    case Errc::InvalidRepositoryTriggerEvents: return errors::InvalidRepositoryTriggerEventsException(error.message);
    case Errc::InvalidRepositoryTriggerName: return errors::InvalidRepositoryTriggerNameException(error.message);
    case Errc::InvalidRepositoryTriggerRegion: return errors::InvalidRepositoryTriggerRegionException(error.message);
    case Errc::InvalidResourceArn: return errors::InvalidResourceArnException(error.message);
    case Errc::InvalidRevisionId: return errors::InvalidRevisionIdException(error.message);
    case Errc::InvalidRuleContentSha256: return errors::InvalidRuleContentSha256Exception(error.message);
    case Errc::InvalidSortBy: return errors::InvalidSortByException(error.message);
    case Errc::InvalidSourceCommitSpecifier: return errors::InvalidSourceCommitSpecifierException(error.message);
    case Errc::InvalidSystemTagUsage: return errors::InvalidSystemTagUsageException(error.message);
    case Errc::InvalidTagKeysList: return errors::InvalidTagKeysListException(error.message);
    case Errc::InvalidTagsMap: return errors::InvalidTagsMapException(error.message);
    case Errc::InvalidTargetBranch: return errors::InvalidTargetBranchException(error.message);
    case Errc::InvalidTarget: return errors::InvalidTargetException(error.message);
    case Errc::InvalidTargets: return errors::InvalidTargetsException(error.message);
    case Errc::InvalidTitle: return errors::InvalidTitleException(error.message);
    case Errc::ManualMergeRequired: return errors::ManualMergeRequiredException(error.message);
    case Errc::MaximumBranchesExceeded: return errors::MaximumBranchesExceededException(error.message);
    case Errc::MaximumConflictResolutionEntriesExceeded:
      return errors::MaximumConflictResolutionEntriesExceededException(error.message);
    case Errc::MaximumFileContentToLoadExceeded:
      return errors::MaximumFileContentToLoadExceededException(error.message);
    case Errc::MaximumFileEntriesExceeded: return errors::MaximumFileEntriesExceededException(error.message);
    case Errc::MaximumItemsToCompareExceeded: return errors::MaximumItemsToCompareExceededException(error.message);
    case Errc::MaximumNumberOfApprovalsExceeded:
      return errors::MaximumNumberOfApprovalsExceededException(error.message);
    case Errc::MaximumOpenPullRequestsExceeded: return errors::MaximumOpenPullRequestsExceededException(error.message);
    case Errc::MaximumRepositoryNamesExceeded: return errors::MaximumRepositoryNamesExceededException(error.message);
    case Errc::MaximumRepositoryTriggersExceeded:
      return errors::MaximumRepositoryTriggersExceededException(error.message);
    case Errc::MaximumRuleTemplatesAssociatedWithRepository:
      return errors::MaximumRuleTemplatesAssociatedWithRepositoryException(error.message);
    case Errc::MergeOptionRequired: return errors::MergeOptionRequiredException(error.message);
    case Errc::MultipleConflictResolutionEntries:
      return errors::MultipleConflictResolutionEntriesException(error.message);
    case Errc::MultipleRepositoriesInPullRequest:
      return errors::MultipleRepositoriesInPullRequestException(error.message);
    case Errc::NameLengthExceeded: return errors::NameLengthExceededException(error.message);
    case Errc::NumberOfRuleTemplatesExceeded: return errors::NumberOfRuleTemplatesExceededException(error.message);
    case Errc::NumberOfRulesExceeded: return errors::NumberOfRulesExceededException(error.message);
    case Errc::OperationNotAllowed: return errors::OperationNotAllowedException(error.message);
    case Errc::OverrideAlreadySet: return errors::OverrideAlreadySetException(error.message);
    case Errc::OverrideStatusRequired: return errors::OverrideStatusRequiredException(error.message);
    case Errc::PathRequired: return errors::PathRequiredException(error.message);
    case Errc::PullRequestAlreadyClosed: return errors::PullRequestAlreadyClosedException(error.message);
    case Errc::PullRequestApprovalRulesNotSatisfied:
      return errors::PullRequestApprovalRulesNotSatisfiedException(error.message);
    case Errc::PullRequestCannotBeApprovedByAuthor:
      return errors::PullRequestCannotBeApprovedByAuthorException(error.message);
    case Errc::PullRequestDoesNotExist: return errors::PullRequestDoesNotExistException(error.message);
    case Errc::PullRequestIdRequired: return errors::PullRequestIdRequiredException(error.message);
    case Errc::PullRequestStatusRequired: return errors::PullRequestStatusRequiredException(error.message);
    case Errc::PutFileEntryConflict: return errors::PutFileEntryConflictException(error.message);
    case Errc::ReactionLimitExceeded: return errors::ReactionLimitExceededException(error.message);
    case Errc::ReactionValueRequired: return errors::ReactionValueRequiredException(error.message);
    case Errc::ReferenceDoesNotExist: return errors::ReferenceDoesNotExistException(error.message);
    case Errc::ReferenceNameRequired: return errors::ReferenceNameRequiredException(error.message);
    case Errc::ReferenceTypeNotSupported: return errors::ReferenceTypeNotSupportedException(error.message);
    case Errc::ReplacementContentRequired: return errors::ReplacementContentRequiredException(error.message);
    case Errc::ReplacementTypeRequired: return errors::ReplacementTypeRequiredException(error.message);
    case Errc::RepositoryLimitExceeded: return errors::RepositoryLimitExceededException(error.message);
    case Errc::RepositoryNameRequired: return errors::RepositoryNameRequiredException(error.message);
    case Errc::RepositoryNamesRequired: return errors::RepositoryNamesRequiredException(error.message);
    case Errc::RepositoryNotAssociatedWithPullRequest:
      return errors::RepositoryNotAssociatedWithPullRequestException(error.message);
    case Errc::RepositoryTriggerBranchNameListRequired:
      return errors::RepositoryTriggerBranchNameListRequiredException(error.message);
    case Errc::RepositoryTriggerDestinationArnRequired:
      return errors::RepositoryTriggerDestinationArnRequiredException(error.message);
    case Errc::RepositoryTriggerEventsListRequired:
      return errors::RepositoryTriggerEventsListRequiredException(error.message);
    case Errc::RepositoryTriggerNameRequired: return errors::RepositoryTriggerNameRequiredException(error.message);
    case Errc::RepositoryTriggersListRequired: return errors::RepositoryTriggersListRequiredException(error.message);
    case Errc::ResourceArnRequired: return errors::ResourceArnRequiredException(error.message);
    case Errc::RestrictedSourceFile: return errors::RestrictedSourceFileException(error.message);
    case Errc::RevisionIdRequired: return errors::RevisionIdRequiredException(error.message);
    case Errc::RevisionNotCurrent: return errors::RevisionNotCurrentException(error.message);
    case Errc::SourceAndDestinationAreSame: return errors::SourceAndDestinationAreSameException(error.message);
    case Errc::SourceFileOrContentRequired: return errors::SourceFileOrContentRequiredException(error.message);
    case Errc::TagKeysListRequired: return errors::TagKeysListRequiredException(error.message);
    case Errc::TagPolicy: return errors::TagPolicyException(error.message);
    case Errc::TagsMapRequired: return errors::TagsMapRequiredException(error.message);
    case Errc::TargetRequired: return errors::TargetRequiredException(error.message);
    case Errc::TargetsRequired: return errors::TargetsRequiredException(error.message);
    case Errc::TipOfSourceReferenceIsDifferent: return errors::TipOfSourceReferenceIsDifferentException(error.message);
    case Errc::TipsDivergenceExceeded: return errors::TipsDivergenceExceededException(error.message);
    case Errc::TitleRequired: return errors::TitleRequiredException(error.message);
    case Errc::TooManyTags: return errors::TooManyTagsException(error.message);
    case Errc::Internal: return aws::make_aws_error("InternalFailure", 500, error.message, false);
  }
  return aws::make_aws_error("InternalFailure", 500, error.message, false);
}

}  // namespace codecommit::api
