// CommentEngine against real git and ":memory:" SQLite, with a fake pull request lookup:
// comments on compared commits and pull requests, locations and blobs, replies, idempotency,
// edits and deletions, reactions, and the comment events.
#include "services/codecommit/engine/comments.h"

#include <gtest/gtest.h>

#include <map>

#include "testing/engine_fixture.h"

namespace codecommit {
namespace {

constexpr std::string_view kAnn = "arn:aws:iam::123456789012:user/ann";
constexpr std::string_view kBob = "arn:aws:sts::123456789012:assumed-role/Review/bob";
const std::string kAccount = "123456789012";
const std::string kRegion = "us-east-1";

class CommentsTest : public testing_support::EngineWithBusTest<CodeCommitEngine> {
 protected:
  CommentsTest() : EngineWithBusTest("codecommit-comments-test") {}

  void SetUp() override {
    EngineWithBusTest::SetUp();
    comments_ = std::make_unique<CommentEngine>(
        *engine_,
        [this](std::string_view account, std::string_view, std::string_view id) -> Result<PullRequestCommentTarget> {
          auto it = pull_requests_.find(std::string(id));
          if (account != kAccount || it == pull_requests_.end()) {
            return common::fail(error(Errc::PullRequestDoesNotExist, "no pull request " + std::string(id)));
          }
          return it->second;
        });
    ASSERT_TRUE(comments_->migrate().ok());
    auto repo = engine_->create_repository(RepoRef{kAccount, kRegion, "app"}, "", {});
    ASSERT_TRUE(repo.ok());
    first_ = put("", "README.md", "line 1\nline 2\n");
    second_ = put(first_, "README.md", "line 1\nline 2\nline 3\n");
    third_ = put(second_, "new.txt", "only after\n");
  }

  Repository repo() { return *engine_->get_repository(RepoRef{kAccount, kRegion, "app"}); }

  std::string put(const std::string& parent, const std::string& path, const std::string& content) {
    CommitRequest request;
    request.branch = "main";
    request.parent_commit_id = parent;
    request.author_name = "Ann";
    request.email = "ann@example.com";
    request.message = "put " + path;
    request.single_file = true;
    request.puts.push_back(PutFileEntry{path, "", content, {}, false});
    auto made = engine_->create_commit(repo(), request, kAnn);
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().message);
    return made.ok() ? made->commit_id : "";
  }

  NewComment on(const std::string& before, const std::string& after, const std::string& content = "looks good",
                std::optional<CommentLocation> location = std::nullopt, const std::string& token = "") {
    return NewComment{before, after, std::move(location), content, token};
  }

  PostedComment post(const NewComment& comment, std::string_view caller = kAnn) {
    auto r = comments_->post_for_compared_commit(repo(), comment, caller);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : PostedComment{};
  }

  Errc post_error(const NewComment& comment) {
    auto r = comments_->post_for_compared_commit(repo(), comment, kAnn);
    EXPECT_FALSE(r.ok());
    return r.ok() ? Errc::Internal : r.error().code;
  }

  std::vector<events::Event> events_of(const std::string& detail_type) {
    events::ReadQuery query;
    query.detail_type = detail_type;
    auto r = bus_->read(query);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<events::Event>{};
  }

  std::map<std::string, PullRequestCommentTarget> pull_requests_;
  std::unique_ptr<CommentEngine> comments_;
  std::string first_, second_, third_;
};

TEST_F(CommentsTest, PostOnComparedCommitsWithAFileLine) {
  PostedComment posted =
      post(on(first_, second_, "why a third line?", CommentLocation{"/README.md", 3, "AFTER"}, "token-1"));
  EXPECT_EQ(posted.comment.id.size(), 36u);
  EXPECT_EQ(posted.comment.content, "why a third line?");
  EXPECT_EQ(posted.comment.author_arn, kAnn);
  EXPECT_EQ(posted.comment.client_request_token, "token-1");
  EXPECT_FALSE(posted.comment.deleted);
  EXPECT_EQ(posted.comment.created, clock_.now());
  EXPECT_EQ(posted.subject.repository_name, "app");
  EXPECT_EQ(posted.subject.before_commit, first_);
  EXPECT_EQ(posted.subject.after_commit, second_);
  ASSERT_TRUE(posted.subject.location);
  EXPECT_EQ(posted.subject.location->file_path, "README.md");
  EXPECT_EQ(posted.subject.location->file_position, 3);
  EXPECT_EQ(posted.subject.before_blob.size(), 40u);
  EXPECT_EQ(posted.subject.after_blob.size(), 40u);
  EXPECT_NE(posted.subject.before_blob, posted.subject.after_blob);

  auto got = comments_->get_comment(kAccount, kRegion, posted.comment.id, kAnn);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->comment.content, "why a third line?");
  EXPECT_EQ(got->subject.after_blob, posted.subject.after_blob);
  // Another account cannot see it.
  EXPECT_EQ(comments_->get_comment("210987654321", kRegion, posted.comment.id, kAnn).error().code,
            Errc::CommentDoesNotExist);
}

