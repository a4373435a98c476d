// CodeCommit's storage: repositories (rows in SQLite + a bare git repository each under
// <data_dir>/repos/<repositoryId>.git), branches and commits read and written with the stock
// git binary (git/process.h), and the "CodeCommit Repository State Change" events every
// reference change publishes on the bus. No HTTP or AWS error strings here: failures are
// codecommit::Error (model/errors.h).
// Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "events/bus.h"
#include "services/codecommit/model/errors.h"
#include "store/db.h"

namespace codecommit {

template <class T>
using Result = common::Result<T, Error>;
using Status = common::Status<Error>;

struct RepoRef {
  std::string account;
  std::string region;
  std::string name;
};

struct Repository {
  std::string id;  // uuid (repositoryId)
  std::string account;
  std::string region;
  std::string name;
  std::string description;
  std::string default_branch;  // "" until the first branch exists
  std::string arn;             // arn:aws:codecommit:<region>:<account>:<name>
  common::TimePoint created{};
  common::TimePoint modified{};
  std::vector<std::pair<std::string, std::string>> tags;
  std::string git_dir;     // absolute path of the bare repository
  std::string kms_key_id;  // "" = the AWS managed key (UpdateRepositoryEncryptionKey sets one)
};

struct Branch {
  std::string name;  // "main"
  std::string commit_id;
};

struct Person {
  std::string name;
  std::string email;
  std::string date;  // "1569278400 +0000" as CodeCommit returns it
};

struct Commit {
  std::string commit_id;
  std::string tree_id;
  std::vector<std::string> parents;
  std::string message;
  Person author;
  Person committer;
  std::string additional_data;
};

// One reference a push (or an API call) changed; old/new are git::kZeroId when absent.
struct RefChange {
  std::string ref;  // "refs/heads/main", "refs/tags/v1"
  std::string old_commit;
  std::string new_commit;
};

// A ref a push commands (engine/pushes.cc): its value before the push and the commanded new id
// (git::kZeroId for absent / delete).
struct PushedRef {
  std::string ref;
  std::string before;
  std::string new_id;
};

// Files, folders and commits made through the API (engine/files.cc, engine/commit_builder.cc).
// Modes as CodeCommit names them: "NORMAL" (100644), "EXECUTABLE" (100755), "SYMLINK" (120000).
struct File {
  std::string commit_id;
  std::string blob_id;
  std::string path;  // as stored (no leading '/')
  std::string mode;  // NORMAL | EXECUTABLE | SYMLINK
  int64_t size = 0;
  std::string content;
};

struct FolderEntry {
  std::string absolute_path;
  std::string relative_path;
  std::string id;    // blob id (files, links), tree id (folders), commit id (submodules)
  std::string mode;  // files and links: NORMAL | EXECUTABLE | SYMLINK
};

struct Folder {
  std::string commit_id;
  std::string tree_id;
  std::vector<FolderEntry> sub_folders, files, symbolic_links, sub_modules;
};

// One file of a commit: put (content, or the content of source_file in the parent commit,
// moved when is_move), deleted, or given a new mode.
struct PutFileEntry {
  std::string path;
  std::string mode;  // "" = keep the existing mode (NORMAL for a new file)
  std::string content;
  std::optional<std::string> source_file;
  bool is_move = false;
};

struct CommitRequest {
  std::string branch;
  std::string parent_commit_id;  // required when the branch (or any branch) exists
  std::string author_name;       // "" = the caller
  std::string email;
  std::string message;
  bool keep_empty_folders = false;
  std::vector<PutFileEntry> puts;
  std::vector<std::string> deletes;
  std::vector<std::pair<std::string, std::string>> set_modes;  // path, mode
  bool single_file = false;  // PutFile/DeleteFile: SameFileContent instead of NoChange
};

struct FileMetadata {
  std::string path;
  std::string blob_id;
  std::string mode;
};

struct CommitOutcome {
  std::string commit_id;
  std::string tree_id;
  std::vector<FileMetadata> added, updated, deleted;
};

struct BlobSide {
  std::string blob_id;
  std::string path;
  std::string mode;  // git's octal mode ("100644")
};

struct Difference {
  std::optional<BlobSide> before, after;
  std::string change_type;  // A | M | D
};

// Triggers, tags, the encryption key and file history (engine/triggers.cc, tags.cc,
// encryption_key.cc, file_history.cc).

// A repository trigger as PutRepositoryTriggers stores it. hakobu runs none (it has no SNS or
// Lambda); it keeps them, validated as AWS does, and gives them back.
struct RepositoryTrigger {
  std::string name;
  std::string destination_arn;  // arn:aws:sns:... topic or arn:aws:lambda:...:function:...
  std::string custom_data;
  std::optional<std::vector<std::string>> branches;  // [] = every branch; nullopt = not given
  std::vector<std::string> events;                   // all | updateReference | createReference | deleteReference
};

struct TriggerConfiguration {
  std::string configuration_id;  // "" until the first PutRepositoryTriggers
  std::vector<RepositoryTrigger> triggers;
};

struct EncryptionKeyChange {
  std::string repository_id;
  std::string kms_key_id;
  std::string original_kms_key_id;
};

// One version of a file in ListFileCommitHistory's revision DAG.
struct FileVersion {
  Commit commit;
  std::string blob_id;
  std::string path;
  std::vector<std::string> revision_children;  // listed commits whose (simplified) parent this is
};

struct FileHistoryPage {
  std::vector<FileVersion> versions;
  bool more = false;  // versions follow this page
};

class CodeCommitEngine {
 public:
  CodeCommitEngine(store::Db& db, const common::Clock& clock, std::string data_dir, events::Bus& bus);
  common::Status<> migrate();
  void on_reset();  // after the database was wiped: remove the repositories on disk

