// ListFileCommitHistory: the commits that changed one file, as git's history simplification
// finds them (rev-list --topo-order --parents <commit> -- <path>), each with the file's blob at
// that commit and the listed commits that changed it next (revisionChildren). Three git runs
// per call whatever the history's length: rev-list, one cat-file --batch-check for every blob,
// one log --no-walk for the page's commits.
#include <algorithm>
#include <map>
#include <set>

#include "services/codecommit/engine/files.h"

namespace codecommit {
namespace {

struct Revision {
  std::string commit;
  std::vector<std::string> parents;  // rewritten to the simplified history
};

std::vector<std::string> split_lines(std::string_view text, char separator) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(separator, pos);
    if (end == std::string_view::npos) end = text.size();
    out.emplace_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::vector<Revision> parse_rev_list(const std::string& out) {
  std::vector<Revision> revisions;
  for (const auto& line : split_lines(out, '\n')) {
    std::vector<std::string> ids = split_lines(line, ' ');
    if (ids.empty()) continue;
    Revision revision{ids[0], {}};
    revision.parents.assign(ids.begin() + 1, ids.end());
    revisions.push_back(std::move(revision));
  }
  return revisions;
}

// The file's blob at each revision ("" where the commit deleted it or it is not a file).
Result<std::vector<std::string>> blobs_at(const Repository& repo, const std::vector<Revision>& revisions,
                                          const std::string& path) {
  std::string input;
  for (const auto& r : revisions) input += r.commit + ":" + path + "\n";
  auto checked = git_in(repo, {"cat-file", "--batch-check=%(objectname) %(objecttype)"}, false, std::move(input));
  if (!checked.ok()) return common::fail(checked.error());
  std::vector<std::string> lines = split_lines(checked->out, '\n');
  if (lines.size() != revisions.size()) return common::fail(error(Errc::Internal, "git cat-file: short answer"));
  std::vector<std::string> blobs;
  for (const auto& line : lines) {
    bool blob = line.size() == 45 && line.compare(40, 5, " blob") == 0;
    blobs.push_back(blob ? line.substr(0, 40) : std::string());
  }
  return blobs;
}

// Children among the listed versions. A left-out commit (one that deleted the file) passes its
// children on to its own parents, so a file deleted and added again keeps one chain.
std::map<std::string, std::vector<std::string>> version_children(const std::vector<Revision>& revisions,
                                                                 const std::set<std::string>& versions) {
  std::map<std::string, std::vector<std::string>> effective_parents;
  // Topological order lists children first: walk it backwards so parents are resolved first.
  for (auto it = revisions.rbegin(); it != revisions.rend(); ++it) {
    std::vector<std::string>& mine = effective_parents[it->commit];
    for (const auto& parent : it->parents) {
      if (versions.count(parent) != 0) {
        mine.push_back(parent);
      } else if (auto inherited = effective_parents.find(parent); inherited != effective_parents.end()) {
        mine.insert(mine.end(), inherited->second.begin(), inherited->second.end());
      }
    }
  }
  std::map<std::string, std::vector<std::string>> children;
  for (const auto& r : revisions) {
    if (versions.count(r.commit) == 0) continue;
    for (const auto& parent : effective_parents[r.commit]) {
      auto& list = children[parent];
      if (std::find(list.begin(), list.end(), r.commit) == list.end()) list.push_back(r.commit);
    }
  }
  return children;
}

// "Name\nemail\n1569278400 +0000" fields of `git log --format` into a Person.
Person person(const std::vector<std::string>& fields, size_t first) {
  return Person{fields[first], fields[first + 1], fields[first + 2]};
}

// The commits, in the given order, from one `git log --no-walk=unsorted --stdin` run.
Result<std::vector<Commit>> read_commits(const Repository& repo, const std::vector<std::string>& ids) {
  if (ids.empty()) return std::vector<Commit>{};
  std::string input;
  for (const auto& id : ids) input += id + "\n";
  auto logged = git_in(repo,
                       {"log", "--no-walk=unsorted", "--stdin", "-z", "--date=raw",
                        "--format=%H%n%T%n%P%n%an%n%ae%n%ad%n%cn%n%ce%n%cd%n%B"},
                       false, std::move(input));
  if (!logged.ok()) return common::fail(logged.error());
  std::vector<Commit> commits;
  for (const auto& entry : split_lines(logged->out, '\0')) {
    std::vector<std::string> fields;
    size_t pos = 0;
    for (int i = 0; i < 9 && pos <= entry.size(); ++i) {
      size_t end = entry.find('\n', pos);
      if (end == std::string::npos) end = entry.size();
      fields.push_back(entry.substr(pos, end - pos));
      pos = end + 1;
    }
    if (fields.size() != 9) return common::fail(error(Errc::Internal, "git log: unexpected output"));
    Commit commit;
    commit.commit_id = fields[0];
    commit.tree_id = fields[1];
    commit.parents = split_lines(fields[2], ' ');
    commit.author = person(fields, 3);
    commit.committer = person(fields, 6);
    commit.message = pos < entry.size() ? entry.substr(pos) : std::string();
    commits.push_back(std::move(commit));
  }
  if (commits.size() != ids.size()) return common::fail(error(Errc::Internal, "git log: short answer"));
  return commits;
}

}  // namespace

Result<FileHistoryPage> CodeCommitEngine::file_history(const Repository& repo, std::string_view specifier,
                                                       std::string_view path, size_t offset, size_t limit) const {
  auto normalized = normalize_path(path);
  if (!normalized || normalized->empty()) {
    return common::fail(error(Errc::InvalidPath, "The specified path is not valid: " + std::string(path)));
  }
  auto commit = resolve_commit_specifier(repo, specifier);
  if (!commit.ok()) return common::fail(commit.error());
  auto listed = git_in(repo, {"rev-list", "--topo-order", "--parents", *commit, "--", *normalized});
  if (!listed.ok()) return common::fail(listed.error());
  std::vector<Revision> revisions = parse_rev_list(listed->out);
  auto blobs = blobs_at(repo, revisions, *normalized);
  if (!blobs.ok()) return common::fail(blobs.error());
  std::vector<size_t> versions;  // indexes into revisions
  std::set<std::string> version_ids;
  for (size_t i = 0; i < revisions.size(); ++i) {
    if ((*blobs)[i].empty()) continue;
    versions.push_back(i);
    version_ids.insert(revisions[i].commit);
  }
  FileHistoryPage page;
  size_t end = std::min(versions.size(), offset + limit);
  page.more = end < versions.size();
  if (offset >= end) return page;
  std::vector<std::string> ids;
  for (size_t i = offset; i < end; ++i) ids.push_back(revisions[versions[i]].commit);
  auto commits = read_commits(repo, ids);
  if (!commits.ok()) return common::fail(commits.error());
  auto children = version_children(revisions, version_ids);
  for (size_t i = offset; i < end; ++i) {
    size_t index = versions[i];
    FileVersion version;
    version.commit = std::move((*commits)[i - offset]);
    version.blob_id = (*blobs)[index];
    version.path = *normalized;
    version.revision_children = std::move(children[revisions[index].commit]);
    page.versions.push_back(std::move(version));
  }
  return page;
}

}  // namespace codecommit
