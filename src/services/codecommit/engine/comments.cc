// Comments: posting on compared commits and pull requests, replies (with clientRequestToken
// idempotency), reading, editing and deleting content, and the listings per comparison.
#include "services/codecommit/engine/comments.h"

#include "common/crypto.h"
#include "common/ids.h"
#include "services/codecommit/engine/comment_store.h"

namespace codecommit {
namespace {

// Times are REAL epoch seconds; seq is the posting order listings follow. A comment keeps its
// repository's id (renames follow; a deleted repository's comments are never read again).
// Tokens are unique per account and region; request_fingerprint is what the token was first
// used for.
const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE codecommit_comments (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  repo_id TEXT NOT NULL,
  pull_request_id TEXT NOT NULL,
  before_commit TEXT NOT NULL,
  after_commit TEXT NOT NULL,
  before_blob TEXT NOT NULL,
  after_blob TEXT NOT NULL,
  has_location INTEGER NOT NULL,
  file_path TEXT NOT NULL,
  file_position INTEGER,
  relative_file_version TEXT NOT NULL,
  in_reply_to TEXT NOT NULL,
  content TEXT NOT NULL,
  deleted INTEGER NOT NULL,
  author_arn TEXT NOT NULL,
  client_request_token TEXT NOT NULL,
  request_fingerprint TEXT NOT NULL,
  created REAL NOT NULL,
  modified REAL NOT NULL
);
CREATE INDEX codecommit_comments_by_subject ON codecommit_comments (account, region, repo_id, pull_request_id);
CREATE INDEX codecommit_comments_by_pull_request ON codecommit_comments (account, region, pull_request_id);
CREATE UNIQUE INDEX codecommit_comments_by_token ON codecommit_comments (account, region, client_request_token)
  WHERE client_request_token != '';
CREATE TABLE codecommit_comment_reactions (
  comment_id TEXT NOT NULL,
  user_arn TEXT NOT NULL,
  reaction TEXT NOT NULL,
  created REAL NOT NULL,
  PRIMARY KEY (comment_id, user_arn)
) WITHOUT ROWID;
)sql"},
  };
  return kMigrations;
}

std::string fingerprint(std::initializer_list<std::string_view> parts) {
  std::string text;
  for (std::string_view part : parts) {
    text += std::to_string(part.size()) + ":";
    text += part;
  }
  return common::sha256_hex(text);
}

std::string location_text(const std::optional<CommentLocation>& location) {
  if (!location) return "-";
  return location->file_path + "|" +
         (location->file_position ? std::to_string(*location->file_position) : std::string("-")) + "|" +
         location->relative_file_version;
}

Error idempotency_mismatch() {
  return error(Errc::IdempotencyParameterMismatch,
               "The client request token is not valid. Either the token is not in a valid format, or the token has "
               "been used in a previous request and cannot be reused.");
}

Error comment_deleted() {
  return error(Errc::CommentDeleted,
               "This comment has already been deleted. You cannot edit or delete a deleted "
               "comment.");
}

// The repository a comment is (to be) in, read inside the caller's transaction; `gone` when it
// was deleted meanwhile.
Result<Repository> repository_of(CodeCommitEngine& engine, const CommentRow& row, const Error& gone) {
  auto repo = read_repository_by_id(engine.db(), engine.data_dir(), row.subject.repository_id);
  if (!repo.ok()) return common::fail(repo.error());
  if (!*repo) return common::fail(gone);
  return std::move(**repo);
}

