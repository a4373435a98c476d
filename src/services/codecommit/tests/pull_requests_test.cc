// PullRequestEngine against real git, ":memory:" SQLite and the event bus: creation, targets
// following pushes (revisions, merged or deleted branches), approval rules, approvals,
// overrides, events, and merges through MergeEngine.
#include "services/codecommit/engine/pull_requests.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "git/process.h"
#include "testing/engine_fixture.h"

namespace codecommit {
namespace {

constexpr const char* kAccount = "123456789012";
constexpr const char* kAuthor = "arn:aws:iam::123456789012:user/author";
constexpr const char* kApprover = "arn:aws:iam::123456789012:user/approver";
constexpr const char* kOther = "arn:aws:iam::123456789012:user/other";
constexpr const char* kOneApprover =
    R"({"Version": "2018-11-08", "Statements": [{"Type": "Approvers", "NumberOfApprovalsNeeded": 1,
        "ApprovalPoolMembers": ["CodeCommitApprovers:123456789012:approver"]}]})";

class PullRequestsTest : public testing_support::EngineWithBusTest<CodeCommitEngine> {
 protected:
  PullRequestsTest() : EngineWithBusTest("codecommit-pull-requests-test") {}

  void SetUp() override {
    EngineWithBusTest::SetUp();
    merges_ = std::make_unique<MergeEngine>(*engine_);
    prs_ = std::make_unique<PullRequestEngine>(
        *engine_, *merges_, [this](const Repository&) { return Result<std::vector<TemplateRule>>(templates_); });
    ASSERT_TRUE(prs_->migrate().ok());
    repo_ = *engine_->create_repository(RepoRef{kAccount, "us-east-1", "app"}, "", {});
    main_ = put("main", "", "README.md", "hello\n");
    ASSERT_TRUE(engine_->create_branch(fresh(), "feature", main_, kAuthor).ok());
    feature_ = put("feature", main_, "feature.txt", "feature\n");
  }

  void TearDown() override {
    prs_.reset();
    merges_.reset();
    EngineWithBusTest::TearDown();
  }

  Repository fresh() { return *engine_->get_repository(RepoRef{kAccount, "us-east-1", "app"}); }

  // A commit on `branch` through the API (which publishes referenceUpdated, as a push does).
  std::string put(const std::string& branch, const std::string& parent, const std::string& path,
                  const std::string& content, const std::string& caller = kAuthor) {
    CommitRequest request;
    request.branch = branch;
    request.parent_commit_id = parent;
    request.author_name = "Ann";
    request.email = "ann@example.com";
    request.message = "put " + path;
    request.puts.push_back(PutFileEntry{path, "", content, {}, false});
    auto made = engine_->create_commit(fresh(), request, caller);
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().message);
    return made.ok() ? made->commit_id : "";
  }

  // Moves a ref with git alone, as a push the bus has not heard of yet.
  void move_quietly(const std::string& ref, const std::string& commit) {
    git::RunOptions options;
    options.git_dir = repo_.git_dir;
    auto r = git::run({"update-ref", ref, commit}, options);
    ASSERT_EQ(r->exit_code, 0) << r->err;
  }

  // A push: git moves the ref, then the git front records the change (and the bus tells us).
  void push(const std::string& ref, const std::string& old_commit, const std::string& new_commit,
            const std::string& pusher) {
    auto pending = engine_->begin_push(fresh(), {PushedRef{ref, old_commit, new_commit}}, pusher);
    ASSERT_TRUE(pending.ok() && *pending);
    git::RunOptions options;
    options.git_dir = repo_.git_dir;
    auto r = new_commit == git::kZeroId ? git::run({"update-ref", "-d", ref}, options)
                                        : git::run({"update-ref", ref, new_commit}, options);
    ASSERT_EQ(r->exit_code, 0) << r->err;
    ASSERT_TRUE(engine_->finish_push(**pending).ok());
  }

  PullRequestKey key(const std::string& id) { return PullRequestKey{kAccount, "us-east-1", id}; }

  PullRequest open(const std::string& source = "feature", const std::string& destination = "main",
                   const std::string& token = "") {
    auto pr =
        prs_->create(fresh(), NewPullRequest{"Add feature", "Please review", source, destination, token}, kAuthor);
    EXPECT_TRUE(pr.ok()) << (pr.ok() ? "" : pr.error().message);
    return pr.ok() ? *pr : PullRequest{};
  }

  std::vector<events::Event> pull_request_events() {
    events::ReadQuery query;
    query.detail_type = "CodeCommit Pull Request State Change";
    auto r = bus_->read(query);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<events::Event>{};
  }

  std::vector<std::string> bus_event_names() {
    std::vector<std::string> names;
    for (const auto& e : pull_request_events()) names.push_back(e.detail["event"].get<std::string>());
    return names;
  }

  std::vector<std::string> event_types(const std::string& id) {
    std::vector<std::string> types;
    auto events = prs_->events(key(id), "", "");
    EXPECT_TRUE(events.ok());
    if (!events.ok()) return types;
    for (const auto& e : *events) types.push_back(e.type);
    return types;
  }

  Errc code_of(const Status& s) { return s.ok() ? Errc::Internal : s.error().code; }
  template <class T>
  Errc code_of(const Result<T>& r) {
    return r.ok() ? Errc::Internal : r.error().code;
  }

  std::vector<TemplateRule> templates_;
  std::unique_ptr<MergeEngine> merges_;
  std::unique_ptr<PullRequestEngine> prs_;
  Repository repo_;
  std::string main_, feature_;
};

