// What files.cc, commit_builder.cc and the merges share: tree listings, blobs, trees written
// through a temporary index, path and mode conversions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/codecommit/engine/internal.h"

namespace codecommit {

struct TreeEntry {
  std::string mode;  // octal, "100644"
  std::string type;  // blob | tree | commit
  std::string id;
  std::string path;
};

// `git ls-tree -z` output.
std::vector<TreeEntry> parse_ls_tree(const std::string& out);
// The entry at exactly `path` in the commit's tree.
Result<std::optional<TreeEntry>> lookup_path(const Repository& repo, const std::string& commit,
                                             const std::string& path);

using PathMap = std::map<std::string, TreeEntry>;  // path -> blob or submodule entry

// `git <args>` with extra environment (a temporary index, identities); stdout without trailing
// newlines, Internal on failure.
Result<std::string> run_git(const Repository& repo, const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env = {}, std::string input = "");
// Every blob and submodule of the commit's tree ("" = none: the empty map).
Result<PathMap> read_paths(const Repository& repo, const std::string& commit);
Result<std::string> read_blob(const Repository& repo, const std::string& blob_id);
Result<std::string> write_blob(const Repository& repo, std::string content);
// The tree holding exactly `paths`, written through a temporary index (GIT_INDEX_FILE).
Result<std::string> write_tree(const Repository& repo, const PathMap& paths);
// The author/committer name when a request gives none: the last part of the caller's ARN.
std::string default_author_name(std::string_view caller_arn);

std::string mode_name(std::string_view octal);  // "100755" -> EXECUTABLE
std::string mode_octal(std::string_view name);  // EXECUTABLE -> "100755"; "" when unknown
// "/a//b/./c" -> "a/b/c" ("" = the root); nullopt for ".." or ".git" components.
std::optional<std::string> normalize_path(std::string_view path);

}  // namespace codecommit
