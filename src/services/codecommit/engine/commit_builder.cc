// Commits made through the API (PutFile, DeleteFile, CreateCommit): the parent's tree is read
// into memory, the changes applied and checked there, the result written through a temporary
// index (GIT_INDEX_FILE, update-index --index-info, write-tree), committed with commit-tree and
// the branch moved with `update-ref <new> <old>`, which fails when a push moved it meanwhile.
#include <map>
#include <set>

#include "common/temp_dir.h"
#include "services/codecommit/engine/files.h"

namespace codecommit {
namespace {

using Tree = PathMap;

Error invalid_path(std::string_view path) {
  return error(Errc::InvalidPath, "The specified path is not valid: " + std::string(path));
}

Error no_file(std::string_view path) {
  return error(Errc::FileDoesNotExist, "The specified file does not exist: " + std::string(path));
}

// The parent commit the request builds on: the branch tip (which parent_commit_id must name),
// or for a new branch the given commit (required unless the repository has no branches).
Result<std::string> choose_parent(const CodeCommitEngine& engine, const Repository& repo, const CommitRequest& request,
                                  std::string& old_tip) {
  auto branch = engine.get_branch(repo, request.branch);
  bool exists = branch.ok();
  if (!exists && branch.error().code != Errc::BranchDoesNotExist) return common::fail(branch.error());
  if (exists) old_tip = branch->commit_id;
  if (request.parent_commit_id.empty()) {
    auto branches = engine.list_branches(repo);
    if (!branches.ok()) return common::fail(branches.error());
    if (exists || !branches->empty()) {
      return common::fail(error(Errc::ParentCommitIdRequired,
                                "A parent commit ID is required. To view the full commit ID of a branch in a "
                                "repository, use GetBranch or a Git command (for example, git show-ref)."));
    }
    return std::string();
  }
  auto parent = engine.resolve_commit_specifier(repo, request.parent_commit_id);
  if (!looks_like_object_id(request.parent_commit_id) || !parent.ok()) {
    return common::fail(
        error(Errc::ParentCommitDoesNotExist,
              "The parent commit ID is not valid because it does not exist: " + request.parent_commit_id));
  }
  if (exists && *parent != old_tip) {
    return common::fail(error(Errc::ParentCommitIdOutdated,
                              "The parent commit ID is not valid because it is not the most recent commit in the "
                              "branch: " +
                                  request.parent_commit_id));
  }
  return *parent;
}

// A file at `path` must not be a folder, nor lie under a file.
Status check_conflicts(const Tree& tree, const std::string& path) {
  auto below = tree.lower_bound(path + "/");
  if (below != tree.end() && below->first.rfind(path + "/", 0) == 0) {
    return common::fail(error(Errc::FileNameConflictsWithDirectoryName,
                              "The file name conflicts with an existing folder name: " + path));
  }
  for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    if (tree.count(path.substr(0, slash)) != 0) {
      return common::fail(error(Errc::DirectoryNameConflictsWithFileName,
                                "The folder name conflicts with an existing file name: " + path.substr(0, slash)));
    }
  }
  return common::ok();
}

struct Applier {
  const Repository& repo;
  const Tree& before;
  Tree after;
  std::set<std::string> touched;

  Result<std::string> claim(std::string_view raw) {
    auto path = normalize_path(raw);
    if (!path || path->empty()) return common::fail(invalid_path(raw));
    if (!touched.insert(*path).second) {
      return common::fail(error(Errc::SamePathRequest,
                                "The commit cannot be created because one or more changes in this commit "
                                "duplicate actions in the same file path: " +
                                    *path));
    }
    return *path;
  }

  Status put(const PutFileEntry& entry) {
    auto path = claim(entry.path);
    if (!path.ok()) return common::fail(path.error());
    std::string blob;
    std::string mode = entry.mode.empty() ? "" : mode_octal(entry.mode);
    if (!entry.mode.empty() && mode.empty()) {
      return common::fail(error(Errc::InvalidFileMode, "The specified file mode permission is not valid."));
    }
    if (entry.source_file) {
      auto source = normalize_path(*entry.source_file);
      if (!source) return common::fail(invalid_path(*entry.source_file));
      auto found = before.find(*source);
      if (found == before.end() || found->second.type != "blob") return common::fail(no_file(*source));
      blob = found->second.id;
      if (mode.empty()) mode = found->second.mode;
      if (entry.is_move) after.erase(*source);
    } else {
      auto written = write_blob(repo, entry.content);
      if (!written.ok()) return common::fail(written.error());
      blob = *written;
    }
    if (mode.empty()) {
      auto existing = after.find(*path);
      mode = existing != after.end() ? existing->second.mode : "100644";
    }
    after.erase(*path);
    if (auto r = check_conflicts(after, *path); !r.ok()) return r;
    after[*path] = TreeEntry{mode, "blob", blob, *path};
    return common::ok();
  }