TEST_F(PullRequestsTest, CreateNumbersPerAccountAndRegionAndRecordsTargets) {
  PullRequest pr = open();
  EXPECT_EQ(pr.id, "1");
  EXPECT_EQ(pr.status, "OPEN");
  EXPECT_EQ(pr.author_arn, kAuthor);
  EXPECT_EQ(pr.title, "Add feature");
  EXPECT_EQ(pr.description, "Please review");
  EXPECT_EQ(pr.revision_id.size(), 64u);
  EXPECT_EQ(pr.created, clock_.now());
  EXPECT_EQ(pr.target.repository_name, "app");
  EXPECT_EQ(pr.target.source_reference, "refs/heads/feature");
  EXPECT_EQ(pr.target.destination_reference, "refs/heads/main");
  EXPECT_EQ(pr.target.source_commit, feature_);
  EXPECT_EQ(pr.target.destination_commit, main_);
  EXPECT_EQ(pr.target.merge_base, main_);
  EXPECT_FALSE(pr.target.is_merged);
  EXPECT_EQ(open("refs/heads/feature", "refs/heads/main").id, "2");
  // Another region counts on its own.
  auto west = engine_->create_repository(RepoRef{kAccount, "eu-west-1", "app"}, "", {});
  CommitRequest request;
  request.branch = "main";
  request.puts.push_back(PutFileEntry{"a", "", "a", {}, false});
  std::string west_main = engine_->create_commit(*west, request, kAuthor)->commit_id;
  ASSERT_TRUE(engine_->create_branch(*west, "f", west_main, kAuthor).ok());
  request.branch = "f";
  request.parent_commit_id = west_main;
  request.puts[0].content = "b";
  ASSERT_TRUE(engine_->create_commit(*west, request, kAuthor).ok());
  auto other = prs_->create(*engine_->get_repository(RepoRef{kAccount, "eu-west-1", "app"}),
                            NewPullRequest{"t", "", "f", "", ""}, kAuthor);
  ASSERT_TRUE(other.ok()) << other.error().message;
  EXPECT_EQ(other->id, "1");
  EXPECT_EQ(other->target.destination_reference, "refs/heads/main");  // the default branch
}

TEST_F(PullRequestsTest, CreateRefusesBadReferences) {
  auto create = [&](const std::string& source, const std::string& destination) {
    return prs_->create(fresh(), NewPullRequest{"t", "", source, destination, ""}, kAuthor);
  };
  EXPECT_EQ(code_of(create("refs/tags/v1", "main")), Errc::ReferenceTypeNotSupported);
  EXPECT_EQ(code_of(create("a..b", "main")), Errc::InvalidReferenceName);
  EXPECT_EQ(code_of(create("nope", "main")), Errc::ReferenceDoesNotExist);
  EXPECT_EQ(code_of(create("feature", "nope")), Errc::ReferenceDoesNotExist);
  EXPECT_EQ(code_of(create("main", "refs/heads/main")), Errc::SourceAndDestinationAreSame);
  EXPECT_TRUE(prs_->list(fresh(), "", "")->empty());
}

TEST_F(PullRequestsTest, ClientRequestTokenIsIdempotent) {
  PullRequest first = open("feature", "main", "token-1");
  PullRequest again = open("feature", "main", "token-1");
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.client_request_token, "token-1");
  auto changed =
      prs_->create(fresh(), NewPullRequest{"Other title", "Please review", "feature", "main", "token-1"}, kAuthor);
  EXPECT_EQ(code_of(changed), Errc::IdempotencyParameterMismatch);
  EXPECT_EQ(prs_->list(fresh(), "", "")->size(), 1u);
}

