// Comments: PostCommentForComparedCommit, PostCommentForPullRequest, PostCommentReply,
// GetComment, GetCommentsForComparedCommit, GetCommentsForPullRequest, UpdateComment,
// DeleteCommentContent, PutCommentReaction, GetCommentReactions.
//
// IAM: every comment operation is authorized on its repository's ARN; the ones that name only a
// comment look it up to find its repository ("*" when there is none, so a missing comment
// reveals nothing to a caller without access).
#include "gen/codecommit/errors.h"
#include "services/codecommit/api/api.h"
#include "services/codecommit/api/max_results.h"

namespace codecommit::api {
namespace {

constexpr size_t kDefaultComments = 100;  // AWS: "The default is 100 comments ... up to 500."
constexpr size_t kMaxComments = 500;
constexpr size_t kMaxReactions = 1000;  // AWS: "The default is the same as the allowed maximum, 1,000."

std::optional<CommentLocation> location_of(const Json& input) {
  auto it = input.find("location");
  if (it == input.end() || !it->is_object()) return std::nullopt;
  CommentLocation location;
  location.file_path = str(*it, "filePath");
  if (auto position = it->find("filePosition"); position != it->end() && position->is_number_integer()) {
    location.file_position = position->get<int64_t>();
  }
  location.relative_file_version = str(*it, "relativeFileVersion");
  return location;
}

NewComment new_comment(const Json& input) {
  return NewComment{str(input, "beforeCommitId"), str(input, "afterCommitId"), location_of(input),
                    str(input, "content"), str(input, "clientRequestToken")};
}

Json comment_json(const Comment& c) {
  Json counts = Json::object();
  for (const auto& [key, count] : c.reaction_counts) counts[key] = count;
  Json out{{"commentId", c.id},
           {"creationDate", common::to_epoch_seconds(c.created)},
           {"lastModifiedDate", common::to_epoch_seconds(c.modified)},
           {"authorArn", c.author_arn},
           {"deleted", c.deleted},
           {"callerReactions", c.caller_reactions},
           {"reactionCounts", std::move(counts)}};
  if (!c.deleted) out["content"] = c.content;
  if (!c.in_reply_to.empty()) out["inReplyTo"] = c.in_reply_to;
  if (!c.client_request_token.empty()) out["clientRequestToken"] = c.client_request_token;
  return out;
}

// The members the Post* outputs and each GetCommentsFor* entry share.
Json subject_json(const CommentSubject& s) {
  Json out{{"repositoryName", s.repository_name}, {"afterCommitId", s.after_commit}};
  if (!s.pull_request_id.empty()) out["pullRequestId"] = s.pull_request_id;
  if (!s.before_commit.empty()) out["beforeCommitId"] = s.before_commit;
  if (!s.before_blob.empty()) out["beforeBlobId"] = s.before_blob;
  if (!s.after_blob.empty()) out["afterBlobId"] = s.after_blob;
  if (s.location) {
    Json location{{"filePath", s.location->file_path}, {"relativeFileVersion", s.location->relative_file_version}};
    if (s.location->file_position) location["filePosition"] = *s.location->file_position;
    out["location"] = std::move(location);
  }
  return out;
}

HandlerResult posted_result(const Result<PostedComment>& posted, std::string_view repository_name) {
  if (!posted.ok()) return common::fail(to_aws_error(posted.error(), repository_name));
  Json out = subject_json(posted->subject);
  out["comment"] = comment_json(posted->comment);
  return out;
}

HandlerResult comment_result(const Result<PostedComment>& posted) {
  if (!posted.ok()) return common::fail(to_aws_error(posted.error(), ""));
  return Json{{"comment", comment_json(posted->comment)}};
}

// One page of comments (paged over comments, not groups), grouped by what they are about in
// the order each subject first appears.
HandlerResult comments_page(const Json& input, const Result<std::vector<PostedComment>>& comments,
                            std::string_view repository_name, const char* member) {
  if (!comments.ok()) return common::fail(to_aws_error(comments.error(), repository_name));
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  auto size = max_results(input, kDefaultComments, kMaxComments, /*clamp=*/false);
  if (!size.ok()) return common::fail(size.error());
  std::vector<std::string> keys;
  Json groups = Json::array();
  for (size_t i = *offset; i < comments->size() && i < *offset + *size; ++i) {
    const PostedComment& posted = (*comments)[i];
    Json subject = subject_json(posted.subject);
    std::string key = subject.dump();
    size_t at = std::find(keys.begin(), keys.end(), key) - keys.begin();
    if (at == keys.size()) {
      keys.push_back(key);
      subject["comments"] = Json::array();
      groups.push_back(std::move(subject));
    }
    groups[at]["comments"].push_back(comment_json(posted.comment));
  }
  Json out{{member, std::move(groups)}};
  if (*offset + *size < comments->size()) out["nextToken"] = page_token(*offset + *size);
  return out;
}

HandlerResult post_comment_for_compared_commit(Api& api, RequestContext& context, const Json& input) {
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  return posted_result(
      api.engines.comments.post_for_compared_commit(*repository, new_comment(input), context.principal.arn),
      repository->name);
}

HandlerResult post_comment_for_pull_request(Api& api, RequestContext& context, const Json& input) {
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  return posted_result(api.engines.comments.post_for_pull_request(*repository, str(input, "pullRequestId"),
                                                                  new_comment(input), context.principal.arn),
                       repository->name);
}

HandlerResult post_comment_reply(Api& api, RequestContext& context, const Json& input) {
  return comment_result(api.engines.comments.post_reply(context.account_id(), context.region, str(input, "inReplyTo"),
                                                        str(input, "content"), str(input, "clientRequestToken"),
                                                        context.principal.arn));
}

HandlerResult get_comment(Api& api, RequestContext& context, const Json& input) {
  return comment_result(api.engines.comments.get_comment(context.account_id(), context.region, str(input, "commentId"),
                                                         context.principal.arn));
}

HandlerResult update_comment(Api& api, RequestContext& context, const Json& input) {
  return comment_result(api.engines.comments.update_comment(
      context.account_id(), context.region, str(input, "commentId"), str(input, "content"), context.principal.arn));
}

HandlerResult delete_comment_content(Api& api, RequestContext& context, const Json& input) {
  return comment_result(api.engines.comments.delete_comment_content(context.account_id(), context.region,
                                                                    str(input, "commentId"), context.principal.arn));
}

HandlerResult get_comments_for_compared_commit(Api& api, RequestContext& context, const Json& input) {
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  return comments_page(
      input,
      api.engines.comments.comments_for_compared_commit(*repository, str(input, "beforeCommitId"),
                                                        str(input, "afterCommitId"), context.principal.arn),
      repository->name, "commentsForComparedCommitData");
}

HandlerResult get_comments_for_pull_request(Api& api, RequestContext& context, const Json& input) {
  std::string repository = str(input, "repositoryName");
  return comments_page(input,
                       api.engines.comments.comments_for_pull_request(
                           context.account_id(), context.region, str(input, "pullRequestId"), repository,
                           str(input, "beforeCommitId"), str(input, "afterCommitId"), context.principal.arn),
                       repository, "commentsForPullRequestData");
}

HandlerResult put_comment_reaction(Api& api, RequestContext& context, const Json& input) {
  auto done = api.engines.comments.put_reaction(context.account_id(), context.region, str(input, "commentId"),
                                                str(input, "reactionValue"), context.principal.arn);
  if (!done.ok()) return common::fail(to_aws_error(done.error(), ""));
  return Json::object();
}

HandlerResult get_comment_reactions(Api& api, RequestContext& context, const Json& input) {
  auto size = max_results(input, kMaxReactions, kMaxReactions, /*clamp=*/false);
  if (!size.ok()) return common::fail(size.error());
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  auto groups = api.engines.comments.reactions(context.account_id(), context.region, str(input, "commentId"),
                                               str(input, "reactionUserArn"));
  if (!groups.ok()) return common::fail(to_aws_error(groups.error(), ""));
  Json page = Json::array();
  for (size_t i = *offset; i < groups->size() && i < *offset + *size; ++i) {
    const ReactionUsers& group = (*groups)[i];
    page.push_back({{"reaction",
                     {{"emoji", group.reaction.emoji},
                      {"shortCode", group.reaction.short_code},
                      {"unicode", group.reaction.unicode}}},
                    {"reactionUsers", group.users},
                    {"reactionsFromDeletedUsersCount", 0}});
  }
  Json out{{"reactionsForComment", std::move(page)}};
  if (*offset + *size < groups->size()) out["nextToken"] = page_token(*offset + *size);
  return out;
}

// Authorization on the repository of the comment `member` names.
dispatch::AuthzFn on_comment(std::shared_ptr<Api> api, const char* member) {
  return [api, member](const RequestContext& context, const Json& input) {
    auto repository =
        api->engines.comments.comment_repository(context.account_id(), context.region, str(input, member));
    if (!repository.ok()) return dispatch::AuthzTarget{};
    return repository_target(context, *repository);
  };
}

// GetCommentsForPullRequest: the repository it names, else the pull request's.
dispatch::AuthzFn on_pull_request(std::shared_ptr<Api> api) {
  return [api](const RequestContext& context, const Json& input) {
    std::string repository = str(input, "repositoryName");
    if (repository.empty()) {
      auto target =
          api->engines.pull_requests.comment_target(context.account_id(), context.region, str(input, "pullRequestId"));
      if (!target.ok()) return dispatch::AuthzTarget{};
      repository = target->repository_name;
    }
    return repository_target(context, repository);
  };
}

}  // namespace

void register_comments(Registrar& r) {
  r.add("PostCommentForComparedCommit", on_repository(), post_comment_for_compared_commit);
  r.add("PostCommentForPullRequest", on_repository(), post_comment_for_pull_request);
  r.add("GetCommentsForComparedCommit", on_repository(), get_comments_for_compared_commit);
  r.add("GetCommentsForPullRequest", on_pull_request(r.api), get_comments_for_pull_request);
  r.add("PostCommentReply", on_comment(r.api, "inReplyTo"), post_comment_reply);
  r.add("GetComment", on_comment(r.api, "commentId"), get_comment);
  r.add("UpdateComment", on_comment(r.api, "commentId"), update_comment);
  r.add("DeleteCommentContent", on_comment(r.api, "commentId"), delete_comment_content);
  r.add("PutCommentReaction", on_comment(r.api, "commentId"), put_comment_reaction);
  r.add("GetCommentReactions", on_comment(r.api, "commentId"), get_comment_reactions);
}

}  // namespace codecommit::api