// Inserts `row` (or finds the comment its token already made) and publishes the event.
Result<PostedComment> store_new(CodeCommitEngine& engine, CommentRow row, std::string_view caller_arn) {
  store::Db& db = engine.db();
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    const std::string& token = row.comment.client_request_token;
    if (!token.empty()) {
      auto earlier = read_comment_by_token(db, row.account, row.region, token);
      if (!earlier.ok()) return common::fail(earlier.error());
      if (*earlier && (*earlier)->request_fingerprint != row.request_fingerprint) {
        return common::fail(idempotency_mismatch());
      }
      if (*earlier) return render_comment(db, **earlier, caller_arn);
    }
    auto repo = repository_of(engine, row, repository_not_found(row.subject.repository_name));
    if (!repo.ok()) return common::fail(repo.error());
    if (auto r = insert_comment(db, row); !r.ok()) return common::fail(r.error());
    if (auto r = append_comment_event(engine.bus(), *repo, row, CommentEvent::Created, caller_arn); !r.ok()) {
      return common::fail(r.error());
    }
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  engine.bus().notify();
  return PostedComment{std::move(row.subject), std::move(row.comment)};
}

CommentRow new_row(const CodeCommitEngine& engine, const Repository& repo, CommentSubject subject, std::string content,
                   std::string token, std::string_view caller_arn) {
  CommentRow row;
  row.account = repo.account;
  row.region = repo.region;
  row.subject = std::move(subject);
  row.comment.id = common::uuid4();
  row.comment.content = std::move(content);
  row.comment.author_arn = std::string(caller_arn);
  row.comment.client_request_token = std::move(token);
  row.comment.created = row.comment.modified = engine.clock().now();
  return row;
}

}  // namespace

CommentEngine::CommentEngine(CodeCommitEngine& repositories, PullRequestLookup pull_requests)
    : repositories_(repositories), pull_requests_(std::move(pull_requests)) {}

common::Status<> CommentEngine::migrate() { return repositories_.db().migrate("codecommit_comments", migrations()); }

Result<PostedComment> CommentEngine::post(const Repository& repo, std::string pull_request_id,
                                          const NewComment& comment, std::string_view caller_arn) {
  if (auto r = check_comment_content(comment.content); !r.ok()) return common::fail(r.error());
  bool on_pull_request = !pull_request_id.empty();
  auto subject = resolve_subject(repo, comment, /*before_required=*/on_pull_request);
  if (!subject.ok()) return common::fail(subject.error());
  subject->pull_request_id = pull_request_id;
  CommentRow row =
      new_row(repositories_, repo, std::move(*subject), comment.content, comment.client_request_token, caller_arn);
  row.request_fingerprint = fingerprint({"post", repo.id, pull_request_id, comment.before_commit, comment.after_commit,
                                         location_text(comment.location), comment.content, caller_arn});
  return store_new(repositories_, std::move(row), caller_arn);
}

Result<PostedComment> CommentEngine::post_for_compared_commit(const Repository& repo, const NewComment& comment,
                                                              std::string_view caller_arn) {
  return post(repo, "", comment, caller_arn);
}

Result<PostedComment> CommentEngine::post_for_pull_request(const Repository& repo, std::string_view pull_request_id,
                                                           const NewComment& comment, std::string_view caller_arn) {
  auto target = pull_requests_(repo.account, repo.region, pull_request_id);
  if (!target.ok()) return common::fail(target.error());
  if (target->repository_name != repo.name) {
    return common::fail(error(Errc::RepositoryNotAssociatedWithPullRequest,
                              "The repository does not contain any pull requests with that pull request ID. Use "
                              "GetPullRequest to verify the correct repository name for the pull request ID."));
  }
  return post(repo, target->pull_request_id, comment, caller_arn);
}

Result<PostedComment> CommentEngine::post_reply(const std::string& account, const std::string& region,
                                                std::string_view in_reply_to, std::string content,
                                                std::string client_request_token, std::string_view caller_arn) {
  if (auto r = check_comment_id(in_reply_to); !r.ok()) return common::fail(r.error());
  if (auto r = check_comment_content(content); !r.ok()) return common::fail(r.error());
  auto parent = read_comment(repositories_.db(), account, region, in_reply_to);
  if (!parent.ok()) return common::fail(parent.error());
  if (!*parent) return common::fail(comment_not_found(in_reply_to));
  auto repo = repository_of(repositories_, **parent, comment_not_found(in_reply_to));
  if (!repo.ok()) return common::fail(repo.error());
  std::string print = fingerprint({"reply", in_reply_to, content, caller_arn});
  CommentRow row = new_row(repositories_, *repo, (*parent)->subject, std::move(content),
                           std::move(client_request_token), caller_arn);
  row.comment.in_reply_to = std::string(in_reply_to);
  row.request_fingerprint = std::move(print);
  return store_new(repositories_, std::move(row), caller_arn);
}

