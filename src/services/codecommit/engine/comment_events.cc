// The events comments and reactions publish, with AWS's detail fields (CodeCommit user guide,
// "Monitoring CodeCommit events"): commentOnCommitCreated/Updated, commentOnPullRequestCreated/
// Updated and commentReactionCreated/Updated.
#include "services/codecommit/engine/comment_store.h"

namespace codecommit {
namespace {

Status append(events::Bus& bus, const Repository& repo, std::string detail_type, common::Json detail) {
  events::Event event;
  event.source = "aws.codecommit";
  event.detail_type = std::move(detail_type);
  event.account = repo.account;
  event.region = repo.region;
  event.resources = {repo.arn};
  event.detail = std::move(detail);
  if (auto r = bus.append(event); !r.ok()) return common::fail(internal_error(r.error()));
  return common::ok();
}

std::string console(const Repository& repo) {
  return "https://" + repo.region + ".console.aws.amazon.com/codesuite/codecommit/repositories/" + repo.name;
}

}  // namespace

Status append_comment_event(events::Bus& bus, const Repository& repo, const CommentRow& row, CommentEvent kind,
                            std::string_view caller_arn) {
  const CommentSubject& subject = row.subject;
  bool on_pull_request = !subject.pull_request_id.empty();
  bool created = kind == CommentEvent::Created;
  std::string verb = created ? "made a comment" : "updated a comment or replied to a comment";
  std::string body = "A comment event occurred in the following AWS CodeCommit repository: " + repo.name +
                     ". The user " + std::string(caller_arn) + " " + verb + ". ";
  if (on_pull_request) {
    body += "The comment was made on the following Pull Request: " + subject.pull_request_id +
            ". For more information, go to the AWS CodeCommit console " + console(repo) + "/pull-requests/" +
            subject.pull_request_id + "/activity#" + row.comment.id;
  } else {
    body += "The comment was made on the following comment ID: " + row.comment.id +
            ". For more information, go to the AWS CodeCommit console " + console(repo) + "/compare/" +
            subject.before_commit + "/.../" + subject.after_commit + "?region=" + repo.region;
  }
  std::string prefix = on_pull_request ? "commentOnPullRequest" : "commentOnCommit";
  common::Json detail = {
      {"afterCommitId", subject.after_commit},
      {"beforeCommitId", subject.before_commit},
      {"callerUserArn", std::string(caller_arn)},
      {"commentId", row.comment.id},
      {"event", prefix + (created ? "Created" : "Updated")},
      {"notificationBody", body},
      {"repositoryId", repo.id},
      {"repositoryName", repo.name},
  };
  if (!row.comment.in_reply_to.empty()) detail["inReplyTo"] = row.comment.in_reply_to;
  if (on_pull_request) detail["pullRequestId"] = subject.pull_request_id;
  return append(bus, repo, on_pull_request ? "CodeCommit Comment on Pull Request" : "CodeCommit Comment on Commit",
                std::move(detail));
}

Status append_reaction_event(events::Bus& bus, const Repository& repo, std::string_view comment_id,
                             const Reaction& reaction, bool updated, std::string_view caller_arn) {
  std::string body =
      "A comment reaction event occurred in the following AWS CodeCommit Repository: " + repo.name +
      ". The user: " + std::string(caller_arn) +
      (updated ? " updated a reaction " + reaction.short_code : " made a comment reaction " + reaction.emoji) +
      " to the comment with comment ID: " + std::string(comment_id);
  common::Json detail = {
      {"callerUserArn", std::string(caller_arn)},
      {"commentId", std::string(comment_id)},
      {"event", updated ? "commentReactionUpdated" : "commentReactionCreated"},
      {"notificationBody", body},
      {"reactionEmojis", common::Json::array({reaction.emoji})},
      {"reactionShortcodes", common::Json::array({reaction.short_code})},
      {"reactionUnicodes", common::Json::array({reaction.unicode})},
      {"repositoryId", repo.id},
      {"repositoryName", repo.name},
  };
  return append(bus, repo, "CodeCommit Comment Reaction Change", std::move(detail));
}

}  // namespace codecommit
