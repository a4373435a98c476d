// The git plumbing merges use: flattened trees (ls-tree -r), blobs (cat-file, hash-object), a
// tree written through a temporary index (GIT_INDEX_FILE), and git merge-file on three texts.
#include <fstream>

#include "common/temp_dir.h"
#include "services/codecommit/engine/merge_internal.h"

namespace codecommit::merge_detail {

Result<std::string> run_git(const Repository& repo, const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env, std::string input) {
  git::RunOptions options;
  options.git_dir = repo.git_dir;
  options.env = env;
  options.input = std::move(input);
  auto r = git::run(args, options);
  if (!r.ok()) return common::fail(internal_error(r.error()));
  if (r->exit_code != 0) return common::fail(error(Errc::Internal, "git " + args.front() + ": " + r->err));
  std::string out = std::move(r->out);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

Result<PathMap> read_paths(const Repository& repo, const std::string& commit) {
  PathMap paths;
  if (commit.empty()) return paths;
  auto r = git_in(repo, {"ls-tree", "-r", "-z", "--full-tree", commit});
  if (!r.ok()) return common::fail(r.error());
  for (auto& entry : parse_ls_tree(r->out)) paths.emplace(entry.path, std::move(entry));
  return paths;
}

Result<std::string> read_blob(const Repository& repo, const std::string& blob_id) {
  auto r = git_in(repo, {"cat-file", "blob", blob_id});
  if (!r.ok()) return common::fail(r.error());
  return std::move(r->out);
}

Result<std::string> write_blob(const Repository& repo, std::string content) {
  return run_git(repo, {"hash-object", "-w", "--stdin"}, {}, std::move(content));
}

Result<std::string> write_tree(const Repository& repo, const PathMap& paths) {
  common::TempDir dir("hakobu-merge-index");
  if (!dir.ok()) return common::fail(error(Errc::Internal, "cannot create a temporary index"));
  std::map<std::string, std::string> env{{"GIT_INDEX_FILE", dir.path() + "/index"}};
  std::string info;
  for (const auto& [path, entry] : paths) {
    info += entry.mode + " " + entry.id + "\t" + path;
    info += '\0';
  }
  if (auto r = run_git(repo, {"read-tree", "--empty"}, env); !r.ok()) return common::fail(r.error());
  if (auto r = run_git(repo, {"update-index", "-z", "--add", "--index-info"}, env, std::move(info)); !r.ok()) {
    return common::fail(r.error());
  }
  return run_git(repo, {"write-tree"}, env);
}

bool looks_binary(std::string_view content) { return content.substr(0, 8000).find('\0') != std::string_view::npos; }

std::string object_type_of(const TreeEntry& entry) {
  if (entry.type == "commit") return "GIT_LINK";
  if (entry.type == "tree") return "DIRECTORY";
  if (entry.mode == "120000") return "SYMBOLIC_LINK";
  return "FILE";
}

namespace {

bool write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return static_cast<bool>(out);
}

}  // namespace

Result<LineMerge> merge_lines(const std::string& destination, const std::string& base, const std::string& source,
                              Favor favor) {
  common::TempDir dir("hakobu-merge-file");
  if (!dir.ok()) return common::fail(error(Errc::Internal, "cannot create a temporary directory"));
  const std::string ours = dir.path() + "/destination", ancestor = dir.path() + "/base",
                    theirs = dir.path() + "/source";
  if (!write_file(ours, destination) || !write_file(ancestor, base) || !write_file(theirs, source)) {
    return common::fail(error(Errc::Internal, "cannot write the files to merge"));
  }
  std::vector<std::string> args{"merge-file", "-p", "-L", "destination", "-L", "base", "-L", "source"};
  if (favor == Favor::Destination) args.emplace_back("--ours");
  if (favor == Favor::Source) args.emplace_back("--theirs");
  args.insert(args.end(), {ours, ancestor, theirs});
  auto r = git::run(args);
  if (!r.ok()) return common::fail(internal_error(r.error()));
  // The exit code counts the conflicts (capped at 127); negative (255) is an error.
  if (r->exit_code < 0 || r->exit_code > 127) {
    return common::fail(error(Errc::Internal, "git merge-file: " + r->err));
  }
  return LineMerge{std::move(r->out), r->exit_code};
}

}  // namespace codecommit::merge_detail
