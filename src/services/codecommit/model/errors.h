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
  Internal,                            // 500
};

struct Error {
  Errc code = Errc::Internal;
  std::string message;
};

inline Error error(Errc code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace codecommit
