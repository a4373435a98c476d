// Comments on pull requests and on compared commits: rows in SQLite (content, location, replies,
// reactions), and the "CodeCommit Comment on Pull Request" / "CodeCommit Comment on Commit"
// events on the bus.
//
// A comment is about a comparison (before commit, after commit, optionally a file location) in a
// repository, and optionally a pull request; a reply shares the comment it answers' comparison.
// Comments name their repository by id and are only seen while it exists. Deleting a comment's
// content keeps the row (deleted = true, no content). One reaction per user and comment.
// Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/codecommit/engine/codecommit_engine.h"
#include "services/codecommit/engine/pull_requests.h"

namespace codecommit {

// The pull request a comment is about (PullRequestEngine::comment_target).
using PullRequestLookup = std::function<Result<PullRequestCommentTarget>(
    std::string_view account, std::string_view region, std::string_view pull_request_id)>;

struct CommentLocation {
  std::string file_path;
  std::optional<int64_t> file_position;  // a line; none = the whole file
  std::string relative_file_version;     // BEFORE | AFTER
};

// What a comment is about, as the Post*/GetCommentsFor* outputs describe it.
struct CommentSubject {
  std::string repository_id;
  std::string repository_name;
  std::string pull_request_id;  // "" for compared commits
  std::string before_commit;    // "" when the after commit is compared with nothing
  std::string after_commit;
  std::string before_blob;  // the file's blob in each commit ("" without a location or file)
  std::string after_blob;
  std::optional<CommentLocation> location;
};

struct Comment {
  std::string id;  // uuid
  std::string content;
  std::string in_reply_to;
  std::string author_arn;
  std::string client_request_token;
  bool deleted = false;
  common::TimePoint created{};
  common::TimePoint modified{};
  std::vector<std::string> caller_reactions;   // the caller's reaction, as reaction keys
  std::map<std::string, int> reaction_counts;  // reaction key -> users
};

struct PostedComment {
  CommentSubject subject;
  Comment comment;
};

// What a new top-level comment says and where.
struct NewComment {
  std::string before_commit;
  std::string after_commit;
  std::optional<CommentLocation> location;
  std::string content;
  std::string client_request_token;  // "" = none
};

// A reaction CodeCommit accepts: its key (callerReactions, reactionCounts) and its three forms.
struct Reaction {
  std::string key;         // "THUMBSUP"
  std::string emoji;       // UTF-8
  std::string short_code;  // ":thumbsup:"
  std::string unicode;     // "U+1F44D"
};

// The reaction `value` names (emoji, short code with or without colons, or U+ code point),
// nullopt when CodeCommit does not support it.
std::optional<Reaction> find_reaction(std::string_view value);
// The reaction whose key is `key`.
std::optional<Reaction> reaction_by_key(std::string_view key);

struct ReactionUsers {
  Reaction reaction;
  std::vector<std::string> users;  // ARNs, in the order they reacted
};

constexpr size_t kMaxCommentLength = 10240;  // characters

class CommentEngine {
 public:
  CommentEngine(CodeCommitEngine& repositories, PullRequestLookup pull_requests);
  common::Status<> migrate();

  // CommentContentRequired, CommentContentSizeLimitExceeded, CommitIdRequired, InvalidCommitId,
  // CommitDoesNotExist, BeforeCommitIdAndAfterCommitIdAreSame, PathRequired, InvalidPath,
  // PathDoesNotExist, InvalidFileLocation, InvalidFilePosition, InvalidRelativeFileVersionEnum,
  // IdempotencyParameterMismatch. A token used before with the same request returns that comment.
  Result<PostedComment> post_for_compared_commit(const Repository& repo, const NewComment& comment,
                                                 std::string_view caller_arn);
  // As above, on the pull request `pull_request_id` of `repo` (PullRequestDoesNotExist,
  // InvalidPullRequestId, RepositoryNotAssociatedWithPullRequest).
  Result<PostedComment> post_for_pull_request(const Repository& repo, std::string_view pull_request_id,
                                              const NewComment& comment, std::string_view caller_arn);
  // A reply, about what the comment it answers is about (CommentDoesNotExist, InvalidCommentId).
  Result<PostedComment> post_reply(const std::string& account, const std::string& region, std::string_view in_reply_to,
                                   std::string content, std::string client_request_token, std::string_view caller_arn);

  // The comment `id` in the account and region; CommentDeleted once its content was deleted.
  Result<PostedComment> get_comment(const std::string& account, const std::string& region, std::string_view id,
                                    std::string_view caller_arn) const;
  // The name of the repository the comment is in (for authorization); CommentDoesNotExist.
  Result<std::string> comment_repository(const std::string& account, const std::string& region,
                                         std::string_view id) const;
  // CommentNotCreatedByCaller, CommentDeleted, the content errors. Publishes *Updated.
  Result<PostedComment> update_comment(const std::string& account, const std::string& region, std::string_view id,
                                       std::string content, std::string_view caller_arn);
  // Keeps the row without its content (CommentDeleted the second time).
  Result<PostedComment> delete_comment_content(const std::string& account, const std::string& region,
                                               std::string_view id, std::string_view caller_arn);

  // Comments (replies included, deleted ones without content) in the order they were posted.
  // `before_commit` "" = comments on the after commit alone.
  Result<std::vector<PostedComment>> comments_for_compared_commit(const Repository& repo,
                                                                  std::string_view before_commit,
                                                                  std::string_view after_commit,
                                                                  std::string_view caller_arn) const;
  // Every comment on the pull request, or with `repository_name` only those on that comparison
  // (RepositoryNameRequired / CommitIdRequired when the filter is incomplete).
  Result<std::vector<PostedComment>> comments_for_pull_request(const std::string& account, const std::string& region,
                                                               std::string_view pull_request_id,
                                                               std::string_view repository_name,
                                                               std::string_view before_commit,
                                                               std::string_view after_commit,
                                                               std::string_view caller_arn) const;

  // Sets the caller's reaction ("", "none" remove it): InvalidReactionValue, CommentDeleted.
  Status put_reaction(const std::string& account, const std::string& region, std::string_view id,
                      std::string_view value, std::string_view caller_arn);
  // Reactions grouped by value, optionally only `user_arn`'s (InvalidReactionUserArn).
  Result<std::vector<ReactionUsers>> reactions(const std::string& account, const std::string& region,
                                               std::string_view id, std::string_view user_arn) const;

 private:
  Result<PostedComment> post(const Repository& repo, std::string pull_request_id, const NewComment& comment,
                             std::string_view caller_arn);

  CodeCommitEngine& repositories_;
  PullRequestLookup pull_requests_;
};

}  // namespace codecommit