  // What the engines built on this one share (engines.h: merges, pull requests, comments,
  // approval rule templates); internal.h has the helpers that take them.
  store::Db& db() const { return db_; }
  const common::Clock& clock() const { return clock_; }
  events::Bus& bus() const { return bus_; }
  const std::string& data_dir() const { return data_dir_; }

  Result<Repository> create_repository(const RepoRef& ref, std::string description,
                                       std::vector<std::pair<std::string, std::string>> tags);
  Result<Repository> get_repository(const RepoRef& ref) const;
  Result<std::vector<Repository>> list_repositories(std::string_view account, std::string_view region) const;
  Result<Repository> delete_repository(const RepoRef& ref);  // RepositoryDoesNotExist -> the API answers {}
  Result<Repository> rename_repository(const RepoRef& ref, std::string new_name);
  Result<Repository> set_description(const RepoRef& ref, std::string description);
  Result<Repository> set_default_branch(const RepoRef& ref, std::string branch);  // BranchDoesNotExist

  Result<std::vector<Branch>> list_branches(const Repository& repo) const;
  Result<Branch> get_branch(const Repository& repo, std::string_view name) const;
  // CommitDoesNotExist, BranchNameExists. Publishes referenceCreated.
  Result<Branch> create_branch(const Repository& repo, std::string_view name, std::string_view commit_id,
                               std::string_view caller_arn);
  // DefaultBranchCannotBeDeleted, BranchDoesNotExist. Publishes referenceDeleted.
  Result<Branch> delete_branch(const Repository& repo, std::string_view name, std::string_view caller_arn);
  Result<Commit> get_commit(const Repository& repo, std::string_view commit_id) const;
  // The current value of every ref under refs/heads and refs/tags (for diffing around a push).
  Result<std::vector<std::pair<std::string, std::string>>> refs(const Repository& repo) const;

