// ApprovalTemplateEngine against real SQLite (":memory:"), with the repositories of a real
// CodeCommitEngine: names, content and hashes, quotas, associations (single and batch), the
// rules pull requests receive, and the template change events.
#include "services/codecommit/engine/approval_templates.h"

#include <gtest/gtest.h>

#include "testing/engine_fixture.h"

namespace codecommit {
namespace {

constexpr std::string_view kCaller = "arn:aws:iam::123456789012:user/dev";
constexpr std::string_view kOther = "arn:aws:iam::123456789012:user/ops";
const char* const kContent =
    R"({"Version": "2018-11-08", "DestinationReferences": ["refs/heads/main"],
        "Statements": [{"Type": "Approvers", "NumberOfApprovalsNeeded": 2}]})";
const char* const kOtherContent =
    R"({"Version": "2018-11-08", "Statements": [{"Type": "Approvers", "NumberOfApprovalsNeeded": 1,
        "ApprovalPoolMembers": ["CodeCommitApprovers:123456789012:Mary_Major"]}]})";

class ApprovalTemplatesTest : public testing_support::EngineWithBusTest<CodeCommitEngine> {
 protected:
  ApprovalTemplatesTest() : EngineWithBusTest("codecommit-templates-test") {}

  void SetUp() override {
    EngineWithBusTest::SetUp();
    templates_ = std::make_unique<ApprovalTemplateEngine>(*engine_);
    ASSERT_TRUE(templates_->migrate().ok());
  }

  Repository repository(const std::string& name, const std::string& account = "123456789012") {
    auto r = engine_->create_repository(RepoRef{account, "us-east-1", name}, "", {});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : Repository{};
  }

  ApprovalRuleTemplate create(const std::string& name, const std::string& content = kContent) {
    auto r = templates_->create_template(scope_, name, "desc", content, kCaller);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : ApprovalRuleTemplate{};
  }

  // "t<i>" (built without operator+, which trips GCC 12's -Wrestrict false positive).
  static std::string numbered(size_t i) { return std::to_string(i).insert(0, 1, 't'); }

  std::vector<events::Event> template_events() {
    events::ReadQuery query;
    query.detail_type = "CodeCommit Approval Rule Template Change";
    auto r = bus_->read(query);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<events::Event>{};
  }

  TemplateScope scope_{"123456789012", "us-east-1"};
  std::unique_ptr<ApprovalTemplateEngine> templates_;
};

TEST_F(ApprovalTemplatesTest, CreateStoresContentVerbatimWithItsHash) {
  ApprovalRuleTemplate created = create("2-approvers");
  EXPECT_EQ(created.id.size(), 36u);
  EXPECT_EQ(created.content, kContent);
  EXPECT_EQ(created.content_sha256, rule_content_sha256(kContent));
  EXPECT_EQ(created.last_modified_user, kCaller);
  EXPECT_EQ(created.created, clock_.now());
  auto got = templates_->get_template(scope_, "2-approvers");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, created.id);
  EXPECT_EQ(got->description, "desc");
  EXPECT_EQ(got->content_sha256, created.content_sha256);
}

TEST_F(ApprovalTemplatesTest, NamesFollowCodeCommitsRuleAndAreUniquePerAccountAndRegion) {
  for (const std::string& bad : std::vector<std::string>{"", "a/b", "x.git", "semi;colon", std::string(101, 'a')}) {
    auto r = templates_->create_template(scope_, bad, "", kContent, kCaller);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, Errc::InvalidApprovalRuleTemplateName) << bad;
  }
  create("Two approvers for main_1.0");
  auto again = templates_->create_template(scope_, "Two approvers for main_1.0", "", kContent, kCaller);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::ApprovalRuleTemplateNameAlreadyExists);
  EXPECT_TRUE(templates_->create_template(scope_, "two approvers for main_1.0", "", kContent, kCaller).ok());
  EXPECT_TRUE(
      templates_->create_template({"123456789012", "eu-west-1"}, "Two approvers for main_1.0", "", kContent, kCaller)
          .ok());
  EXPECT_TRUE(
      templates_->create_template({"210987654321", "us-east-1"}, "Two approvers for main_1.0", "", kContent, kCaller)
          .ok());
}