TEST_F(PullRequestsTest, TemplatesMatchingTheDestinationBecomeRules) {
  templates_ = {
      TemplateRule{"t-main", "main-needs-one",
                   R"({"Version": "2018-11-08", "DestinationReferences": ["refs/heads/main"],
                       "Statements": [{"Type": "Approvers", "NumberOfApprovalsNeeded": 1}]})"},
      TemplateRule{"t-dev", "dev-needs-two",
                   R"({"Version": "2018-11-08", "DestinationReferences": ["refs/heads/dev"],
                       "Statements": [{"Type": "Approvers", "NumberOfApprovalsNeeded": 2}]})"},
  };
  PullRequest pr = open();
  ASSERT_EQ(pr.rules.size(), 1u);
  EXPECT_EQ(pr.rules[0].name, "main-needs-one");
  EXPECT_EQ(pr.rules[0].template_id, "t-main");
  EXPECT_EQ(pr.rules[0].content_sha256, rule_content_sha256(templates_[0].content));
  // Rules from templates can be neither changed nor deleted, only overridden.
  EXPECT_EQ(code_of(prs_->update_rule(key(pr.id), "main-needs-one", "", kOneApprover, kAuthor)),
            Errc::CannotModifyApprovalRuleFromTemplate);
  EXPECT_EQ(code_of(prs_->delete_rule(key(pr.id), "main-needs-one", kAuthor)),
            Errc::CannotDeleteApprovalRuleFromTemplate);
  auto evaluation = prs_->evaluate(key(pr.id), pr.revision_id);
  ASSERT_TRUE(evaluation.ok());
  EXPECT_FALSE(evaluation->approved);
  EXPECT_EQ(evaluation->not_satisfied, std::vector<std::string>{"main-needs-one"});
}

TEST_F(PullRequestsTest, ApprovalRulesAndApprovals) {
  PullRequest pr = open();
  auto rule = prs_->create_rule(key(pr.id), "one approver", kOneApprover, kAuthor);
  ASSERT_TRUE(rule.ok()) << rule.error().message;
  EXPECT_EQ(rule->content_sha256, rule_content_sha256(kOneApprover));
  EXPECT_EQ(rule->last_modified_user, kAuthor);
  EXPECT_EQ(code_of(prs_->create_rule(key(pr.id), "one approver", kOneApprover, kAuthor)),
            Errc::ApprovalRuleNameAlreadyExists);
  EXPECT_EQ(code_of(prs_->create_rule(key(pr.id), "bad", "{}", kAuthor)), Errc::InvalidApprovalRuleContent);
  EXPECT_EQ(code_of(prs_->create_rule(key(pr.id), "bad/name", kOneApprover, kAuthor)), Errc::InvalidApprovalRuleName);

  auto evaluation = prs_->evaluate(key(pr.id), pr.revision_id);
  EXPECT_FALSE(evaluation->approved);
  EXPECT_EQ(code_of(prs_->update_approval_state(key(pr.id), pr.revision_id, true, kAuthor)),
            Errc::PullRequestCannotBeApprovedByAuthor);
  EXPECT_EQ(code_of(prs_->update_approval_state(key(pr.id), "nope", true, kApprover)), Errc::InvalidRevisionId);
  // Someone outside the pool approves: recorded, but the rule still wants the approver.
  ASSERT_TRUE(prs_->update_approval_state(key(pr.id), pr.revision_id, true, kOther).ok());
  EXPECT_FALSE(prs_->evaluate(key(pr.id), pr.revision_id)->approved);
  ASSERT_TRUE(prs_->update_approval_state(key(pr.id), pr.revision_id, true, kApprover).ok());
  evaluation = prs_->evaluate(key(pr.id), pr.revision_id);
  EXPECT_TRUE(evaluation->approved);
  EXPECT_EQ(evaluation->satisfied, std::vector<std::string>{"one approver"});
  EXPECT_EQ(*prs_->approvals(key(pr.id), pr.revision_id), (std::vector<std::string>{kApprover, kOther}));
  // REVOKE removes the approval.
  ASSERT_TRUE(prs_->update_approval_state(key(pr.id), pr.revision_id, false, kApprover).ok());
  EXPECT_FALSE(prs_->evaluate(key(pr.id), pr.revision_id)->approved);
  EXPECT_EQ(*prs_->approvals(key(pr.id), pr.revision_id), std::vector<std::string>{kOther});

  // Content updates check the caller's idea of the current content.
  const char* two = R"({"Version": "2018-11-08", "Statements": [{"Type": "Approvers", "NumberOfApprovalsNeeded": 2}]})";
  EXPECT_EQ(code_of(prs_->update_rule(key(pr.id), "one approver", "0000", two, kOther)),
            Errc::InvalidRuleContentSha256);
  EXPECT_EQ(code_of(prs_->update_rule(key(pr.id), "missing", "", two, kOther)), Errc::ApprovalRuleDoesNotExist);
  auto updated = prs_->update_rule(key(pr.id), "one approver", rule->content_sha256, two, kOther);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->id, rule->id);
  EXPECT_EQ(updated->last_modified_user, kOther);
  EXPECT_EQ(prs_->get(key(pr.id))->rules[0].content, two);
  EXPECT_EQ(*prs_->delete_rule(key(pr.id), "one approver", kAuthor), rule->id);
  EXPECT_EQ(*prs_->delete_rule(key(pr.id), "one approver", kAuthor), "");
  EXPECT_TRUE(prs_->evaluate(key(pr.id), pr.revision_id)->approved);  // no rules left

  EXPECT_EQ(event_types(pr.id),
            (std::vector<std::string>{"PULL_REQUEST_CREATED", "PULL_REQUEST_APPROVAL_RULE_CREATED",
                                      "PULL_REQUEST_APPROVAL_STATE_CHANGED", "PULL_REQUEST_APPROVAL_STATE_CHANGED",
                                      "PULL_REQUEST_APPROVAL_STATE_CHANGED", "PULL_REQUEST_APPROVAL_RULE_UPDATED",
                                      "PULL_REQUEST_APPROVAL_RULE_DELETED"}));
  auto approvals = prs_->events(key(pr.id), "PULL_REQUEST_APPROVAL_STATE_CHANGED", kApprover);
  ASSERT_EQ(approvals->size(), 2u);
  EXPECT_EQ((*approvals)[1].metadata_member, "approvalStateChangedEventMetadata");
  EXPECT_EQ((*approvals)[1].metadata["approvalStatus"], "REVOKE");
  EXPECT_EQ((*approvals)[1].metadata["revisionId"], pr.revision_id);
}

