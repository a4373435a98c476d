// Commits as `git cat-file commit` prints them, parsed into CodeCommit's Commit.
#include "services/codecommit/engine/internal.h"

namespace codecommit {
namespace {

// "Name <email> 1569278400 +0000" -> {name, email, "1569278400 +0000"}.
Person parse_person(std::string_view text) {
  Person person;
  size_t open = text.find('<');
  size_t close = text.find('>', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) {
    person.name = std::string(text);
    return person;
  }
  std::string_view name = text.substr(0, open);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  person.name = std::string(name);
  person.email = std::string(text.substr(open + 1, close - open - 1));
  std::string_view date = text.substr(close + 1);
  while (!date.empty() && date.front() == ' ') date.remove_prefix(1);
  person.date = std::string(date);
  return person;
}

Commit parse_commit(std::string commit_id, const std::string& text) {
  Commit commit;
  commit.commit_id = std::move(commit_id);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    if (line.empty()) break;  // the message follows
    size_t space = line.find(' ');
    std::string_view key = line.substr(0, space);
    std::string_view value = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    if (key == "tree") {
      commit.tree_id = std::string(value);
    } else if (key == "parent") {
      commit.parents.emplace_back(value);
    } else if (key == "author") {
      commit.author = parse_person(value);
    } else if (key == "committer") {
      commit.committer = parse_person(value);
    }
  }
  if (pos < text.size()) commit.message = text.substr(pos);
  return commit;
}

}  // namespace

Result<Commit> CodeCommitEngine::get_commit(const Repository& repo, std::string_view commit_id) const {
  if (!looks_like_object_id(commit_id)) {
    return common::fail(error(Errc::InvalidCommitId, "The specified commit ID is not valid."));
  }
  auto resolved = git_in(repo, {"rev-parse", "--verify", "-q", std::string(commit_id) + "^{commit}"}, true);
  if (!resolved.ok()) return common::fail(resolved.error());
  if (resolved->exit_code != 0 || resolved->out.size() < 40) {
    return common::fail(error(Errc::CommitDoesNotExist, "Could not find commit " + std::string(commit_id)));
  }
  std::string id = resolved->out.substr(0, 40);
  auto text = git_in(repo, {"cat-file", "commit", id});
  if (!text.ok()) return common::fail(text.error());
  return parse_commit(std::move(id), text->out);
}

}  // namespace codecommit
