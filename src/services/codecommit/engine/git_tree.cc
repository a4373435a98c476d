// Tree and blob plumbing the API's commits and the merges share (files.h).
#include "common/temp_dir.h"
#include "services/codecommit/engine/files.h"

namespace codecommit {

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

std::string default_author_name(std::string_view caller_arn) {
  // ".../user/dev" -> "dev", "arn:aws:iam::<account>:root" -> "root".
  size_t cut = caller_arn.find_last_of("/:");
  std::string_view name = cut == std::string_view::npos ? caller_arn : caller_arn.substr(cut + 1);
  return name.empty() ? "hakobu" : std::string(name);
}

}  // namespace codecommit