TEST_F(PullRequestsTest, OverrideBelongsToTheRevision) {
  PullRequest pr = open();
  ASSERT_TRUE(prs_->create_rule(key(pr.id), "one approver", kOneApprover, kAuthor).ok());
  EXPECT_FALSE(prs_->override_state(key(pr.id), pr.revision_id)->overridden);
  ASSERT_TRUE(prs_->override_rules(key(pr.id), pr.revision_id, true, kAuthor).ok());
  EXPECT_EQ(code_of(prs_->override_rules(key(pr.id), pr.revision_id, true, kOther)), Errc::OverrideAlreadySet);
  auto state = prs_->override_state(key(pr.id), pr.revision_id);
  EXPECT_TRUE(state->overridden);
  EXPECT_EQ(state->overrider, kAuthor);
  auto evaluation = prs_->evaluate(key(pr.id), pr.revision_id);
  EXPECT_TRUE(evaluation->overridden);
  EXPECT_FALSE(evaluation->approved);
  ASSERT_TRUE(prs_->override_rules(key(pr.id), pr.revision_id, false, kAuthor).ok());
  EXPECT_FALSE(prs_->override_state(key(pr.id), pr.revision_id)->overridden);
  ASSERT_TRUE(prs_->override_rules(key(pr.id), pr.revision_id, true, kAuthor).ok());
  // A push to the source is a new revision, without the override.
  put("feature", feature_, "more.txt", "more\n");
  std::string revision = prs_->get(key(pr.id))->revision_id;
  EXPECT_NE(revision, pr.revision_id);
  EXPECT_FALSE(prs_->override_state(key(pr.id), revision)->overridden);
  EXPECT_TRUE(prs_->override_state(key(pr.id), pr.revision_id)->overridden);
  EXPECT_EQ(code_of(prs_->override_rules(key(pr.id), pr.revision_id, false, kAuthor)), Errc::RevisionNotCurrent);
}

