// What the CommentEngine's .cc files share: comment rows in SQLite, their rendering (with the
// repository's current name and the reactions), what a new comment is about (commits, file
// location, blobs, checked with git), and the comment events.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/codecommit/engine/comments.h"
#include "services/codecommit/engine/internal.h"

namespace codecommit {

// One row of codecommit_comments. The subject's repository_name is filled when read (the row
// keeps the repository id, so renames follow).
struct CommentRow {
  std::string account;
  std::string region;
  CommentSubject subject;
  Comment comment;                  // without reactions
  std::string request_fingerprint;  // what a clientRequestToken was first used for
};

// The comment `id` in the account and region, nullopt when absent or its repository is gone.
Result<std::optional<CommentRow>> read_comment(store::Db& db, const std::string& account, const std::string& region,
                                               std::string_view id);
// The comment `token` created, as read_comment.
Result<std::optional<CommentRow>> read_comment_by_token(store::Db& db, const std::string& account,
                                                        const std::string& region, std::string_view token);
// The comments of a repository on a pull request ("" = compared commits), in posting order;
// `before`/`after` restrict them to one comparison when given.
Result<std::vector<CommentRow>> list_comments(store::Db& db, const std::string& account, const std::string& region,
                                              std::string_view repo_id, std::string_view pull_request_id,
                                              const std::optional<std::string>& before,
                                              const std::optional<std::string>& after);
// Every comment on a pull request, whatever its repository.
Result<std::vector<CommentRow>> list_pull_request_comments(store::Db& db, const std::string& account,
                                                           const std::string& region, std::string_view pull_request_id);
Status insert_comment(store::Db& db, const CommentRow& row);
// Sets content, deleted and modified from `row.comment`.
Status update_comment_row(store::Db& db, const CommentRow& row);

// The row as the API returns it: callerReactions for `caller_arn` and reactionCounts filled.
Result<PostedComment> render_comment(store::Db& db, const CommentRow& row, std::string_view caller_arn);

// CommentDoesNotExist / InvalidCommentId as AWS words them.
Error comment_not_found(std::string_view id);
Status check_comment_id(std::string_view id);
// CommentContentRequired, CommentContentSizeLimitExceeded.
Status check_comment_content(std::string_view content);

// Resolves and checks what a new comment on `repo` is about: the commits (full ids), the
// location and the file's blob in each commit. `before_required`: pull requests always compare
// two commits; a compared-commit comment may omit the before commit only on a root commit.
Result<CommentSubject> resolve_subject(const Repository& repo, const NewComment& comment, bool before_required);

enum class CommentEvent { Created, Updated };
// Appends "CodeCommit Comment on Commit" (or "... on Pull Request" when the subject has one)
// inside the caller's write transaction.
Status append_comment_event(events::Bus& bus, const Repository& repo, const CommentRow& row, CommentEvent kind,
                            std::string_view caller_arn);
// Appends "CodeCommit Comment Reaction Change" (commentReactionCreated / commentReactionUpdated).
Status append_reaction_event(events::Bus& bus, const Repository& repo, std::string_view comment_id,
                             const Reaction& reaction, bool updated, std::string_view caller_arn);

}  // namespace codecommit