  // A push's ref changes survive a crash (engine/pushes.cc). begin_push commits a pending row
  // (the repository, the caller, the branch and tag commands with their values before) before
  // git runs; nullopt when no command names a branch or tag (nothing to record). finish_push,
  // once git is done, records the commands whose ref now holds the commanded id (and held
  // something else before) and deletes the row, in one write
  // transaction: a row already settled (or reset, or whose repository was deleted) records
  // nothing, so no change is recorded twice. abandon_push deletes the row of a push git never
  // ran. reconcile_pushes settles every row a crash left, oldest first (at start-up, before
  // serving); it returns how many it settled, a row it cannot settle stays for the next start.
  // Recording a push's changes: the first branch pushed to an empty repository becomes the
  // default branch ("main" when the push creates it); one event per changed ref
  // (referenceCreated / Updated / Deleted, AWS's detail fields, callerUserArn).
  Result<std::optional<int64_t>> begin_push(const Repository& repo, const std::vector<PushedRef>& refs,
                                            std::string_view caller_arn);
  Result<std::vector<RefChange>> finish_push(int64_t push_id);
  Status abandon_push(int64_t push_id);
  Result<size_t> reconcile_pushes();

  // Files and commits. A commit specifier is a branch, tag or commit id; "" = the default
  // branch (CommitDoesNotExist when it names nothing).
  Result<std::string> resolve_commit_specifier(const Repository& repo, std::string_view specifier) const;
  Result<std::string> get_blob(const Repository& repo,
                               std::string_view blob_id) const;  // InvalidBlobId, BlobIdDoesNotExist
  Result<File> get_file(const Repository& repo, std::string_view specifier, std::string_view path) const;
  Result<Folder> get_folder(const Repository& repo, std::string_view specifier, std::string_view path) const;
  // Builds the commit in a temporary index from the parent's tree and moves the branch with
  // update-ref <new> <old> (ParentCommitIdOutdated when it moved meanwhile). Publishes the event.
  Result<CommitOutcome> create_commit(const Repository& repo, const CommitRequest& request,
                                      std::string_view caller_arn);
  // Changed blobs between two commits ("" before = the empty tree), limited to the paths.
  Result<std::vector<Difference>> get_differences(const Repository& repo, std::string_view before_specifier,
                                                  std::string_view after_specifier, std::string_view before_path,
                                                  std::string_view after_path) const;

  // Triggers (engine/triggers.cc). check_triggers applies PutRepositoryTriggers' rules (at most
  // 10 triggers; names; SNS topic or Lambda function destinations in the repository's region;
  // custom data up to 1,000 characters; a branch list of up to 10 valid names; events, "all"
  // alone) without storing anything, for TestRepositoryTriggers.
  Status check_triggers(const Repository& repo, const std::vector<RepositoryTrigger>& triggers) const;
  // Replaces the repository's triggers (an empty list removes them); returns the new
  // configuration id.
  Result<std::string> put_triggers(const RepoRef& ref, std::vector<RepositoryTrigger> triggers);
  Result<TriggerConfiguration> get_triggers(const Repository& repo) const;

  // Tags (engine/tags.cc): added or overwritten (at most 50 per repository, keys 1-128
  // characters not starting with "aws:", values up to 256), removed by key (absent keys are
  // ignored). Both return the repository with its tags.
  Result<Repository> tag_repository(const RepoRef& ref, const std::vector<std::pair<std::string, std::string>>& tags);
  Result<Repository> untag_repository(const RepoRef& ref, const std::vector<std::string>& keys);

  // The KMS key id a repository reports (engine/encryption_key.cc): alias/aws/codecommit until
  // one is set. set_encryption_key checks the id's form (key id, key ARN, alias, alias ARN in
  // the repository's region); hakobu has no KMS, so nothing is re-encrypted.
  static std::string encryption_key_of(const Repository& repo);
  static Status check_encryption_key(std::string_view kms_key_id, std::string_view region);
  Result<EncryptionKeyChange> set_encryption_key(const RepoRef& ref, std::string kms_key_id);

  // The commits that changed `path`, newest first (git rev-list with history simplification from
  // the specifier's commit; "" = the default branch), from `offset`, at most `limit`. Commits
  // that delete the file are left out: each entry is a version of it.
  Result<FileHistoryPage> file_history(const Repository& repo, std::string_view specifier, std::string_view path,
                                       size_t offset, size_t limit) const;

 private:
  store::Db& db_;
  const common::Clock& clock_;
  std::string data_dir_;
  events::Bus& bus_;
};

}  // namespace codecommit