TEST_F(PullRequestsTest, PushToSourceIsANewRevisionWithoutApprovals) {
  PullRequest pr = open();
  ASSERT_TRUE(prs_->create_rule(key(pr.id), "one approver", kOneApprover, kAuthor).ok());
  ASSERT_TRUE(prs_->update_approval_state(key(pr.id), pr.revision_id, true, kApprover).ok());
  std::string next = put("feature", feature_, "more.txt", "more\n", kOther);  // publishes referenceUpdated

  // The bus told the engine: the event carries the pusher, before anyone reads the pull request.
  auto names = bus_event_names();
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.back(), "pullRequestSourceBranchUpdated");
  EXPECT_EQ(pull_request_events().back().detail["callerUserArn"], kOther);
  EXPECT_EQ(pull_request_events().back().detail["sourceCommit"], next);

  PullRequest now = *prs_->get(key(pr.id));
  EXPECT_EQ(now.target.source_commit, next);
  EXPECT_NE(now.revision_id, pr.revision_id);
  EXPECT_TRUE(prs_->approvals(key(pr.id), now.revision_id)->empty());
  EXPECT_FALSE(prs_->evaluate(key(pr.id), now.revision_id)->approved);
  EXPECT_EQ(code_of(prs_->evaluate(key(pr.id), pr.revision_id)), Errc::RevisionNotCurrent);
  EXPECT_EQ(code_of(prs_->update_approval_state(key(pr.id), pr.revision_id, true, kApprover)),
            Errc::RevisionNotCurrent);
  // The old revision keeps what it had.
  EXPECT_EQ(*prs_->approvals(key(pr.id), pr.revision_id), std::vector<std::string>{kApprover});
  auto updates = prs_->events(key(pr.id), "PULL_REQUEST_SOURCE_REFERENCE_UPDATED", "");
  ASSERT_EQ(updates->size(), 1u);
  EXPECT_EQ((*updates)[0].actor, kOther);
  EXPECT_EQ((*updates)[0].metadata["beforeCommitId"], feature_);
  EXPECT_EQ((*updates)[0].metadata["afterCommitId"], next);
  EXPECT_EQ((*updates)[0].metadata["mergeBase"], main_);
}

TEST_F(PullRequestsTest, ReadingNoticesBranchesMovedBehindTheBusBack) {
  PullRequest pr = open();
  std::string next = put("feature", feature_, "more.txt", "more\n");
  std::string newer = put("feature", next, "even-more.txt", "more\n");
  move_quietly("refs/heads/feature", feature_);  // a change nobody published
  ASSERT_EQ(prs_->get(key(pr.id))->target.source_commit, feature_);
  move_quietly("refs/heads/feature", newer);
  PullRequest now = *prs_->get(key(pr.id));
  EXPECT_EQ(now.target.source_commit, newer);
  auto updates = prs_->events(key(pr.id), "PULL_REQUEST_SOURCE_REFERENCE_UPDATED", "");
  ASSERT_EQ(updates->size(), 4u);  // next, newer (published), back to feature_, newer (read)
  EXPECT_EQ((*updates)[1].actor, kAuthor);
  EXPECT_EQ(updates->back().actor, "");  // nobody known
}

TEST_F(PullRequestsTest, SourceMergedByAPushMergesAndClosesThePullRequest) {
  PullRequest pr = open();
  push("refs/heads/main", main_, feature_, kOther);  // git push origin feature:main (fast-forward)
  PullRequest now = *prs_->get(key(pr.id));
  EXPECT_EQ(now.status, "CLOSED");
  EXPECT_TRUE(now.target.is_merged);
  EXPECT_EQ(now.target.merged_by, kOther);
  EXPECT_EQ(now.target.merge_commit, feature_);
  EXPECT_EQ(now.target.destination_commit, feature_);
  EXPECT_EQ(bus_event_names().back(), "pullRequestMergeStatusUpdated");
  auto detail = pull_request_events().back().detail;
  EXPECT_EQ(detail["isMerged"], "True");
  EXPECT_EQ(detail["pullRequestStatus"], "Closed");
  EXPECT_EQ(detail["callerUserArn"], kOther);
  EXPECT_EQ(event_types(pr.id).back(), "PULL_REQUEST_MERGE_STATE_CHANGED");
  EXPECT_EQ(code_of(prs_->update_title(key(pr.id), "x", kAuthor)), Errc::PullRequestAlreadyClosed);
}

TEST_F(PullRequestsTest, DeletedSourceBranchClosesThePullRequest) {
  PullRequest pr = open();
  ASSERT_TRUE(engine_->delete_branch(fresh(), "feature", kOther).ok());
  PullRequest now = *prs_->get(key(pr.id));
  EXPECT_EQ(now.status, "CLOSED");
  EXPECT_FALSE(now.target.is_merged);
  auto closed = prs_->events(key(pr.id), "PULL_REQUEST_STATUS_CHANGED", "");
  ASSERT_EQ(closed->size(), 1u);
  EXPECT_EQ((*closed)[0].actor, kOther);
  EXPECT_EQ((*closed)[0].metadata["pullRequestStatus"], "CLOSED");
}

