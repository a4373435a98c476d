// What a new comment is about, checked against the repository with git: both commits exist, and
// a file location names a file of the version it says, at a line that version has.
#include <algorithm>

#include "services/codecommit/engine/comment_store.h"
#include "services/codecommit/engine/files.h"

namespace codecommit {
namespace {

Error commit_id_required() { return error(Errc::CommitIdRequired, "A commit ID is required, but was not specified."); }

// The full id of the commit `id` names (InvalidCommitId, CommitDoesNotExist).
Result<std::string> resolve_commit(const Repository& repo, std::string_view id) {
  if (!looks_like_object_id(id)) {
    return common::fail(error(Errc::InvalidCommitId, "The specified commit ID is not valid: " + std::string(id)));
  }
  auto r = git_in(repo, {"rev-parse", "--verify", "-q", std::string(id) + "^{commit}"}, true);
  if (!r.ok()) return common::fail(r.error());
  if (r->exit_code != 0 || r->out.size() < 40) {
    return common::fail(error(Errc::CommitDoesNotExist, "Could not find commit " + std::string(id)));
  }
  return r->out.substr(0, 40);
}

Result<bool> has_parent(const Repository& repo, const std::string& commit) {
  auto r = git_in(repo, {"rev-parse", "--verify", "-q", commit + "^1"}, true);
  if (!r.ok()) return common::fail(r.error());
  return r->exit_code == 0;
}

// Lines in a blob; a last line without a newline counts.
Result<int64_t> line_count(const Repository& repo, const std::string& blob) {
  auto r = git_in(repo, {"cat-file", "blob", blob});
  if (!r.ok()) return common::fail(r.error());
  const std::string& text = r->out;
  int64_t lines = std::count(text.begin(), text.end(), '\n');
  if (!text.empty() && text.back() != '\n') ++lines;
  return lines;
}

// The file at `path` in `commit` ("" when the commit is "" or has no such path);
// InvalidFileLocation when the path names a folder.
Result<std::string> blob_at(const Repository& repo, const std::string& commit, const std::string& path) {
  if (commit.empty()) return std::string();
  auto entry = lookup_path(repo, commit, path);
  if (!entry.ok()) return common::fail(entry.error());
  if (!*entry) return std::string();
  if ((*entry)->type != "blob") {
    return common::fail(error(Errc::InvalidFileLocation,
                              "The location of the file is not valid. Make sure that you include the file name and "
                              "extension."));
  }
  return (*entry)->id;
}

// Fills the location's normalized path and version and the subject's blobs.
Status resolve_location(const Repository& repo, CommentSubject& subject) {
  CommentLocation& location = *subject.location;
  if (location.file_path.empty()) {
    return common::fail(error(Errc::PathRequired, "The folderPath for a location cannot be null."));
  }
  auto path = normalize_path(location.file_path);
  if (!path) return common::fail(error(Errc::InvalidPath, "The specified path is not valid."));
  if (path->empty()) {
    return common::fail(error(Errc::InvalidFileLocation,
                              "The location of the file is not valid. Make sure that you include the file name and "
                              "extension."));
  }
  // Without a version the comment is on the after side, where the console puts new comments.
  if (location.relative_file_version.empty()) location.relative_file_version = "AFTER";
  bool after = location.relative_file_version == "AFTER";
  if (!after && location.relative_file_version != "BEFORE") {
    return common::fail(error(Errc::InvalidRelativeFileVersionEnum,
                              "Either the enum is not in a valid format, or the specified file version enum is not "
                              "valid in respect to the current file version."));
  }
  auto before_blob = blob_at(repo, subject.before_commit, *path);
  if (!before_blob.ok()) return common::fail(before_blob.error());
  auto after_blob = blob_at(repo, subject.after_commit, *path);
  if (!after_blob.ok()) return common::fail(after_blob.error());
  if (before_blob->empty() && after_blob->empty()) {
    return common::fail(error(Errc::PathDoesNotExist, "The specified path does not exist: " + location.file_path));
  }
  const std::string& side = after ? *after_blob : *before_blob;
  if (side.empty()) {
    return common::fail(error(Errc::InvalidRelativeFileVersionEnum,
                              "The file does not exist in the " + location.relative_file_version + " version."));
  }
  if (location.file_position) {
    auto lines = line_count(repo, side);
    if (!lines.ok()) return common::fail(lines.error());
    if (*location.file_position < 0 || *location.file_position > *lines) {
      return common::fail(error(Errc::InvalidFilePosition,
                                "The position is not valid. Make sure that the line number exists in the version of "
                                "the file you want to comment on."));
    }
  }
  location.file_path = std::move(*path);
  subject.before_blob = std::move(*before_blob);
  subject.after_blob = std::move(*after_blob);
  return common::ok();
}

}  // namespace

Result<CommentSubject> resolve_subject(const Repository& repo, const NewComment& comment, bool before_required) {
  CommentSubject subject;
  subject.repository_id = repo.id;
  subject.repository_name = repo.name;
  if (comment.after_commit.empty()) return common::fail(commit_id_required());
  auto after = resolve_commit(repo, comment.after_commit);
  if (!after.ok()) return common::fail(after.error());
  subject.after_commit = std::move(*after);
  if (comment.before_commit.empty()) {
    // AWS: the before commit is "required for commenting on any commit unless that commit is the
    // initial commit".
    auto parent = has_parent(repo, subject.after_commit);
    if (!parent.ok()) return common::fail(parent.error());
    if (before_required || *parent) return common::fail(commit_id_required());
  } else {
    auto before = resolve_commit(repo, comment.before_commit);
    if (!before.ok()) return common::fail(before.error());
    subject.before_commit = std::move(*before);
    if (subject.before_commit == subject.after_commit) {
      return common::fail(error(Errc::BeforeCommitIdAndAfterCommitIdAreSame,
                                "The before commit ID and the after commit ID are the same, which is not valid. The "
                                "before commit ID and the after commit ID must be different commit IDs."));
    }
  }
  subject.location = comment.location;
  if (subject.location) {
    if (auto r = resolve_location(repo, subject); !r.ok()) return common::fail(r.error());
  }
  return subject;
}

}  // namespace codecommit
