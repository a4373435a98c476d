// Reading files, folders, blobs and differences of a repository with git (rev-parse, ls-tree,
// cat-file, diff-tree), in CodeCommit's shapes.
#include "services/codecommit/engine/files.h"

namespace codecommit {
namespace {

// The empty tree's id, the "before" of a comparison without one.
constexpr std::string_view kEmptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

std::string join_path(std::string_view folder, std::string_view name) {
  if (folder.empty()) return std::string(name);
  return std::string(folder) + "/" + std::string(name);
}

}  // namespace

std::string mode_name(std::string_view octal) {
  if (octal == "100755") return "EXECUTABLE";
  if (octal == "120000") return "SYMLINK";
  return "NORMAL";
}

std::string mode_octal(std::string_view name) {
  if (name == "EXECUTABLE") return "100755";
  if (name == "SYMLINK") return "120000";
  if (name == "NORMAL") return "100644";
  return "";
}

std::optional<std::string> normalize_path(std::string_view path) {
  std::string out;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == ".." || part == ".git") return std::nullopt;
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

std::vector<TreeEntry> parse_ls_tree(const std::string& out) {
  std::vector<TreeEntry> entries;
  size_t pos = 0;
  while (pos < out.size()) {
    size_t end = out.find('\0', pos);
    if (end == std::string::npos) end = out.size();
    std::string_view line(out.data() + pos, end - pos);
    pos = end + 1;
    size_t tab = line.find('\t');
    size_t s1 = line.find(' ');
    size_t s2 = line.find(' ', s1 + 1);
    if (tab == std::string_view::npos || s1 == std::string_view::npos || s2 == std::string_view::npos) continue;
    entries.push_back(TreeEntry{std::string(line.substr(0, s1)), std::string(line.substr(s1 + 1, s2 - s1 - 1)),
                                std::string(line.substr(s2 + 1, tab - s2 - 1)), std::string(line.substr(tab + 1))});
  }
  return entries;
}

Result<std::string> CodeCommitEngine::resolve_commit_specifier(const Repository& repo,
                                                               std::string_view specifier) const {
  std::string spec(specifier.empty() ? std::string_view(repo.default_branch) : specifier);
  auto missing = [&] { return error(Errc::CommitDoesNotExist, "Could not find commit " + std::string(specifier)); };
  if (spec.empty() || spec.front() == '-') return common::fail(missing());
  auto r = git_in(repo, {"rev-parse", "--verify", "-q", "--end-of-options", spec + "^{commit}"}, true);
  if (!r.ok()) return common::fail(r.error());
  if (r->exit_code != 0 || r->out.size() < 40) return common::fail(missing());
  return r->out.substr(0, 40);
}

Result<std::string> CodeCommitEngine::get_blob(const Repository& repo, std::string_view blob_id) const {
  if (blob_id.size() != 40 || !looks_like_object_id(blob_id)) {
    return common::fail(error(Errc::InvalidBlobId, "The specified blob is not valid."));
  }
  auto type = git_in(repo, {"cat-file", "-t", std::string(blob_id)}, true);
  if (!type.ok()) return common::fail(type.error());
  if (type->exit_code != 0 || type->out != "blob\n") {
    return common::fail(error(Errc::BlobIdDoesNotExist, "The specified blob does not exist."));
  }
  auto content = git_in(repo, {"cat-file", "blob", std::string(blob_id)});
  if (!content.ok()) return common::fail(content.error());
  return std::move(content->out);
}

Result<std::optional<TreeEntry>> lookup_path(const Repository& repo, const std::string& commit,
                                             const std::string& path) {
  auto r = git_in(repo, {"ls-tree", "-z", "--full-tree", commit, "--", path});
  if (!r.ok()) return common::fail(r.error());
  for (auto& entry : parse_ls_tree(r->out)) {
    if (entry.path == path) return std::optional<TreeEntry>(std::move(entry));
  }
  return std::optional<TreeEntry>();
}

Result<File> CodeCommitEngine::get_file(const Repository& repo, std::string_view specifier,
                                        std::string_view path) const {
  auto normalized = normalize_path(path);
  if (!normalized || normalized->empty()) {
    return common::fail(error(Errc::InvalidPath, "The specified path is not valid."));
  }
  auto commit = resolve_commit_specifier(repo, specifier);
  if (!commit.ok()) return common::fail(commit.error());
  auto entry = lookup_path(repo, *commit, *normalized);
  if (!entry.ok()) return common::fail(entry.error());
  if (!*entry || (*entry)->type != "blob") {
    return common::fail(error(Errc::FileDoesNotExist, "The specified file does not exist: " + std::string(path)));
  }
  auto content = git_in(repo, {"cat-file", "blob", (*entry)->id});
  if (!content.ok()) return common::fail(content.error());
  File file;
  file.commit_id = *commit;
  file.blob_id = (*entry)->id;
  file.path = *normalized;
  file.mode = mode_name((*entry)->mode);
  file.size = static_cast<int64_t>(content->out.size());
  file.content = std::move(content->out);
  return file;
}

Result<Folder> CodeCommitEngine::get_folder(const Repository& repo, std::string_view specifier,
                                            std::string_view path) const {
  auto normalized = normalize_path(path);
  if (!normalized) return common::fail(error(Errc::InvalidPath, "The specified path is not valid."));
  auto commit = resolve_commit_specifier(repo, specifier);
  if (!commit.ok()) return common::fail(commit.error());
  Folder folder;
  folder.commit_id = *commit;
  // `<commit>:<path>` would take a "^{tree}" suffix as part of the path: look the folder up.
  if (normalized->empty()) {
    auto tree = git_in(repo, {"rev-parse", *commit + "^{tree}"});
    if (!tree.ok()) return common::fail(tree.error());
    folder.tree_id = tree->out.substr(0, 40);
  } else {
    auto entry = lookup_path(repo, *commit, *normalized);
    if (!entry.ok()) return common::fail(entry.error());
    if (!*entry || (*entry)->type != "tree") {
      return common::fail(error(Errc::FolderDoesNotExist, "The specified folder does not exist: " + std::string(path)));
    }
    folder.tree_id = (*entry)->id;
  }
  auto listing = git_in(repo, {"ls-tree", "-z", folder.tree_id});
  if (!listing.ok()) return common::fail(listing.error());
  for (auto& entry : parse_ls_tree(listing->out)) {
    FolderEntry out{join_path(*normalized, entry.path), entry.path, entry.id, ""};
    if (entry.type == "tree") {
      folder.sub_folders.push_back(std::move(out));
    } else if (entry.type == "commit") {
      folder.sub_modules.push_back(std::move(out));
    } else {
      out.mode = mode_name(entry.mode);
      (entry.mode == "120000" ? folder.symbolic_links : folder.files).push_back(std::move(out));
    }
  }
  return folder;
}

namespace {

// `diff-tree -z --raw` records: ":<old mode> <new mode> <old id> <new id> <status>\0<path>\0".
std::vector<Difference> parse_raw_diff(const std::string& out) {
  std::vector<Difference> differences;
  size_t pos = 0;
  while (pos < out.size()) {
    size_t end = out.find('\0', pos);
    if (end == std::string::npos) break;
    std::string_view header(out.data() + pos, end - pos);
    size_t path_end = out.find('\0', end + 1);
    if (path_end == std::string::npos) path_end = out.size();
    std::string path = out.substr(end + 1, path_end - end - 1);
    pos = path_end + 1;
    if (header.size() < 2 || header.front() != ':') continue;
    std::vector<std::string> fields;
    size_t p = 1;
    while (p <= header.size()) {
      size_t space = header.find(' ', p);
      if (space == std::string_view::npos) space = header.size();
      fields.emplace_back(header.substr(p, space - p));
      p = space + 1;
    }
    if (fields.size() < 5) continue;
    Difference d;
    d.change_type = fields[4].substr(0, 1);
    if (d.change_type != "A") d.before = BlobSide{fields[2], path, fields[0]};
    if (d.change_type != "D") d.after = BlobSide{fields[3], path, fields[1]};
    if (d.change_type == "T") d.change_type = "M";
    differences.push_back(std::move(d));
  }
  return differences;
}

}  // namespace

Result<std::vector<Difference>> CodeCommitEngine::get_differences(const Repository& repo,
                                                                  std::string_view before_specifier,
                                                                  std::string_view after_specifier,
                                                                  std::string_view before_path,
                                                                  std::string_view after_path) const {
  if (after_specifier.empty()) {
    return common::fail(error(Errc::CommitDoesNotExist, "A commit specifier is required but was not specified."));
  }
  auto after = resolve_commit_specifier(repo, after_specifier);
  if (!after.ok()) return common::fail(after.error());
  std::string before(kEmptyTree);
  if (!before_specifier.empty()) {
    auto resolved = resolve_commit_specifier(repo, before_specifier);
    if (!resolved.ok()) return common::fail(resolved.error());
    before = *resolved;
  }
  std::vector<std::string> args{"diff-tree", "-r", "--raw", "-z", "--no-renames", before, *after, "--"};
  for (std::string_view path : {before_path, after_path}) {
    if (path.empty()) continue;
    auto normalized = normalize_path(path);
    if (!normalized) return common::fail(error(Errc::InvalidPath, "The specified path is not valid."));
    if (normalized->empty()) continue;
    // AWS answers a path that names nothing on either side with PathDoesNotExistException.
    auto found_after = lookup_path(repo, *after, *normalized);
    if (!found_after.ok()) return common::fail(found_after.error());
    bool found = found_after->has_value();
    if (!found && before != kEmptyTree) {
      auto found_before = lookup_path(repo, before, *normalized);
      if (!found_before.ok()) return common::fail(found_before.error());
      found = found_before->has_value();
    }
    if (!found) return common::fail(error(Errc::PathDoesNotExist, "The specified path does not exist: " + *normalized));
    args.push_back(*normalized);
  }
  auto r = git_in(repo, args);
  if (!r.ok()) return common::fail(r.error());
  return parse_raw_diff(r->out);
}

}  // namespace codecommit
