// What the CodeCommitEngine's .cc files share: SQL helpers with store errors as
// codecommit::Error, repository rows, git invocations on a repository, and the
// "CodeCommit Repository State Change" event. Repositories are in repositories.cc, branches and
// reference changes in references.cc, commits in commits.cc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/process.h"
#include "services/codecommit/engine/codecommit_engine.h"
#include "store/sql.h"

namespace codecommit {

inline Error internal_error(const common::Error& e) { return error(Errc::Internal, e.message); }
using Sql = store::Sql<&internal_error>;

std::string repository_arn(std::string_view region, std::string_view account, std::string_view name);

// The repository row named by `ref` (nullopt when absent), read on the calling thread's
// connection (inside the caller's transaction when it has one). `data_dir` fills git_dir.
Result<std::optional<Repository>> read_repository(store::Db& db, const std::string& data_dir, const RepoRef& ref);
Result<std::optional<Repository>> read_repository_by_id(store::Db& db, const std::string& data_dir,
                                                        std::string_view id);
Error repository_not_found(std::string_view name);

// `git <args>` on the repository; exit code 0 required (else Internal with git's stderr) unless
// `allow_failure`, in which case the caller reads exit_code.
Result<git::RunResult> git_in(const Repository& repo, const std::vector<std::string>& args, bool allow_failure = false,
                              std::string input = "");

// Points HEAD at refs/heads/<branch> (what clones check out).
Status set_head(const Repository& repo, std::string_view branch);

// Appends one reference-change event for `change` inside the caller's write transaction.
Status append_ref_event(events::Bus& bus, const Repository& repo, const RefChange& change, std::string_view caller_arn);

// Inside the caller's write transaction: the default branch for a repository that has none
// (the first branch created; "main" when among them), then one event per change.
Status record_in_tx(store::Db& db, const std::string& data_dir, events::Bus& bus, const Repository& repo,
                    const std::vector<RefChange>& changes, std::string_view caller_arn);

// A full or abbreviated hexadecimal object id (4-40 characters).
bool looks_like_object_id(std::string_view id);

// What an API merge adds to its referenceUpdated event (AWS's merge fields).
struct MergeEventFields {
  std::string base_commit_id;
  std::string source_commit_id;
  std::string destination_commit_id;
  std::string merge_option;                  // FAST_FORWARD_MERGE | SQUASH_MERGE | THREE_WAY_MERGE
  std::string conflict_detail_level;         // FILE_LEVEL | LINE_LEVEL
  std::string conflict_resolution_strategy;  // NONE | ACCEPT_SOURCE | ACCEPT_DESTINATION | AUTOMERGE
};

// Inside the caller's write transaction: the referenceUpdated event of a merge that moved the
// branch `change.ref`, with the merge's fields (the repository row as committed now names it);
// the caller notifies the bus after the commit.
Status append_merge_event(store::Db& db, const std::string& data_dir, events::Bus& bus, const Repository& repo,
                          const RefChange& change, std::string_view caller_arn, const MergeEventFields& merge);

}  // namespace codecommit
