// What merges.cc, merge_plan.cc, merge_hunks.cc and merge_git.cc share: the git plumbing a merge
// needs (flattened trees, blobs, a tree written through a temporary index, git merge-file), and
// the merge plan — every path of the source, destination and merge base, classified as merged or
// in conflict, then settled by the resolution strategy and the caller's conflictResolution.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "services/codecommit/engine/files.h"
#include "services/codecommit/engine/merges.h"

namespace codecommit::merge_detail {

// --- git plumbing (merge_git.cc; trees and blobs are in files.h) ---

// git's own test: a NUL byte in the first 8000 bytes.
bool looks_binary(std::string_view content);
// FILE | SYMBOLIC_LINK | GIT_LINK for a tree entry.
std::string object_type_of(const TreeEntry& entry);

enum class Favor { None, Destination, Source };

struct LineMerge {
  std::string content;
  int conflicts = 0;  // 0: merged cleanly
};

// git merge-file of three texts (destination = ours, source = theirs); with a favour, conflicting
// regions take that side's lines (--ours / --theirs).
Result<LineMerge> merge_lines(const std::string& destination, const std::string& base, const std::string& source,
                              Favor favor);

// --- hunks (merge_hunks.cc) ---

// The regions each side changed against the base (git diff -U0 of the blobs), aligned on the
// base's lines; regions both sides changed differently are conflicts. "" ids = an absent file.
Result<std::vector<MergeHunk>> merge_hunks(const Repository& repo, const std::string& base_blob,
                                           const std::string& source_blob, const std::string& destination_blob);

// --- the plan (merge_plan.cc) ---

// How conflicts are found: FILE_LEVEL (any path both sides changed differently) or a line merge
// (LINE_LEVEL, or AUTOMERGE at either level).
struct MergeSettings {
  bool line_level = false;
  std::string strategy = "NONE";  // NONE | ACCEPT_SOURCE | ACCEPT_DESTINATION | AUTOMERGE
};

// A path left in conflict, with what resolving it needs.
struct PendingConflict {
  MergeConflict metadata;
  const TreeEntry* base = nullptr;  // nullptr: absent on that side (entries live in the plan's maps)
  const TreeEntry* source = nullptr;
  const TreeEntry* destination = nullptr;
  bool line_mergeable = false;  // two text files of one type: a favoured line merge applies
  std::string merged_blob;      // the contents when they merged (only a mode or type conflict)
};

struct MergePlan {
  MergeCommits commits;
  MergeSettings settings;
  PathMap base, source, destination;
  PathMap merged;                          // the result so far, without the pending paths
  std::vector<PendingConflict> conflicts;  // in path order
};

// Reads the three trees and merges every path both sides did not change differently; the rest
// become conflicts (metadata with sizes, modes, types and operations). The plan's pointers
// point into itself: keep it where it was made (it is returned by value once, then not copied).
Status plan_merge(const Repository& repo, const MergeCommits& commits, const MergeSettings& settings, MergePlan& plan);
// ACCEPT_SOURCE / ACCEPT_DESTINATION settle every conflict they can; then a file and a folder
// of one name in the result become conflicts too.
Status apply_strategy(const Repository& repo, MergePlan& plan);
// The caller's conflictResolution, on paths in conflict only (InvalidConflictResolution
// otherwise; MultipleConflictResolutionEntries for a path named twice).
Status apply_resolution(const Repository& repo, MergePlan& plan, const ConflictResolution& resolution);
// With keepEmptyFolders: a folder of the destination that the merge emptied keeps a .gitkeep.
Status keep_empty_folders(const Repository& repo, MergePlan& plan);

// The version of `entry` a conflict side reports (exists, type, mode; size and binary from the blob).
Result<MergeSide> describe_side(const Repository& repo, const TreeEntry* entry);

}  // namespace codecommit::merge_detail