TEST_F(PullRequestsTest, StatusTitleAndDescription) {
  PullRequest pr = open();
  clock_.advance(std::chrono::seconds(10));
  auto titled = prs_->update_title(key(pr.id), "New title", kOther);
  ASSERT_TRUE(titled.ok());
  EXPECT_EQ(titled->title, "New title");
  EXPECT_EQ(titled->last_activity, clock_.now());
  EXPECT_EQ(prs_->update_description(key(pr.id), "", kOther)->description, "");
  EXPECT_EQ(code_of(prs_->update_status(key(pr.id), "OPEN", kOther)), Errc::InvalidPullRequestStatusUpdate);
  EXPECT_EQ(code_of(prs_->update_status(key(pr.id), "MERGED", kOther)), Errc::InvalidPullRequestStatus);
  auto closed = prs_->update_status(key(pr.id), "CLOSED", kOther);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, "CLOSED");
  EXPECT_EQ(code_of(prs_->update_status(key(pr.id), "OPEN", kOther)), Errc::InvalidPullRequestStatusUpdate);
  EXPECT_EQ(code_of(prs_->update_status(key(pr.id), "CLOSED", kOther)), Errc::InvalidPullRequestStatusUpdate);
  EXPECT_EQ(code_of(prs_->update_description(key(pr.id), "x", kOther)), Errc::PullRequestAlreadyClosed);
  EXPECT_EQ(code_of(prs_->create_rule(key(pr.id), "r", kOneApprover, kOther)), Errc::PullRequestAlreadyClosed);
  EXPECT_EQ(code_of(prs_->update_approval_state(key(pr.id), pr.revision_id, true, kApprover)),
            Errc::PullRequestAlreadyClosed);
  EXPECT_EQ(code_of(prs_->override_rules(key(pr.id), pr.revision_id, true, kApprover)), Errc::PullRequestAlreadyClosed);
  // A closed pull request no longer follows its branches.
  put("feature", feature_, "more.txt", "more\n");
  EXPECT_EQ(prs_->get(key(pr.id))->target.source_commit, feature_);
  EXPECT_EQ(bus_event_names(), (std::vector<std::string>{"pullRequestCreated", "pullRequestStatusChanged"}));
}

TEST_F(PullRequestsTest, BusEventsCarryAwsDetailFields) {
  PullRequest pr = open();
  auto events = pull_request_events();
  ASSERT_EQ(events.size(), 1u);
  const auto& e = events[0];
  EXPECT_EQ(e.source, "aws.codecommit");
  EXPECT_EQ(e.account, kAccount);
  EXPECT_EQ(e.resources, std::vector<std::string>{"arn:aws:codecommit:us-east-1:123456789012:app"});
  EXPECT_EQ(e.detail["event"], "pullRequestCreated");
  EXPECT_EQ(e.detail["pullRequestId"], "1");
  EXPECT_EQ(e.detail["author"], kAuthor);
  EXPECT_EQ(e.detail["callerUserArn"], kAuthor);
  EXPECT_EQ(e.detail["title"], "Add feature");
  EXPECT_EQ(e.detail["description"], "Please review");
  EXPECT_EQ(e.detail["pullRequestStatus"], "Open");
  EXPECT_EQ(e.detail["isMerged"], "False");
  EXPECT_EQ(e.detail["repositoryNames"], common::Json::array({"app"}));
  EXPECT_EQ(e.detail["sourceReference"], "refs/heads/feature");
  EXPECT_EQ(e.detail["destinationReference"], "refs/heads/main");
  EXPECT_EQ(e.detail["sourceCommit"], feature_);
  EXPECT_EQ(e.detail["destinationCommit"], main_);
  EXPECT_EQ(e.detail["revisionId"], pr.revision_id);
  EXPECT_EQ(e.detail["creationDate"], "Tue Nov 14 22:13:20 UTC 2023");
  EXPECT_NE(e.detail["notificationBody"].get<std::string>().find("repository: app"), std::string::npos);
  auto created = prs_->events(key(pr.id), "PULL_REQUEST_CREATED", "");
  ASSERT_EQ(created->size(), 1u);
  EXPECT_EQ((*created)[0].metadata_member, "pullRequestCreatedEventMetadata");
  EXPECT_EQ((*created)[0].metadata["sourceCommitId"], feature_);
  EXPECT_EQ((*created)[0].metadata["destinationCommitId"], main_);
  EXPECT_EQ((*created)[0].metadata["repositoryName"], "app");
}