TEST_F(ApprovalTemplatesTest, ContentAndDescriptionAreValidated) {
  auto empty = templates_->create_template(scope_, "t", "", "", kCaller);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, Errc::ApprovalRuleTemplateContentRequired);
  for (const std::string& bad :
       std::vector<std::string>{"{", R"({"Version": "2018-11-08"})", R"({"Statements": []})", std::string(3001, ' ')}) {
    auto r = templates_->create_template(scope_, "t", "", bad, kCaller);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, Errc::InvalidApprovalRuleTemplateContent) << bad;
  }
  auto long_description = templates_->create_template(scope_, "t", std::string(1001, 'd'), kContent, kCaller);
  ASSERT_FALSE(long_description.ok());
  EXPECT_EQ(long_description.error().code, Errc::InvalidApprovalRuleTemplateDescription);
  // 1000 characters of two bytes each are still 1000 characters.
  std::string accented;
  for (int i = 0; i < 1000; ++i) accented += "\xc3\xa9";
  EXPECT_TRUE(templates_->create_template(scope_, "t", accented, kContent, kCaller).ok());
}

TEST_F(ApprovalTemplatesTest, ListIsSortedAndScoped) {
  create("b");
  create("a");
  ASSERT_TRUE(templates_->create_template({"123456789012", "eu-west-1"}, "c", "", kContent, kCaller).ok());
  auto names = templates_->list_templates(scope_);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"a", "b"}));
}

TEST_F(ApprovalTemplatesTest, RegionQuotaIsEnforced) {
  for (size_t i = 0; i < kMaxTemplatesPerRegion; ++i) {
    ASSERT_TRUE(templates_->create_template(scope_, numbered(i), "", kContent, kCaller).ok());
  }
  auto over = templates_->create_template(scope_, "one-more", "", kContent, kCaller);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, Errc::NumberOfRuleTemplatesExceeded);
}

TEST_F(ApprovalTemplatesTest, UpdatesRecordTheCallerAndTime) {
  ApprovalRuleTemplate created = create("t");
  clock_.advance(std::chrono::seconds(60));
  auto renamed = templates_->rename_template(scope_, "t", "renamed", kOther);
  ASSERT_TRUE(renamed.ok()) << renamed.error().message;
  EXPECT_EQ(renamed->id, created.id);
  EXPECT_EQ(renamed->last_modified_user, kOther);
  EXPECT_EQ(renamed->modified, clock_.now());
  EXPECT_EQ(renamed->created, created.created);
  EXPECT_FALSE(templates_->get_template(scope_, "t").ok());
  EXPECT_EQ(templates_->get_template(scope_, "t").error().code, Errc::ApprovalRuleTemplateDoesNotExist);

  create("taken");
  auto clash = templates_->rename_template(scope_, "renamed", "taken", kCaller);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, Errc::ApprovalRuleTemplateNameAlreadyExists);
  EXPECT_EQ(templates_->rename_template(scope_, "nope", "x", kCaller).error().code,
            Errc::ApprovalRuleTemplateDoesNotExist);

  auto described = templates_->set_description(scope_, "renamed", "new words", kCaller);
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(templates_->get_template(scope_, "renamed")->description, "new words");
}

TEST_F(ApprovalTemplatesTest, ContentUpdateChecksTheExistingHash) {
  ApprovalRuleTemplate created = create("t");
  auto stale = templates_->set_content(scope_, "t", kOtherContent, rule_content_sha256("something else"), kCaller);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, Errc::InvalidRuleContentSha256);
  auto updated = templates_->set_content(scope_, "t", kOtherContent, created.content_sha256, kCaller);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->content_sha256, rule_content_sha256(kOtherContent));
  // Without a hash the update is unconditional.
  EXPECT_TRUE(templates_->set_content(scope_, "t", kContent, "", kCaller).ok());
  auto invalid = templates_->set_content(scope_, "t", "[]", "", kCaller);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, Errc::InvalidApprovalRuleTemplateContent);
}