TEST_F(CommentsTest, CommitsAreCheckedAndResolved) {
  EXPECT_EQ(post_error(on(first_, "")), Errc::CommitIdRequired);
  EXPECT_EQ(post_error(on(first_, "not-hex")), Errc::InvalidCommitId);
  EXPECT_EQ(post_error(on(first_, std::string(40, 'a'))), Errc::CommitDoesNotExist);
  EXPECT_EQ(post_error(on(std::string(40, 'b'), second_)), Errc::CommitDoesNotExist);
  EXPECT_EQ(post_error(on(second_, second_)), Errc::BeforeCommitIdAndAfterCommitIdAreSame);
  // Only the initial commit may be commented on without a before commit.
  EXPECT_EQ(post_error(on("", second_)), Errc::CommitIdRequired);
  PostedComment root = post(on("", first_));
  EXPECT_EQ(root.subject.before_commit, "");
  // An abbreviated id is stored in full.
  EXPECT_EQ(post(on(first_.substr(0, 10), second_)).subject.before_commit, first_);
}

TEST_F(CommentsTest, LocationsAreChecked) {
  auto at = [&](const std::string& path, std::optional<int64_t> line, const std::string& version) {
    return on(second_, third_, "x", CommentLocation{path, line, version});
  };
  EXPECT_EQ(post_error(at("", 1, "AFTER")), Errc::PathRequired);
  EXPECT_EQ(post_error(at("../etc/passwd", 1, "AFTER")), Errc::InvalidPath);
  EXPECT_EQ(post_error(at("/", 1, "AFTER")), Errc::InvalidFileLocation);
  EXPECT_EQ(post_error(at("missing.txt", 1, "AFTER")), Errc::PathDoesNotExist);
  EXPECT_EQ(post_error(at("README.md", 1, "SIDEWAYS")), Errc::InvalidRelativeFileVersionEnum);
  // new.txt exists only after.
  EXPECT_EQ(post_error(at("new.txt", 1, "BEFORE")), Errc::InvalidRelativeFileVersionEnum);
  EXPECT_EQ(post_error(at("README.md", 4, "AFTER")), Errc::InvalidFilePosition);
  EXPECT_EQ(post_error(at("README.md", -1, "AFTER")), Errc::InvalidFilePosition);

  PostedComment only_after = post(at("new.txt", 1, "AFTER"));
  EXPECT_EQ(only_after.subject.before_blob, "");
  EXPECT_EQ(only_after.subject.after_blob.size(), 40u);
  // A comment on the whole file has no position; without a version it is on the after side.
  PostedComment file = post(at("README.md", std::nullopt, ""));
  EXPECT_EQ(file.subject.location->relative_file_version, "AFTER");
  EXPECT_FALSE(file.subject.location->file_position);
  EXPECT_EQ(post(at("README.md", 3, "BEFORE")).subject.location->relative_file_version, "BEFORE");
}

TEST_F(CommentsTest, ContentIsRequiredAndLimited) {
  EXPECT_EQ(post_error(on(first_, second_, "")), Errc::CommentContentRequired);
  EXPECT_EQ(post_error(on(first_, second_, std::string(kMaxCommentLength + 1, 'x'))),
            Errc::CommentContentSizeLimitExceeded);
  std::string limit;
  for (size_t i = 0; i < kMaxCommentLength; ++i) limit += "\xc3\xa9";  // characters, not bytes
  post(on(first_, second_, limit));
}

TEST_F(CommentsTest, ClientRequestTokenMakesPostingIdempotent) {
  PostedComment once = post(on(first_, second_, "hello", std::nullopt, "token"));
  PostedComment twice = post(on(first_, second_, "hello", std::nullopt, "token"));
  EXPECT_EQ(twice.comment.id, once.comment.id);
  auto changed =
      comments_->post_for_compared_commit(repo(), on(first_, second_, "different", std::nullopt, "token"), kAnn);
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().code, Errc::IdempotencyParameterMismatch);
  auto listed = comments_->comments_for_compared_commit(repo(), first_, second_, kAnn);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 1u);
  // Without a token every post is new.
  post(on(first_, second_, "hello"));
  post(on(first_, second_, "hello"));
  EXPECT_EQ(comments_->comments_for_compared_commit(repo(), first_, second_, kAnn)->size(), 3u);
}