TEST_F(PullRequestsTest, ListFiltersAndOrdersByActivity) {
  PullRequest first = open();
  ASSERT_TRUE(engine_->create_branch(fresh(), "other", feature_, kOther).ok());
  put("other", feature_, "other.txt", "x\n", kOther);
  auto second = prs_->create(fresh(), NewPullRequest{"Other", "", "other", "", ""}, kOther);
  ASSERT_TRUE(second.ok());
  clock_.advance(std::chrono::seconds(5));
  ASSERT_TRUE(prs_->update_title(key(first.id), "touched", kAuthor).ok());
  EXPECT_EQ(*prs_->list(fresh(), "", ""), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(*prs_->list(fresh(), kOther, ""), std::vector<std::string>{"2"});
  ASSERT_TRUE(prs_->update_status(key(second->id), "CLOSED", kOther).ok());
  EXPECT_EQ(*prs_->list(fresh(), "", "OPEN"), std::vector<std::string>{"1"});
  EXPECT_EQ(*prs_->list(fresh(), "", "CLOSED"), std::vector<std::string>{"2"});
}

TEST_F(PullRequestsTest, CommentTargetAndIds) {
  PullRequest pr = open();
  auto target = prs_->comment_target(kAccount, "us-east-1", pr.id);
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->repository_name, "app");
  EXPECT_EQ(target->source_commit, feature_);
  EXPECT_EQ(target->destination_commit, main_);
  EXPECT_EQ(target->status, "OPEN");
  EXPECT_EQ(code_of(prs_->comment_target(kAccount, "us-east-1", "abc")), Errc::InvalidPullRequestId);
  EXPECT_EQ(code_of(prs_->comment_target(kAccount, "us-east-1", "9")), Errc::PullRequestDoesNotExist);
  EXPECT_EQ(code_of(prs_->get(key("0"))), Errc::InvalidPullRequestId);
  EXPECT_EQ(code_of(prs_->comment_target("111111111111", "us-east-1", pr.id)), Errc::PullRequestDoesNotExist);
  // Renames follow; a deleted repository takes its pull requests along.
  ASSERT_TRUE(engine_->rename_repository(RepoRef{kAccount, "us-east-1", "app"}, "renamed").ok());
  EXPECT_EQ(prs_->get(key(pr.id))->target.repository_name, "renamed");
  auto location = prs_->location(key(pr.id));
  ASSERT_TRUE(location.ok() && location->has_value());
  EXPECT_EQ((*location)->repository_name, "renamed");
  EXPECT_EQ((*location)->destination_reference, "refs/heads/main");
  ASSERT_TRUE(engine_->delete_repository(RepoRef{kAccount, "us-east-1", "renamed"}).ok());
  EXPECT_EQ(code_of(prs_->get(key(pr.id))), Errc::PullRequestDoesNotExist);
}

TEST_F(PullRequestsTest, MergeChecksComeFirst) {
  PullRequest pr = open();
  ASSERT_TRUE(prs_->create_rule(key(pr.id), "one approver", kOneApprover, kAuthor).ok());
  PullRequestMerge merge{"app", "", MergeOption::FastForward, {}};
  EXPECT_EQ(code_of(prs_->merge(key(pr.id), merge, kAuthor)), Errc::PullRequestApprovalRulesNotSatisfied);
  ASSERT_TRUE(prs_->update_approval_state(key(pr.id), pr.revision_id, true, kApprover).ok());
  merge.repository_name = "other";
  EXPECT_EQ(code_of(prs_->merge(key(pr.id), merge, kAuthor)), Errc::RepositoryNotAssociatedWithPullRequest);
  merge.repository_name = "app";
  merge.source_commit_id = main_;
  EXPECT_EQ(code_of(prs_->merge(key(pr.id), merge, kAuthor)), Errc::TipOfSourceReferenceIsDifferent);
  merge.source_commit_id = "xyz";
  EXPECT_EQ(code_of(prs_->merge(key(pr.id), merge, kAuthor)), Errc::InvalidCommitId);
  EXPECT_EQ(code_of(prs_->merge(key("7"), merge, kAuthor)), Errc::PullRequestDoesNotExist);
  EXPECT_EQ(engine_->get_branch(fresh(), "main")->commit_id, main_);  // nothing merged
  // A merge MergeEngine refuses leaves the pull request open.
  std::string moved = put("main", main_, "main.txt", "main moved\n");
  merge.source_commit_id = "";
  EXPECT_EQ(code_of(prs_->merge(key(pr.id), merge, kAuthor)), Errc::ManualMergeRequired);
  PullRequest still = *prs_->get(key(pr.id));
  EXPECT_EQ(still.status, "OPEN");
  EXPECT_FALSE(still.target.is_merged);
  EXPECT_EQ(still.target.destination_commit, moved);
  EXPECT_EQ(still.revision_id, pr.revision_id);  // the destination moving is no new revision
}