Result<PostedComment> CommentEngine::get_comment(const std::string& account, const std::string& region,
                                                 std::string_view id, std::string_view caller_arn) const {
  if (auto r = check_comment_id(id); !r.ok()) return common::fail(r.error());
  auto row = read_comment(repositories_.db(), account, region, id);
  if (!row.ok()) return common::fail(row.error());
  if (!*row) return common::fail(comment_not_found(id));
  if ((*row)->comment.deleted) return common::fail(comment_deleted());
  return render_comment(repositories_.db(), **row, caller_arn);
}

Result<std::string> CommentEngine::comment_repository(const std::string& account, const std::string& region,
                                                      std::string_view id) const {
  if (auto r = check_comment_id(id); !r.ok()) return common::fail(r.error());
  auto row = read_comment(repositories_.db(), account, region, id);
  if (!row.ok()) return common::fail(row.error());
  if (!*row) return common::fail(comment_not_found(id));
  return std::move((*row)->subject.repository_name);
}

namespace {

// Reads the comment for a change inside the open transaction: CommentDoesNotExist,
// CommentDeleted.
Result<CommentRow> live_comment(store::Db& db, const std::string& account, const std::string& region,
                                std::string_view id) {
  auto row = read_comment(db, account, region, id);
  if (!row.ok()) return common::fail(row.error());
  if (!*row) return common::fail(comment_not_found(id));
  if ((*row)->comment.deleted) return common::fail(comment_deleted());
  return std::move(**row);
}

// Saves the changed content (or its deletion) and publishes the *Updated event.
Result<PostedComment> store_change(CodeCommitEngine& engine, CommentRow& row, std::string_view caller_arn) {
  store::Db& db = engine.db();
  row.comment.modified = engine.clock().now();
  auto repo = repository_of(engine, row, comment_not_found(row.comment.id));
  if (!repo.ok()) return common::fail(repo.error());
  if (auto r = update_comment_row(db, row); !r.ok()) return common::fail(r.error());
  if (auto r = append_comment_event(engine.bus(), *repo, row, CommentEvent::Updated, caller_arn); !r.ok()) {
    return common::fail(r.error());
  }
  return render_comment(db, row, caller_arn);
}

}  // namespace

Result<PostedComment> CommentEngine::update_comment(const std::string& account, const std::string& region,
                                                    std::string_view id, std::string content,
                                                    std::string_view caller_arn) {
  if (auto r = check_comment_id(id); !r.ok()) return common::fail(r.error());
  if (auto r = check_comment_content(content); !r.ok()) return common::fail(r.error());
  store::Db& db = repositories_.db();
  Result<PostedComment> out = common::fail(comment_not_found(id));
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto row = live_comment(db, account, region, id);
    if (!row.ok()) return common::fail(row.error());
    if (row->comment.author_arn != caller_arn) {
      return common::fail(error(Errc::CommentNotCreatedByCaller,
                                "You cannot modify or delete this comment. Only comment authors can modify or delete "
                                "their comments."));
    }
    row->comment.content = std::move(content);
    out = store_change(repositories_, *row, caller_arn);
    if (!out.ok()) return out;
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  repositories_.bus().notify();
  return out;
}