TEST_F(ApprovalTemplatesTest, DeleteRefusesWhileAssociatedAndIsQuietWhenAbsent) {
  ApprovalRuleTemplate created = create("t");
  repository("app");
  ASSERT_TRUE(templates_->associate(scope_, "t", "app", kCaller).ok());
  auto in_use = templates_->delete_template(scope_, "t", kCaller);
  ASSERT_FALSE(in_use.ok());
  EXPECT_EQ(in_use.error().code, Errc::ApprovalRuleTemplateInUse);
  ASSERT_TRUE(templates_->disassociate(scope_, "t", "app", kCaller).ok());
  auto deleted = templates_->delete_template(scope_, "t", kCaller);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, std::optional<std::string>(created.id));
  auto again = templates_->delete_template(scope_, "t", kCaller);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
}

TEST_F(ApprovalTemplatesTest, AssociationsListBothWaysAndAreIdempotent) {
  create("a");
  create("b");
  repository("app");
  repository("lib");
  ASSERT_TRUE(templates_->associate(scope_, "b", "app", kCaller).ok());
  ASSERT_TRUE(templates_->associate(scope_, "a", "app", kCaller).ok());
  ASSERT_TRUE(templates_->associate(scope_, "a", "app", kCaller).ok());
  ASSERT_TRUE(templates_->associate(scope_, "a", "lib", kCaller).ok());
  EXPECT_EQ(*templates_->templates_for_repository({"123456789012", "us-east-1", "app"}),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(*templates_->repositories_for_template(scope_, "a"), (std::vector<std::string>{"app", "lib"}));
  EXPECT_EQ(templates_->associate(scope_, "a", "nope", kCaller).error().code, Errc::RepositoryDoesNotExist);
  EXPECT_EQ(templates_->associate(scope_, "nope", "app", kCaller).error().code, Errc::ApprovalRuleTemplateDoesNotExist);
  EXPECT_EQ(templates_->templates_for_repository({"123456789012", "us-east-1", "nope"}).error().code,
            Errc::RepositoryDoesNotExist);
  ASSERT_TRUE(templates_->disassociate(scope_, "a", "app", kCaller).ok());
  ASSERT_TRUE(templates_->disassociate(scope_, "a", "app", kCaller).ok());
  EXPECT_EQ(*templates_->templates_for_repository({"123456789012", "us-east-1", "app"}),
            (std::vector<std::string>{"b"}));
}

TEST_F(ApprovalTemplatesTest, RepositoryQuotaIsTwentyFive) {
  repository("app");
  for (size_t i = 0; i < kMaxTemplatesPerRepository; ++i) {
    create(numbered(i));
    ASSERT_TRUE(templates_->associate(scope_, numbered(i), "app", kCaller).ok());
  }
  create("extra");
  auto over = templates_->associate(scope_, "extra", "app", kCaller);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, Errc::MaximumRuleTemplatesAssociatedWithRepository);
}

TEST_F(ApprovalTemplatesTest, DeletingARepositoryDropsItsAssociations) {
  create("t");
  repository("app");
  ASSERT_TRUE(templates_->associate(scope_, "t", "app", kCaller).ok());
  ASSERT_TRUE(engine_->delete_repository({"123456789012", "us-east-1", "app"}).ok());
  EXPECT_TRUE(templates_->repositories_for_template(scope_, "t")->empty());
  // The template is no longer in use, and a new repository of the same name starts unassociated.
  Repository again = repository("app");
  EXPECT_TRUE(templates_->templates_for_repository({"123456789012", "us-east-1", "app"})->empty());
  EXPECT_TRUE(templates_->associated_rules(again)->empty());
  EXPECT_TRUE(templates_->delete_template(scope_, "t", kCaller).ok());
}

TEST_F(ApprovalTemplatesTest, BatchReportsEachRepository) {
  create("t");
  repository("app");
  repository("lib");
  auto outcome = templates_->batch_associate(scope_, "t", {"app", "nope", "lib", "app"}, kCaller);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->repositories, (std::vector<std::string>{"app", "lib"}));
  ASSERT_EQ(outcome->errors.size(), 1u);
  EXPECT_EQ(outcome->errors[0].repository_name, "nope");
  EXPECT_EQ(outcome->errors[0].error_code, "RepositoryDoesNotExistException");
  EXPECT_EQ(*templates_->repositories_for_template(scope_, "t"), (std::vector<std::string>{"app", "lib"}));

  auto removed = templates_->batch_disassociate(scope_, "t", {"lib", "nope"}, kCaller);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->repositories, (std::vector<std::string>{"lib"}));
  ASSERT_EQ(removed->errors.size(), 1u);
  EXPECT_EQ(*templates_->repositories_for_template(scope_, "t"), (std::vector<std::string>{"app"}));

  EXPECT_EQ(templates_->batch_associate(scope_, "t", {}, kCaller).error().code, Errc::RepositoryNamesRequired);
  std::vector<std::string> many(kMaxBatchRepositoryNames + 1, "app");
  EXPECT_EQ(templates_->batch_associate(scope_, "t", many, kCaller).error().code, Errc::MaximumRepositoryNamesExceeded);
  EXPECT_EQ(templates_->batch_associate(scope_, "nope", {"app"}, kCaller).error().code,
            Errc::ApprovalRuleTemplateDoesNotExist);
}

