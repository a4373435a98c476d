// Merges: the three strategies CodeCommit offers (fast-forward, squash, three-way), computed with
// git's own merge machinery (`git merge-tree --write-tree`, `merge-base`, `commit-tree`) on the
// bare repository, conflicts and their resolution, and moving the target branch with a
// compare-and-swap update-ref. Merges never delete the source branch.
// Used by the MergeBranches*/GetMerge*/DescribeMergeConflicts operations and by pull requests.
#pragma once

#include <cstdint>
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
  std::string source;                        // commit specifier: branch, tag or commit id
  std::string destination;                   // commit specifier
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

// Read-only merge analysis (GetMergeConflicts, DescribeMergeConflicts, GetMergeOptions,
// GetMergeCommit). One version of a path in a merge: the source's, the destination's or the
// merge base's (ConflictMetadata's fileSizes/fileModes/objectTypes/isBinaryFile members).
struct MergeSide {
  bool exists = false;
  std::string object_type;  // FILE | DIRECTORY | GIT_LINK | SYMBOLIC_LINK
  std::string mode;         // NORMAL | EXECUTABLE | SYMLINK; "" for folders and submodules
  int64_t size = -1;        // blobs only
  bool binary = false;
};

// A path the merge cannot combine by itself (ConflictMetadata).
struct MergeConflict {
  std::string path;
  MergeSide source, destination, base;
  int number_of_conflicts = 0;  // conflicting hunks (at least 1 for a content conflict) + mode + type
  bool content_conflict = false;
  bool file_mode_conflict = false;
  bool object_type_conflict = false;
  std::string source_operation;  // A | M | D against the base; "" when that side left the path alone
  std::string destination_operation;
};

// Lines are counted from 0; end_line is one past the hunk's last line.
struct MergeHunkSide {
  int64_t start_line = 0;
  int64_t end_line = 0;
  std::string content;
};

// A region of the file one or both sides changed; a conflict when both changed it differently.
struct MergeHunk {
  bool is_conflict = false;
  MergeHunkSide source, destination;
  std::optional<MergeHunkSide> base;  // absent when the base has no lines there
};

struct ConflictDescription {
  MergeConflict conflict;
  std::vector<MergeHunk> hunks;
};

struct MergeConflictList {
  MergeCommits commits;
  bool mergeable = false;
  std::vector<MergeConflict> conflicts;  // those the resolution strategy leaves; empty for fast-forward
};

struct MergeOptionList {
  MergeCommits commits;
  std::vector<MergeOption> options;  // those merge_branches would carry out
};

struct ConflictDescriptions {
  MergeCommits commits;
  std::vector<ConflictDescription> described;
  std::vector<std::pair<std::string, Error>> errors;  // per requested path (FileDoesNotExist)
};

struct MergedCommit {
  MergeCommits commits;
  std::optional<std::string> merged_commit_id;  // when the source is already merged
};

// The author of an API merge without authorName: the last part of the caller's ARN ("dev" for
// ".../user/dev", "root" for an account's root).
std::string default_merge_author(std::string_view caller_arn);

class MergeEngine {
 public:
  explicit MergeEngine(CodeCommitEngine& repositories);

  // Merges `input.source` into `input.destination` and moves `target_branch` ("" = the
  // destination, which must then name a branch) from the destination commit to the result with
  // update-ref <new> <old> (a concurrent change fails the call instead of being lost); publishes
  // referenceUpdated with AWS's merge fields. FastForward: ManualMergeRequired when the
  // destination is not an ancestor of the source. Squash/ThreeWay: ManualMergeRequired when
  // conflicts remain after the resolution strategy and the conflictResolution entries. A source
  // already merged into the destination: the outcome is the destination and nothing moves.
  // ConcurrentReferenceUpdate when the target branch is not (or no longer) at the destination.
  Result<MergeOutcome> merge_branches(const Repository& repo, MergeOption option, const MergeInput& input,
                                      std::string_view target_branch, std::string_view caller_arn);

  // The same merge commit without moving any reference (CreateUnreferencedMergeCommit).
  Result<MergeOutcome> create_unreferenced_merge_commit(const Repository& repo, MergeOption option,
                                                        const MergeInput& input);

  // git merge-base (nullopt when the commits share no history) and ancestry.
  Result<std::optional<std::string>> merge_base(const Repository& repo, std::string_view a, std::string_view b) const;
  Result<bool> is_ancestor(const Repository& repo, std::string_view ancestor, std::string_view descendant) const;

  // Read-only merge analysis (GetMergeOptions, GetMergeConflicts, DescribeMergeConflicts,
  // BatchDescribeMergeConflicts, GetMergeCommit). `input`'s source, destination, detail level and
  // strategy apply; nothing is written but blobs git needs to compare.
  //
  // Whether `option` would merge, and the conflicts the resolution strategy leaves.
  Result<MergeConflictList> get_merge_conflicts(const Repository& repo, MergeOption option,
                                                const MergeInput& input) const;
  Result<MergeOptionList> get_merge_options(const Repository& repo, const MergeInput& input) const;
  // The conflict metadata and hunks of `paths` (empty: of every conflicting file); a path none of
  // the three commits has is an error entry (FileDoesNotExist). InvalidMergeOption for FastForward.
  Result<ConflictDescriptions> describe_merge_conflicts(const Repository& repo, MergeOption option,
                                                        const MergeInput& input,
                                                        const std::vector<std::string>& paths) const;
  // The commit of the destination's history that merged the source (the source itself after a
  // fast-forward); none when the source is not merged.
  Result<MergedCommit> get_merge_commit(const Repository& repo, const MergeInput& input) const;

 private:
  CodeCommitEngine& repositories_;
};

}  // namespace codecommit
