// What files.cc and commit_builder.cc share: tree listings, path and mode conversions.
#pragma once

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

std::string mode_name(std::string_view octal);  // "100755" -> EXECUTABLE
std::string mode_octal(std::string_view name);  // EXECUTABLE -> "100755"; "" when unknown
// "/a//b/./c" -> "a/b/c" ("" = the root); nullopt for ".." or ".git" components.
std::optional<std::string> normalize_path(std::string_view path);

}  // namespace codecommit