TEST_F(ApprovalTemplatesTest, BatchReportsTheRepositoryQuotaPerRepository) {
  repository("full");
  repository("empty");
  for (size_t i = 0; i < kMaxTemplatesPerRepository; ++i) {
    create(numbered(i));
    ASSERT_TRUE(templates_->associate(scope_, numbered(i), "full", kCaller).ok());
  }
  create("extra");
  auto outcome = templates_->batch_associate(scope_, "extra", {"full", "empty"}, kCaller);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->repositories, (std::vector<std::string>{"empty"}));
  ASSERT_EQ(outcome->errors.size(), 1u);
  EXPECT_EQ(outcome->errors[0].error_code, "MaximumRuleTemplatesAssociatedWithRepositoryException");
}

TEST_F(ApprovalTemplatesTest, AssociatedRulesCarryIdNameAndContent) {
  ApprovalRuleTemplate a = create("a", kContent);
  ApprovalRuleTemplate b = create("b", kOtherContent);
  create("unassociated");
  Repository app = repository("app");
  ASSERT_TRUE(templates_->batch_associate(scope_, "b", {"app"}, kCaller).ok());
  ASSERT_TRUE(templates_->associate(scope_, "a", "app", kCaller).ok());
  auto rules = templates_->associated_rules(app);
  ASSERT_TRUE(rules.ok());
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].template_id, a.id);
  EXPECT_EQ((*rules)[0].template_name, "a");
  EXPECT_EQ((*rules)[0].content, kContent);
  EXPECT_EQ((*rules)[1].template_name, "b");
  EXPECT_EQ((*rules)[1].content, kOtherContent);
  // The current content: an update applies to pull requests created afterwards.
  ASSERT_TRUE(templates_->set_content(scope_, "b", kContent, "", kCaller).ok());
  EXPECT_EQ((*templates_->associated_rules(app))[1].content, kContent);
}

TEST_F(ApprovalTemplatesTest, ChangesPublishTemplateEvents) {
  ApprovalRuleTemplate created = create("t");
  Repository app = repository("app");
  ASSERT_TRUE(templates_->associate(scope_, "t", "app", kCaller).ok());
  ASSERT_TRUE(templates_->batch_disassociate(scope_, "t", {"app"}, kCaller).ok());
  ASSERT_TRUE(templates_->delete_template(scope_, "t", kCaller).ok());
  auto events = template_events();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].source, "aws.codecommit");
  EXPECT_EQ(events[0].detail["event"], "approvalRuleTemplateCreated");
  EXPECT_EQ(events[0].detail["approvalRuleTemplateId"], created.id);
  EXPECT_EQ(events[0].detail["approvalRuleTemplateContentSha256"], created.content_sha256);
  EXPECT_EQ(events[0].detail["callerUserArn"], kCaller);
  EXPECT_EQ(events[0].detail["creationDate"], "Tue Nov 14 22:13:20 UTC 2023");
  EXPECT_TRUE(events[0].resources.empty());
  EXPECT_EQ(events[1].detail["event"], "approvalRuleTemplateAssociatedWithRepository");
  EXPECT_EQ(events[1].resources, std::vector<std::string>{app.arn});
  EXPECT_EQ(events[1].detail["repositories"]["app"], app.id);
  EXPECT_EQ(events[2].detail["event"], "batchDisassociateApprovalRuleTemplateFromRepositories");
  EXPECT_EQ(events[3].detail["event"], "approvalRuleTemplateDeleted");
}

}  // namespace
}  // namespace codecommit