  Status remove(const std::string& raw, bool keep_empty_folders) {
    auto path = claim(raw);
    if (!path.ok()) return common::fail(path.error());
    auto found = after.find(*path);
    if (found == after.end() || found->second.type != "blob") return common::fail(no_file(raw));
    after.erase(found);
    size_t slash = path->rfind('/');
    if (!keep_empty_folders || slash == std::string::npos) return common::ok();
    // The emptied folder keeps a .gitkeep, as CodeCommit does.
    std::string folder = path->substr(0, slash);
    auto below = after.lower_bound(folder + "/");
    if (below != after.end() && below->first.rfind(folder + "/", 0) == 0) return common::ok();
    auto empty = write_blob(repo, "");
    if (!empty.ok()) return common::fail(empty.error());
    after[folder + "/.gitkeep"] = TreeEntry{"100644", "blob", *empty, folder + "/.gitkeep"};
    return common::ok();
  }

  Status set_mode(const std::string& raw, const std::string& mode_name_in) {
    auto path = claim(raw);
    if (!path.ok()) return common::fail(path.error());
    std::string mode = mode_octal(mode_name_in);
    if (mode.empty()) {
      return common::fail(error(Errc::InvalidFileMode, "The specified file mode permission is not valid."));
    }
    auto found = after.find(*path);
    if (found == after.end() || found->second.type != "blob") return common::fail(no_file(raw));
    found->second.mode = mode;
    return common::ok();
  }
};

void summarize(const Tree& before, const Tree& after, CommitOutcome& outcome) {
  for (const auto& [path, entry] : after) {
    auto old = before.find(path);
    FileMetadata meta{path, entry.id, mode_name(entry.mode)};
    if (old == before.end()) {
      outcome.added.push_back(std::move(meta));
    } else if (old->second.id != entry.id || old->second.mode != entry.mode) {
      outcome.updated.push_back(std::move(meta));
    }
  }
  for (const auto& [path, entry] : before) {
    if (after.count(path) == 0) outcome.deleted.push_back(FileMetadata{path, entry.id, mode_name(entry.mode)});
  }
}

}  // namespace

Result<CommitOutcome> CodeCommitEngine::create_commit(const Repository& repo, const CommitRequest& request,
                                                      std::string_view caller_arn) {
  auto valid = git_in(repo, {"check-ref-format", "refs/heads/" + request.branch}, true);
  if (!valid.ok()) return common::fail(valid.error());
  if (request.branch.empty() || valid->exit_code != 0) {
    return common::fail(error(Errc::InvalidBranchName, "The specified reference name is not valid."));
  }
  std::string old_tip;
  auto parent = choose_parent(*this, repo, request, old_tip);
  if (!parent.ok()) return common::fail(parent.error());
  auto before = read_paths(repo, *parent);
  if (!before.ok()) return common::fail(before.error());
  Applier applier{repo, *before, *before, {}};
  for (const auto& put : request.puts) {
    if (auto r = applier.put(put); !r.ok()) return common::fail(r.error());
  }
  for (const auto& path : request.deletes) {
    if (auto r = applier.remove(path, request.keep_empty_folders); !r.ok()) return common::fail(r.error());
  }
  for (const auto& [path, mode] : request.set_modes) {
    if (auto r = applier.set_mode(path, mode); !r.ok()) return common::fail(r.error());
  }
  CommitOutcome outcome;
  summarize(*before, applier.after, outcome);
  if (outcome.added.empty() && outcome.updated.empty() && outcome.deleted.empty()) {
    if (request.single_file) {
      return common::fail(error(Errc::SameFileContent,
                                "The file could not be added because the provided file content is exactly the same "
                                "as the current file content."));
    }
    return common::fail(error(Errc::NoChange,
                              "The commit cannot be created because no changes will be made to the "
                              "repository as a result of this commit. A commit must contain at least "
                              "one change."));
  }
  auto tree = write_tree(repo, applier.after);
  if (!tree.ok()) return common::fail(tree.error());
  outcome.tree_id = *tree;
  std::string date = std::to_string(static_cast<int64_t>(common::to_epoch_seconds(clock_.now()))) + " +0000";
  std::string name = request.author_name.empty() ? default_author_name(caller_arn) : request.author_name;
  std::map<std::string, std::string> env{
      {"GIT_AUTHOR_NAME", name},    {"GIT_AUTHOR_EMAIL", request.email},    {"GIT_AUTHOR_DATE", date},
      {"GIT_COMMITTER_NAME", name}, {"GIT_COMMITTER_EMAIL", request.email}, {"GIT_COMMITTER_DATE", date}};
  std::vector<std::string> args{"commit-tree", *tree};
  if (!parent->empty()) args.insert(args.end(), {"-p", *parent});
  auto commit = run_git(repo, args, env, request.message);
  if (!commit.ok()) return common::fail(commit.error());
  outcome.commit_id = *commit;
  std::string ref = "refs/heads/" + request.branch;
  std::string old_value = old_tip.empty() ? std::string(git::kZeroId) : old_tip;
  {
    store::Transaction tx(db_, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto moved = git_in(repo, {"update-ref", ref, *commit, old_value}, true);
    if (!moved.ok()) return common::fail(moved.error());
    if (moved->exit_code != 0) {
      return common::fail(error(Errc::ParentCommitIdOutdated,
                                "The parent commit ID is not valid because it is not the most recent commit in the "
                                "branch: " +
                                    request.parent_commit_id));
    }
    std::vector<RefChange> changes{RefChange{ref, old_value, *commit}};
    if (auto r = record_in_tx(db_, data_dir_, bus_, repo, changes, caller_arn); !r.ok()) return common::fail(r.error());
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  bus_.notify();
  return outcome;
}

}  // namespace codecommit