TEST_F(CommentsTest, RepliesShareTheirParentsSubject) {
  PostedComment parent = post(on(first_, second_, "q", CommentLocation{"README.md", 2, "BEFORE"}));
  auto reply = comments_->post_reply(kAccount, kRegion, parent.comment.id, "a", "reply-token", kBob);
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->comment.in_reply_to, parent.comment.id);
  EXPECT_EQ(reply->comment.author_arn, kBob);
  EXPECT_EQ(reply->subject.location->file_path, "README.md");
  EXPECT_EQ(reply->subject.before_blob, parent.subject.before_blob);
  auto again = comments_->post_reply(kAccount, kRegion, parent.comment.id, "a", "reply-token", kBob);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->comment.id, reply->comment.id);
  EXPECT_EQ(comments_->post_reply(kAccount, kRegion, "nope", "a", "", kBob).error().code, Errc::InvalidCommentId);
  EXPECT_EQ(
      comments_->post_reply(kAccount, kRegion, "00000000-0000-4000-8000-000000000000", "a", "", kBob).error().code,
      Errc::CommentDoesNotExist);

  auto listed = comments_->comments_for_compared_commit(repo(), first_, second_, kAnn);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].comment.id, parent.comment.id);
  EXPECT_EQ((*listed)[1].comment.id, reply->comment.id);
}

TEST_F(CommentsTest, ListingsFilterByComparison) {
  post(on(first_, second_, "a"));
  post(on(second_, third_, "b"));
  post(on("", first_, "root"));
  auto listed = comments_->comments_for_compared_commit(repo(), first_, second_, kAnn);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].comment.content, "a");
  auto root = comments_->comments_for_compared_commit(repo(), "", first_, kAnn);
  ASSERT_EQ(root->size(), 1u);
  EXPECT_EQ((*root)[0].comment.content, "root");
  EXPECT_EQ(comments_->comments_for_compared_commit(repo(), first_, std::string(40, 'c'), kAnn).error().code,
            Errc::CommitDoesNotExist);
  EXPECT_EQ(comments_->comments_for_compared_commit(repo(), first_, "", kAnn).error().code, Errc::CommitIdRequired);
}

TEST_F(CommentsTest, OnlyTheAuthorUpdatesAndDeletedCommentsStayWithoutContent) {
  PostedComment posted = post(on(first_, second_, "first words"));
  clock_.advance(std::chrono::seconds(30));
  EXPECT_EQ(comments_->update_comment(kAccount, kRegion, posted.comment.id, "hijack", kBob).error().code,
            Errc::CommentNotCreatedByCaller);
  EXPECT_EQ(comments_->update_comment(kAccount, kRegion, posted.comment.id, "", kAnn).error().code,
            Errc::CommentContentRequired);
  auto updated = comments_->update_comment(kAccount, kRegion, posted.comment.id, "second words", kAnn);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->comment.content, "second words");
  EXPECT_EQ(updated->comment.modified, clock_.now());
  EXPECT_EQ(updated->comment.created, posted.comment.created);

  // Anyone allowed to may delete the content; the row stays.
  auto deleted = comments_->delete_comment_content(kAccount, kRegion, posted.comment.id, kBob);
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(deleted->comment.deleted);
  EXPECT_EQ(deleted->comment.content, "");
  EXPECT_EQ(deleted->comment.author_arn, kAnn);
  EXPECT_EQ(comments_->get_comment(kAccount, kRegion, posted.comment.id, kAnn).error().code, Errc::CommentDeleted);
  EXPECT_EQ(comments_->update_comment(kAccount, kRegion, posted.comment.id, "x", kAnn).error().code,
            Errc::CommentDeleted);
  EXPECT_EQ(comments_->delete_comment_content(kAccount, kRegion, posted.comment.id, kAnn).error().code,
            Errc::CommentDeleted);
  EXPECT_EQ(comments_->put_reaction(kAccount, kRegion, posted.comment.id, ":smile:", kAnn).error().code,
            Errc::CommentDeleted);
  auto listed = comments_->comments_for_compared_commit(repo(), first_, second_, kAnn);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE((*listed)[0].comment.deleted);
  EXPECT_EQ((*listed)[0].comment.content, "");
}

