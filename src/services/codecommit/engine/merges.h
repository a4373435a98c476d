// Merges: the three strategies CodeCommit offers (fast-forward, squash, three-way), computed with
// git's own merge machinery (`git merge-tree --write-tree`, `merge-base`, `commit-tree`) on the
// bare repository, conflicts and their resolution, and moving the target branch with a
// compare-and-swap update-ref. Merges never delete the source branch.
// Used by the MergeBranches*/GetMerge*/DescribeMergeConflicts operations and by pull requests.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/codecommit/engine/codecommit_engine.h"

namespace codecommit {

enum class MergeOption { FastForward, Squash, ThreeWay };

// "FAST_FORWARD_MERGE" | "SQUASH_MERGE" | "THREE_WAY_MERGE"
std::optional<MergeOption> parse_merge_option(std::string_view name);
std::string_view merge_option_name(MergeOption option);

// ConflictResolution as the API sends it.
struct ReplaceContent {
  std::string path;
  std::string replacement_type;  // KEEP_BASE | KEEP_SOURCE | KEEP_DESTINATION | USE_NEW_CONTENT
  std::optional<std::string> content;
  std::string file_mode;  // "" | NORMAL | EXECUTABLE | SYMLINK
};

struct ConflictResolution {
  std::vector<ReplaceContent> replace_contents;
  std::vector<std::string> delete_files;
  std::vector<std::pair<std::string, std::string>> set_file_modes;  // path, mode
};

struct MergeInput {
  std::string source;       // commit specifier: branch, tag or commit id
  std::string destination;  // commit specifier
  std::string conflict_detail_level;         // "" (= FILE_LEVEL) | FILE_LEVEL | LINE_LEVEL
  std::string conflict_resolution_strategy;  // "" (= NONE) | NONE | ACCEPT_SOURCE | ACCEPT_DESTINATION | AUTOMERGE
  ConflictResolution resolution;
  std::string author_name;  // "" = the caller, as CreateCommit
  std::string email;
  std::string message;  // "" = a default message
  bool keep_empty_folders = false;
};

// The commits a merge is about (resolved from the specifiers).
struct MergeCommits {
  std::string source_commit_id;
  std::string destination_commit_id;
  std::string base_commit_id;  // "" when they share no history
};

struct MergeOutcome {
  std::string commit_id;  // the merge result (the source commit itself for a fast-forward)
  std::string tree_id;
  MergeCommits commits;
};

class MergeEngine {
 public:
  explicit MergeEngine(CodeCommitEngine& repositories);

  // Merges `input.source` into `input.destination` and moves `target_branch` ("" = the
  // destination, which must then name a branch) from the destination commit to the result with
  // update-ref <new> <old> (a concurrent change fails the call instead of being lost); publishes
  // referenceUpdated with AWS's merge fields. FastForward: ManualMergeRequired when the
  // destination is not an ancestor of the source. Squash/ThreeWay: ManualMergeRequired when
  // conflicts remain after the resolution strategy and the conflictResolution entries.
  Result<MergeOutcome> merge_branches(const Repository& repo, MergeOption option, const MergeInput& input,
                                      std::string_view target_branch, std::string_view caller_arn);

  // The same merge commit without moving any reference (CreateUnreferencedMergeCommit).
  Result<MergeOutcome> create_unreferenced_merge_commit(const Repository& repo, MergeOption option,
                                                        const MergeInput& input);

  // git merge-base (nullopt when the commits share no history) and ancestry.
  Result<std::optional<std::string>> merge_base(const Repository& repo, std::string_view a, std::string_view b) const;
  Result<bool> is_ancestor(const Repository& repo, std::string_view ancestor, std::string_view descendant) const;

  // Read-only merge analysis (GetMergeOptions, GetMergeConflicts, DescribeMergeConflicts,
  // BatchDescribeMergeConflicts, GetMergeCommit) is declared below by its implementation.

 private:
  CodeCommitEngine& repositories_;
};

}  // namespace codecommit