// The merges themselves run through MergeEngine::merge_branches.
class PullRequestMergeTest : public PullRequestsTest, public ::testing::WithParamInterface<MergeOption> {};

TEST_P(PullRequestMergeTest, MergesIntoTheDestinationKeepsTheSourceAndCloses) {
  PullRequest pr = open();
  ASSERT_TRUE(prs_->create_rule(key(pr.id), "one approver", kOneApprover, kAuthor).ok());
  ASSERT_TRUE(prs_->update_approval_state(key(pr.id), pr.revision_id, true, kApprover).ok());
  if (GetParam() != MergeOption::FastForward) put("main", main_, "main.txt", "main moved\n", kOther);
  std::string destination_before = engine_->get_branch(fresh(), "main")->commit_id;
  auto merged = prs_->merge(key(pr.id), PullRequestMerge{"app", feature_, GetParam(), {}}, kApprover);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(merged->status, "CLOSED");
  EXPECT_TRUE(merged->target.is_merged);
  EXPECT_EQ(merged->target.merged_by, kApprover);
  EXPECT_EQ(merged->target.merge_option, merge_option_name(GetParam()));
  EXPECT_EQ(merged->target.destination_commit, destination_before);
  std::string main_now = engine_->get_branch(fresh(), "main")->commit_id;
  EXPECT_EQ(merged->target.merge_commit, main_now);
  EXPECT_NE(main_now, destination_before);
  // The source branch is still there, where it was.
  EXPECT_EQ(engine_->get_branch(fresh(), "feature")->commit_id, feature_);
  auto file = engine_->get_file(fresh(), "main", "feature.txt");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->content, "feature\n");
  // One merge event, with the caller and the option; no second one from the branch update.
  auto types = event_types(pr.id);
  EXPECT_EQ(std::count(types.begin(), types.end(), "PULL_REQUEST_MERGE_STATE_CHANGED"), 1);
  auto merges = prs_->events(key(pr.id), "PULL_REQUEST_MERGE_STATE_CHANGED", "");
  EXPECT_EQ((*merges)[0].actor, kApprover);
  EXPECT_EQ((*merges)[0].metadata["mergeMetadata"]["mergeOption"], merge_option_name(GetParam()));
  auto detail = pull_request_events().back().detail;
  EXPECT_EQ(detail["event"], "pullRequestMergeStatusUpdated");
  EXPECT_EQ(detail["mergeOption"], merge_option_name(GetParam()));
  EXPECT_EQ(code_of(prs_->merge(key(pr.id), PullRequestMerge{"app", "", GetParam(), {}}, kApprover)),
            Errc::PullRequestAlreadyClosed);
}

TEST_F(PullRequestsTest, MergeFollowsOtherPullRequestsOnTheDestination) {
  PullRequest pr = open();
  ASSERT_TRUE(engine_->create_branch(fresh(), "same", feature_, kAuthor).ok());
  auto twin = prs_->create(fresh(), NewPullRequest{"Twin", "", "same", "main", ""}, kAuthor);
  ASSERT_TRUE(twin.ok());
  ASSERT_TRUE(prs_->merge(key(pr.id), PullRequestMerge{"app", "", MergeOption::FastForward, {}}, kApprover).ok());
  // "same" points at the commit now on main: that pull request is merged too.
  PullRequest other = *prs_->get(key(twin->id));
  EXPECT_EQ(other.status, "CLOSED");
  EXPECT_TRUE(other.target.is_merged);
  EXPECT_EQ(other.target.merged_by, kApprover);
}

INSTANTIATE_TEST_SUITE_P(Options, PullRequestMergeTest,
                         ::testing::Values(MergeOption::FastForward, MergeOption::Squash, MergeOption::ThreeWay),
                         [](const auto& info) { return std::string(merge_option_name(info.param)); });

}  // namespace
}  // namespace codecommit