TEST_F(CommentsTest, ReactionsAreOnePerUserInAnyForm) {
  PostedComment posted = post(on(first_, second_));
  const std::string& id = posted.comment.id;
  ASSERT_TRUE(comments_->put_reaction(kAccount, kRegion, id, ":thumbsup:", kAnn).ok());
  ASSERT_TRUE(comments_->put_reaction(kAccount, kRegion, id, "\xF0\x9F\x91\x8D", kBob).ok());  // 👍
  auto got = comments_->get_comment(kAccount, kRegion, id, kAnn);
  EXPECT_EQ(got->comment.reaction_counts, (std::map<std::string, int>{{"THUMBSUP", 2}}));
  EXPECT_EQ(got->comment.caller_reactions, std::vector<std::string>{"THUMBSUP"});

  // A new value replaces the caller's reaction.
  ASSERT_TRUE(comments_->put_reaction(kAccount, kRegion, id, "U+1F604", kBob).ok());
  got = comments_->get_comment(kAccount, kRegion, id, kBob);
  EXPECT_EQ(got->comment.reaction_counts, (std::map<std::string, int>{{"SMILE", 1}, {"THUMBSUP", 1}}));
  EXPECT_EQ(got->comment.caller_reactions, std::vector<std::string>{"SMILE"});

  auto groups = comments_->reactions(kAccount, kRegion, id, "");
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].reaction.short_code, ":thumbsup:");
  EXPECT_EQ((*groups)[0].reaction.unicode, "U+1F44D");
  EXPECT_EQ((*groups)[0].users, std::vector<std::string>{std::string(kAnn)});
  auto bobs = comments_->reactions(kAccount, kRegion, id, kBob);
  ASSERT_EQ(bobs->size(), 1u);
  EXPECT_EQ((*bobs)[0].reaction.emoji, "\xF0\x9F\x98\x84");
  EXPECT_EQ(comments_->reactions(kAccount, kRegion, id, "bob").error().code, Errc::InvalidReactionUserArn);

  EXPECT_EQ(comments_->put_reaction(kAccount, kRegion, id, ":not-an-emoji:", kAnn).error().code,
            Errc::InvalidReactionValue);
  ASSERT_TRUE(comments_->put_reaction(kAccount, kRegion, id, "none", kAnn).ok());
  ASSERT_TRUE(comments_->put_reaction(kAccount, kRegion, id, "", kBob).ok());
  EXPECT_TRUE(comments_->reactions(kAccount, kRegion, id, "")->empty());
}

TEST_F(CommentsTest, ReactionValuesHaveThreeForms) {
  for (std::string_view value : {"\xE2\x9D\xA4", "\xE2\x9D\xA4\xEF\xB8\x8F", ":heart:", "heart", "u+2764"}) {
    auto reaction = find_reaction(value);
    ASSERT_TRUE(reaction) << value;
    EXPECT_EQ(reaction->key, "HEART") << value;
  }
  EXPECT_FALSE(find_reaction(":poop:"));
  EXPECT_EQ(reaction_by_key("CLAP")->short_code, ":clap:");
}

TEST_F(CommentsTest, PullRequestCommentsUseTheLookup) {
  pull_requests_["7"] = PullRequestCommentTarget{"7", "app", second_, third_, "OPEN"};
  auto posted = comments_->post_for_pull_request(repo(), "7", on(second_, third_, "on the PR"), kBob);
  ASSERT_TRUE(posted.ok()) << posted.error().message;
  EXPECT_EQ(posted->subject.pull_request_id, "7");
  EXPECT_EQ(comments_->post_for_pull_request(repo(), "8", on(second_, third_), kBob).error().code,
            Errc::PullRequestDoesNotExist);
  // Pull requests always compare two commits.
  EXPECT_EQ(comments_->post_for_pull_request(repo(), "7", on("", third_), kBob).error().code, Errc::CommitIdRequired);
  auto other = engine_->create_repository(RepoRef{kAccount, kRegion, "other"}, "", {});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(comments_->post_for_pull_request(*other, "7", on(second_, third_), kBob).error().code,
            Errc::RepositoryNotAssociatedWithPullRequest);
  auto reply = comments_->post_reply(kAccount, kRegion, posted->comment.id, "reply", "", kAnn);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->subject.pull_request_id, "7");

  // Pull request comments are not compared-commit comments, and the other way round.
  post(on(second_, third_, "plain"));
  auto all = comments_->comments_for_pull_request(kAccount, kRegion, "7", "", "", "", kAnn);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].comment.in_reply_to, posted->comment.id);
  EXPECT_EQ(comments_->comments_for_compared_commit(repo(), second_, third_, kAnn)->size(), 1u);

  auto filtered = comments_->comments_for_pull_request(kAccount, kRegion, "7", "app", second_, third_, kAnn);
  ASSERT_TRUE(filtered.ok());
  EXPECT_EQ(filtered->size(), 2u);
  EXPECT_TRUE(comments_->comments_for_pull_request(kAccount, kRegion, "7", "app", first_, second_, kAnn)->empty());
  EXPECT_EQ(comments_->comments_for_pull_request(kAccount, kRegion, "7", "", second_, third_, kAnn).error().code,
            Errc::RepositoryNameRequired);
  EXPECT_EQ(comments_->comments_for_pull_request(kAccount, kRegion, "7", "app", "", third_, kAnn).error().code,
            Errc::CommitIdRequired);
  EXPECT_EQ(comments_->comments_for_pull_request(kAccount, kRegion, "7", "other", second_, third_, kAnn).error().code,
            Errc::RepositoryNotAssociatedWithPullRequest);
  EXPECT_EQ(comments_->comments_for_pull_request(kAccount, kRegion, "9", "", "", "", kAnn).error().code,
            Errc::PullRequestDoesNotExist);
}

