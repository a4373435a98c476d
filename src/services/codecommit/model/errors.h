// CodeCommit engine failures; the API maps each to its exception (one exhaustive switch).
#pragma once

#include <string>

namespace codecommit {

enum class Errc {
  RepositoryNameExists,          // RepositoryNameExistsException
  RepositoryDoesNotExist,        // RepositoryDoesNotExistException
  InvalidRepositoryName,         // InvalidRepositoryNameException
  BranchDoesNotExist,            // BranchDoesNotExistException
  BranchNameExists,              // BranchNameExistsException
  InvalidBranchName,             // InvalidBranchNameException
  DefaultBranchCannotBeDeleted,  // DefaultBranchCannotBeDeletedException
  CommitDoesNotExist,            // CommitDoesNotExistException
  InvalidCommitId,               // InvalidCommitIdException
  // Files and commits (engine/files.cc)
  BlobIdDoesNotExist,                  // BlobIdDoesNotExistException
  InvalidBlobId,                       // InvalidBlobIdException
  FileDoesNotExist,                    // FileDoesNotExistException
  FolderDoesNotExist,                  // FolderDoesNotExistException
  PathDoesNotExist,                    // PathDoesNotExistException
  InvalidPath,                         // InvalidPathException
  InvalidFileMode,                     // InvalidFileModeException
  ParentCommitIdRequired,              // ParentCommitIdRequiredException
  ParentCommitIdOutdated,              // ParentCommitIdOutdatedException
  ParentCommitDoesNotExist,            // ParentCommitDoesNotExistException
  SameFileContent,                     // SameFileContentException
  NoChange,                            // NoChangeException
  FileNameConflictsWithDirectoryName,  // FileNameConflictsWithDirectoryNameException
  DirectoryNameConflictsWithFileName,  // DirectoryNameConflictsWithFileNameException
  SamePathRequest,                     // SamePathRequestException
  FileEntryRequired,                   // FileEntryRequiredException
  // Every other CodeCommit exception (merges, pull requests, comments, approval rules and
  // templates, triggers, tags): the code is the exception's name without "Exception".
  ActorDoesNotExist,
  ApprovalRuleContentRequired,
  ApprovalRuleDoesNotExist,
  ApprovalRuleNameAlreadyExists,
  ApprovalRuleNameRequired,
  ApprovalRuleTemplateContentRequired,
  ApprovalRuleTemplateDoesNotExist,
  ApprovalRuleTemplateInUse,
  ApprovalRuleTemplateNameAlreadyExists,
  ApprovalRuleTemplateNameRequired,
  ApprovalStateRequired,
  AuthorDoesNotExist,
  BeforeCommitIdAndAfterCommitIdAreSame,
  BlobIdRequired,
  BranchNameIsTagName,
  BranchNameRequired,
  CannotDeleteApprovalRuleFromTemplate,
  CannotModifyApprovalRuleFromTemplate,
  ClientRequestTokenRequired,
  CommentContentRequired,
  CommentContentSizeLimitExceeded,
  CommentDeleted,
  CommentDoesNotExist,
  CommentIdRequired,
  CommentNotCreatedByCaller,
  CommitIdDoesNotExist,
  CommitIdRequired,
  CommitIdsLimitExceeded,
  CommitIdsListRequired,
  CommitMessageLengthExceeded,
  CommitRequired,
  ConcurrentReferenceUpdate,
  EncryptionIntegrityChecksFailed,
  EncryptionKeyAccessDenied,
  EncryptionKeyDisabled,
  EncryptionKeyInvalidId,
  EncryptionKeyInvalidUsage,
  EncryptionKeyNotFound,
  EncryptionKeyRequired,
  EncryptionKeyUnavailable,
  FileContentAndSourceFileSpecified,
  FileContentRequired,
  FileContentSizeLimitExceeded,
  FileModeRequired,
  FilePathConflictsWithSubmodulePath,
  FileTooLarge,
  FolderContentSizeLimitExceeded,
  IdempotencyParameterMismatch,
  InvalidActorArn,
  InvalidApprovalRuleContent,
  InvalidApprovalRuleName,
  InvalidApprovalRuleTemplateContent,
  InvalidApprovalRuleTemplateDescription,
  InvalidApprovalRuleTemplateName,
  InvalidApprovalState,
  InvalidAuthorArn,
  InvalidClientRequestToken,
  InvalidCommentId,
  InvalidCommit,
  InvalidConflictDetailLevel,
  InvalidConflictResolution,
  InvalidConflictResolutionStrategy,
  InvalidContinuationToken,
  InvalidDeletionParameter,
  InvalidDescription,
  InvalidDestinationCommitSpecifier,
  InvalidEmail,
  InvalidFileLocation,
  InvalidFilePosition,
  InvalidMaxConflictFiles,
  InvalidMaxMergeHunks,
  InvalidMaxResults,
  InvalidMergeOption,
  InvalidOrder,
  InvalidOverrideStatus,
  InvalidParentCommitId,
  InvalidPullRequestEventType,
  InvalidPullRequestId,
  InvalidPullRequestStatus,
  InvalidPullRequestStatusUpdate,
  InvalidReactionUserArn,
  InvalidReactionValue,
  InvalidReferenceName,
  InvalidRelativeFileVersionEnum,
  InvalidReplacementContent,
  InvalidReplacementType,
  InvalidRepositoryDescription,
  InvalidRepositoryTriggerBranchName,
  InvalidRepositoryTriggerCustomData,
  InvalidRepositoryTriggerDestinationArn,
  InvalidRepositoryTriggerEvents,
  InvalidRepositoryTriggerName,
  InvalidRepositoryTriggerRegion,
  InvalidResourceArn,
  InvalidRevisionId,
  InvalidRuleContentSha256,
  InvalidSortBy,
  InvalidSourceCommitSpecifier,
  InvalidSystemTagUsage,
  InvalidTagKeysList,
  InvalidTagsMap,
  InvalidTargetBranch,
  InvalidTarget,
  InvalidTargets,
  InvalidTitle,
  ManualMergeRequired,
  MaximumBranchesExceeded,
  MaximumConflictResolutionEntriesExceeded,
  MaximumFileContentToLoadExceeded,
  MaximumFileEntriesExceeded,
  MaximumItemsToCompareExceeded,
  MaximumNumberOfApprovalsExceeded,
  MaximumOpenPullRequestsExceeded,
  MaximumRepositoryNamesExceeded,
  MaximumRepositoryTriggersExceeded,
  MaximumRuleTemplatesAssociatedWithRepository,
  MergeOptionRequired,
  MultipleConflictResolutionEntries,
  MultipleRepositoriesInPullRequest,
  NameLengthExceeded,
  NumberOfRuleTemplatesExceeded,
  NumberOfRulesExceeded,
  OperationNotAllowed,
  OverrideAlreadySet,
  OverrideStatusRequired,
  PathRequired,
  PullRequestAlreadyClosed,
  PullRequestApprovalRulesNotSatisfied,
  PullRequestCannotBeApprovedByAuthor,
  PullRequestDoesNotExist,
  PullRequestIdRequired,
  PullRequestStatusRequired,
  PutFileEntryConflict,
  ReactionLimitExceeded,
  ReactionValueRequired,
  ReferenceDoesNotExist,
  ReferenceNameRequired,
  ReferenceTypeNotSupported,
  ReplacementContentRequired,
  ReplacementTypeRequired,
  RepositoryLimitExceeded,
  RepositoryNameRequired,
  RepositoryNamesRequired,
  RepositoryNotAssociatedWithPullRequest,
  RepositoryTriggerBranchNameListRequired,
  RepositoryTriggerDestinationArnRequired,
  RepositoryTriggerEventsListRequired,
  RepositoryTriggerNameRequired,
  RepositoryTriggersListRequired,
  ResourceArnRequired,
  RestrictedSourceFile,
  RevisionIdRequired,
  RevisionNotCurrent,
  SourceAndDestinationAreSame,
  SourceFileOrContentRequired,
  TagKeysListRequired,
  TagPolicy,
  TagsMapRequired,
  TargetRequired,
  TargetsRequired,
  TipOfSourceReferenceIsDifferent,
  TipsDivergenceExceeded,
  TitleRequired,
  TooManyTags,
  Internal,  // 500
};

struct Error {
  Errc code = Errc::Internal;
  std::string message;
};

inline Error error(Errc code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace codecommit
