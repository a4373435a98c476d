// Comment rows: reading (joined with the repository, which must still exist), writing, and the
// rendering with reactions.
#include "services/codecommit/engine/comment_store.h"

namespace codecommit {
namespace {

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

constexpr std::string_view kSelect =
    "SELECT c.id, c.account, c.region, c.repo_id, r.name, c.pull_request_id, c.before_commit, c.after_commit, "
    "c.before_blob, c.after_blob, c.has_location, c.file_path, c.file_position, c.relative_file_version, "
    "c.in_reply_to, c.content, c.deleted, c.author_arn, c.client_request_token, c.request_fingerprint, c.created, "
    "c.modified FROM codecommit_comments c JOIN codecommit_repositories r ON r.id = c.repo_id ";

CommentRow decode(const store::Statement& s) {
  CommentRow row;
  row.comment.id = s.text(0);
  row.account = s.text(1);
  row.region = s.text(2);
  row.subject.repository_id = s.text(3);
  row.subject.repository_name = s.text(4);
  row.subject.pull_request_id = s.text(5);
  row.subject.before_commit = s.text(6);
  row.subject.after_commit = s.text(7);
  row.subject.before_blob = s.text(8);
  row.subject.after_blob = s.text(9);
  if (s.integer(10) != 0) {
    CommentLocation location;
    location.file_path = s.text(11);
    if (!s.is_null(12)) location.file_position = s.integer(12);
    location.relative_file_version = s.text(13);
    row.subject.location = std::move(location);
  }
  row.comment.in_reply_to = s.text(14);
  row.comment.content = s.text(15);
  row.comment.deleted = s.integer(16) != 0;
  row.comment.author_arn = s.text(17);
  row.comment.client_request_token = s.text(18);
  row.request_fingerprint = s.text(19);
  row.comment.created = common::from_epoch_seconds(s.real(20));
  row.comment.modified = common::from_epoch_seconds(s.real(21));
  return row;
}

template <class Bind>
Result<std::vector<CommentRow>> select_rows(store::Db& db, std::string_view where, Bind&& bind) {
  std::vector<CommentRow> rows;
  auto r =
      Sql::query(db, std::string(kSelect) + std::string(where), std::forward<Bind>(bind), [&](store::Statement& s) {
        rows.push_back(decode(s));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return rows;
}

Result<std::optional<CommentRow>> first(Result<std::vector<CommentRow>> rows) {
  if (!rows.ok()) return common::fail(rows.error());
  if (rows->empty()) return std::optional<CommentRow>();
  return std::optional<CommentRow>(std::move(rows->front()));
}

}  // namespace

Result<std::optional<CommentRow>> read_comment(store::Db& db, const std::string& account, const std::string& region,
                                               std::string_view id) {
  return first(select_rows(db, "WHERE c.account = ? AND c.region = ? AND c.id = ?",
                           [&](store::Statement& s) { s.bind(1, account).bind(2, region).bind(3, id); }));
}

Result<std::optional<CommentRow>> read_comment_by_token(store::Db& db, const std::string& account,
                                                        const std::string& region, std::string_view token) {
  return first(select_rows(db, "WHERE c.account = ? AND c.region = ? AND c.client_request_token = ?",
                           [&](store::Statement& s) { s.bind(1, account).bind(2, region).bind(3, token); }));
}

Result<std::vector<CommentRow>> list_comments(store::Db& db, const std::string& account, const std::string& region,
                                              std::string_view repo_id, std::string_view pull_request_id,
                                              const std::optional<std::string>& before,
                                              const std::optional<std::string>& after) {
  std::string where = "WHERE c.account = ? AND c.region = ? AND c.repo_id = ? AND c.pull_request_id = ?";
  if (before) where += " AND c.before_commit = ?";
  if (after) where += " AND c.after_commit = ?";
  return select_rows(db, where + " ORDER BY c.seq", [&](store::Statement& s) {
    s.bind(1, account).bind(2, region).bind(3, repo_id).bind(4, pull_request_id);
    int next = 5;
    if (before) s.bind(next++, *before);
    if (after) s.bind(next++, *after);
  });
}

Result<std::vector<CommentRow>> list_pull_request_comments(store::Db& db, const std::string& account,
                                                           const std::string& region,
                                                           std::string_view pull_request_id) {
  return select_rows(db, "WHERE c.account = ? AND c.region = ? AND c.pull_request_id = ? ORDER BY c.seq",
                     [&](store::Statement& s) { s.bind(1, account).bind(2, region).bind(3, pull_request_id); });
}

Status insert_comment(store::Db& db, const CommentRow& row) {
  const CommentSubject& subject = row.subject;
  const Comment& comment = row.comment;
  return Sql::execute(
      db,
      "INSERT INTO codecommit_comments (id, account, region, repo_id, pull_request_id, before_commit, after_commit, "
      "before_blob, after_blob, has_location, file_path, file_position, relative_file_version, in_reply_to, content, "
      "deleted, author_arn, client_request_token, request_fingerprint, created, modified) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      [&](store::Statement& s) {
        s.bind(1, comment.id).bind(2, row.account).bind(3, row.region).bind(4, subject.repository_id);
        s.bind(5, subject.pull_request_id).bind(6, subject.before_commit).bind(7, subject.after_commit);
        s.bind(8, subject.before_blob).bind(9, subject.after_blob).bind(10, subject.location.has_value());
        s.bind(11, subject.location ? subject.location->file_path : std::string());
        if (subject.location && subject.location->file_position) {
          s.bind(12, *subject.location->file_position);
        } else {
          s.bind_null(12);
        }
        s.bind(13, subject.location ? subject.location->relative_file_version : std::string());
        s.bind(14, comment.in_reply_to).bind(15, comment.content).bind(16, comment.deleted);
        s.bind(17, comment.author_arn).bind(18, comment.client_request_token).bind(19, row.request_fingerprint);
        s.bind(20, common::to_epoch_seconds(comment.created)).bind(21, common::to_epoch_seconds(comment.modified));
      });
}

Status update_comment_row(store::Db& db, const CommentRow& row) {
  return Sql::execute(db, "UPDATE codecommit_comments SET content = ?, deleted = ?, modified = ? WHERE id = ?",
                      [&](store::Statement& s) {
                        s.bind(1, row.comment.content).bind(2, row.comment.deleted);
                        s.bind(3, common::to_epoch_seconds(row.comment.modified)).bind(4, row.comment.id);
                      });
}

Result<PostedComment> render_comment(store::Db& db, const CommentRow& row, std::string_view caller_arn) {
  PostedComment out{row.subject, row.comment};
  auto r = Sql::query(
      db, "SELECT user_arn, reaction FROM codecommit_comment_reactions WHERE comment_id = ? ORDER BY created",
      [&](store::Statement& s) { s.bind(1, row.comment.id); },
      [&](store::Statement& s) {
        std::string key = s.text(1);
        if (s.text(0) == caller_arn) out.comment.caller_reactions.push_back(key);
        ++out.comment.reaction_counts[key];
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Error comment_not_found(std::string_view id) {
  return error(
      Errc::CommentDoesNotExist,
      "No comment exists with the provided ID. Verify that you have used the correct ID, and then try again: " +
          std::string(id));
}

// Comment ids are uuids; anything else cannot name one.
Status check_comment_id(std::string_view id) {
  bool ok = id.size() == 36;
  for (size_t i = 0; ok && i < id.size(); ++i) {
    ok = (i == 8 || i == 13 || i == 18 || i == 23) ? id[i] == '-' : hex(id[i]);
  }
  if (!ok) {
    return common::fail(error(Errc::InvalidCommentId,
                              "The comment ID is not in a valid format. Make sure that you have provided the full "
                              "comment ID."));
  }
  return common::ok();
}

Status check_comment_content(std::string_view content) {
  if (content.empty()) {
    return common::fail(error(Errc::CommentContentRequired,
                              "The comment is empty. You must provide some content for a "
                              "comment. The content cannot be null."));
  }
  if (utf8_length(content) > kMaxCommentLength) {
    return common::fail(error(Errc::CommentContentSizeLimitExceeded,
                              "The comment is too large. Comments are limited to 10,240 characters."));
  }
  return common::ok();
}

}  // namespace codecommit