TEST_F(CommentsTest, CommentsFollowRenamesAndGoWithTheirRepository) {
  PostedComment posted = post(on(first_, second_));
  ASSERT_TRUE(engine_->rename_repository(RepoRef{kAccount, kRegion, "app"}, "renamed").ok());
  EXPECT_EQ(*comments_->comment_repository(kAccount, kRegion, posted.comment.id), "renamed");
  ASSERT_TRUE(engine_->delete_repository(RepoRef{kAccount, kRegion, "renamed"}).ok());
  EXPECT_EQ(comments_->get_comment(kAccount, kRegion, posted.comment.id, kAnn).error().code, Errc::CommentDoesNotExist);
}

TEST_F(CommentsTest, CommentsPublishEvents) {
  Repository app = repo();
  PostedComment posted = post(on(first_, second_, "c"));
  ASSERT_TRUE(comments_->post_reply(kAccount, kRegion, posted.comment.id, "r", "", kBob).ok());
  ASSERT_TRUE(comments_->update_comment(kAccount, kRegion, posted.comment.id, "c2", kAnn).ok());
  pull_requests_["7"] = PullRequestCommentTarget{"7", "app", second_, third_, "OPEN"};
  ASSERT_TRUE(comments_->post_for_pull_request(app, "7", on(second_, third_), kBob).ok());
  ASSERT_TRUE(comments_->put_reaction(kAccount, kRegion, posted.comment.id, ":thumbsdown:", kBob).ok());
  ASSERT_TRUE(comments_->put_reaction(kAccount, kRegion, posted.comment.id, ":smile:", kBob).ok());

  auto on_commit = events_of("CodeCommit Comment on Commit");
  ASSERT_EQ(on_commit.size(), 3u);
  EXPECT_EQ(on_commit[0].resources, std::vector<std::string>{app.arn});
  const common::Json& created = on_commit[0].detail;
  EXPECT_EQ(created["event"], "commentOnCommitCreated");
  EXPECT_EQ(created["commentId"], posted.comment.id);
  EXPECT_EQ(created["beforeCommitId"], first_);
  EXPECT_EQ(created["afterCommitId"], second_);
  EXPECT_EQ(created["repositoryName"], "app");
  EXPECT_EQ(created["repositoryId"], app.id);
  EXPECT_EQ(created["callerUserArn"], kAnn);
  EXPECT_FALSE(created.contains("inReplyTo"));
  EXPECT_NE(created["notificationBody"].get<std::string>().find("made a comment"), std::string::npos);
  EXPECT_EQ(on_commit[1].detail["inReplyTo"], posted.comment.id);
  EXPECT_EQ(on_commit[2].detail["event"], "commentOnCommitUpdated");

  auto on_pull_request = events_of("CodeCommit Comment on Pull Request");
  ASSERT_EQ(on_pull_request.size(), 1u);
  EXPECT_EQ(on_pull_request[0].detail["event"], "commentOnPullRequestCreated");
  EXPECT_EQ(on_pull_request[0].detail["pullRequestId"], "7");

  auto reactions = events_of("CodeCommit Comment Reaction Change");
  ASSERT_EQ(reactions.size(), 2u);
  EXPECT_EQ(reactions[0].detail["event"], "commentReactionCreated");
  EXPECT_EQ(reactions[0].detail["reactionShortcodes"], common::Json::array({":thumbsdown:"}));
  EXPECT_EQ(reactions[1].detail["event"], "commentReactionUpdated");
  EXPECT_EQ(reactions[1].detail["reactionUnicodes"], common::Json::array({"U+1F604"}));
}

}  // namespace
}  // namespace codecommit