// AWS lets anyone allowed codecommit:DeleteCommentContent delete, not only the author.
Result<PostedComment> CommentEngine::delete_comment_content(const std::string& account, const std::string& region,
                                                            std::string_view id, std::string_view caller_arn) {
  if (auto r = check_comment_id(id); !r.ok()) return common::fail(r.error());
  store::Db& db = repositories_.db();
  Result<PostedComment> out = common::fail(comment_not_found(id));
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto row = live_comment(db, account, region, id);
    if (!row.ok()) return common::fail(row.error());
    row->comment.content.clear();
    row->comment.deleted = true;
    out = store_change(repositories_, *row, caller_arn);
    if (!out.ok()) return out;
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  repositories_.bus().notify();
  return out;
}

namespace {

Result<std::vector<PostedComment>> render_all(store::Db& db, Result<std::vector<CommentRow>> rows,
                                              std::string_view caller_arn) {
  if (!rows.ok()) return common::fail(rows.error());
  std::vector<PostedComment> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    auto rendered = render_comment(db, row, caller_arn);
    if (!rendered.ok()) return common::fail(rendered.error());
    out.push_back(std::move(*rendered));
  }
  return out;
}

// The full ids of a comparison to filter comments by ("" before stays "").
Result<std::pair<std::string, std::string>> comparison(const Repository& repo, std::string_view before,
                                                       std::string_view after) {
  NewComment probe;
  probe.before_commit = std::string(before);
  probe.after_commit = std::string(after);
  if (after.empty())
    return common::fail(error(Errc::CommitIdRequired, "A commit ID is required, but was not specified."));
  // resolve_subject checks and resolves both ids; a listing does not need the root-commit rule.
  auto subject = resolve_subject(repo, probe, /*before_required=*/false);
  if (!subject.ok() && subject.error().code != Errc::CommitIdRequired) return common::fail(subject.error());
  if (!subject.ok()) return std::pair<std::string, std::string>{"", std::string(after)};
  return std::pair<std::string, std::string>{subject->before_commit, subject->after_commit};
}

}  // namespace

Result<std::vector<PostedComment>> CommentEngine::comments_for_compared_commit(const Repository& repo,
                                                                               std::string_view before_commit,
                                                                               std::string_view after_commit,
                                                                               std::string_view caller_arn) const {
  auto ids = comparison(repo, before_commit, after_commit);
  if (!ids.ok()) return common::fail(ids.error());
  store::Db& db = repositories_.db();
  return render_all(db, list_comments(db, repo.account, repo.region, repo.id, "", ids->first, ids->second), caller_arn);
}

Result<std::vector<PostedComment>> CommentEngine::comments_for_pull_request(
    const std::string& account, const std::string& region, std::string_view pull_request_id,
    std::string_view repository_name, std::string_view before_commit, std::string_view after_commit,
    std::string_view caller_arn) const {
  auto target = pull_requests_(account, region, pull_request_id);
  if (!target.ok()) return common::fail(target.error());
  store::Db& db = repositories_.db();
  if (repository_name.empty()) {
    if (!before_commit.empty() || !after_commit.empty()) {
      return common::fail(error(Errc::RepositoryNameRequired, "A repository name is required, but was not specified."));
    }
    return render_all(db, list_pull_request_comments(db, account, region, target->pull_request_id), caller_arn);
  }
  if (before_commit.empty() || after_commit.empty()) {
    return common::fail(error(Errc::CommitIdRequired, "A commit ID is required, but was not specified."));
  }
  auto repo = repositories_.get_repository(RepoRef{account, region, std::string(repository_name)});
  if (!repo.ok()) return common::fail(repo.error());
  if (target->repository_name != repo->name) {
    return common::fail(error(Errc::RepositoryNotAssociatedWithPullRequest,
                              "The repository does not contain any pull requests with that pull request ID."));
  }
  auto ids = comparison(*repo, before_commit, after_commit);
  if (!ids.ok()) return common::fail(ids.error());
  return render_all(db, list_comments(db, account, region, repo->id, target->pull_request_id, ids->first, ids->second),
                    caller_arn);
}

}  // namespace codecommit
