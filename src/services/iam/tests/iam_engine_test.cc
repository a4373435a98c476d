#include "services/iam/engine/iam_engine.h"

#include <gtest/gtest.h>

#include "testing/fake_clock.h"

namespace iam {
namespace {

using common::ErrorKind;
using dispatch::CredentialError;
using dispatch::Principal;

constexpr const char* kDev = "000000000000";
constexpr const char* kAllowAll =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";

class IamEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(store::Db::open(":memory:").value());
    engine_ = std::make_unique<IamEngine>(*db_, clock_,
                                          std::vector<dispatch::Account>{{kDev, "dev", {{"test", "testsecret"}}}});
    ASSERT_TRUE(engine_->migrate().ok());
  }
  int64_t now() const { return static_cast<int64_t>(common::to_epoch_seconds(clock_.now())); }

  testing_support::FakeClock clock_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<IamEngine> engine_;
};

TEST_F(IamEngineTest, RootKeysResolveToTheAccountRoot) {
  auto key = engine_->resolve("test", "", now());
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->secret_access_key, "testsecret");
  EXPECT_EQ(key->principal.kind, Principal::Kind::Root);
  EXPECT_EQ(key->principal.arn, "arn:aws:iam::000000000000:root");
  EXPECT_EQ(key->principal.user_id, kDev);
  EXPECT_EQ(engine_->resolve("nope", "", now()).error(), CredentialError::UnknownKey);
}

TEST_F(IamEngineTest, UserNamesAreUniqueIgnoringCase) {
  auto user = engine_->create_user(kDev, "Alice", "/team/", {});
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->arn, "arn:aws:iam::000000000000:user/team/Alice");
  EXPECT_TRUE(user->user_id.starts_with("AIDA"));
  EXPECT_EQ(user->user_id.size(), 21u);
  auto again = engine_->create_user(kDev, "alice", "/", {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::AlreadyExists);
  EXPECT_EQ(engine_->get_user(kDev, "ALICE")->name, "Alice");
  EXPECT_EQ(engine_->get_user("111111111111", "Alice").error().kind, ErrorKind::NotFound);
}

TEST_F(IamEngineTest, UserAccessKeysResolveUntilInactive) {
  ASSERT_TRUE(engine_->create_user(kDev, "bob", "/", {}).ok());
  auto key = engine_->create_access_key(kDev, "bob");
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(key->access_key_id.starts_with("AKIA"));
  EXPECT_EQ(key->access_key_id.size(), 20u);
  EXPECT_EQ(key->secret_access_key.size(), 40u);
  auto resolved = engine_->resolve(key->access_key_id, "", now());
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->principal.kind, Principal::Kind::User);
  EXPECT_EQ(resolved->principal.arn, "arn:aws:iam::000000000000:user/bob");
  ASSERT_TRUE(engine_->update_access_key(kDev, "bob", key->access_key_id, false).ok());
  EXPECT_EQ(engine_->resolve(key->access_key_id, "", now()).error(), CredentialError::UnknownKey);
}

TEST_F(IamEngineTest, AtMostTwoAccessKeysPerUser) {
  ASSERT_TRUE(engine_->create_user(kDev, "bob", "/", {}).ok());
  ASSERT_TRUE(engine_->create_access_key(kDev, "bob").ok());
  ASSERT_TRUE(engine_->create_access_key(kDev, "bob").ok());
  auto third = engine_->create_access_key(kDev, "bob");
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().kind, ErrorKind::LimitExceeded);
  EXPECT_EQ(third.error().message, "Cannot exceed quota for AccessKeysPerUser: 2");
}

TEST_F(IamEngineTest, DeletingAUserWithKeysOrPoliciesConflicts) {
  ASSERT_TRUE(engine_->create_user(kDev, "bob", "/", {}).ok());
  auto key = engine_->create_access_key(kDev, "bob");
  EXPECT_EQ(engine_->delete_user(kDev, "bob").error().kind, ErrorKind::Conflict);
  ASSERT_TRUE(engine_->delete_access_key(kDev, "bob", key->access_key_id).ok());
  ASSERT_TRUE(engine_->put_inline_policy(kDev, {OwnerKind::User, "bob"}, "p", kAllowAll).ok());
  EXPECT_EQ(engine_->delete_user(kDev, "bob").error().message, "Cannot delete entity, must delete policies first.");
  ASSERT_TRUE(engine_->delete_inline_policy(kDev, {OwnerKind::User, "bob"}, "p").ok());
  ASSERT_TRUE(engine_->attach_policy(kDev, {OwnerKind::User, "bob"}, "arn:aws:iam::aws:policy/ReadOnlyAccess").ok());
  EXPECT_EQ(engine_->delete_user(kDev, "bob").error().message, "Cannot delete entity, must detach all policies first.");
  ASSERT_TRUE(engine_->detach_policy(kDev, {OwnerKind::User, "bob"}, "arn:aws:iam::aws:policy/ReadOnlyAccess").ok());
  EXPECT_TRUE(engine_->delete_user(kDev, "bob").ok());
}

TEST_F(IamEngineTest, RenamingAUserCarriesItsPoliciesAndKeys) {
  ASSERT_TRUE(engine_->create_user(kDev, "bob", "/", {{"team", "a"}}).ok());
  ASSERT_TRUE(engine_->put_inline_policy(kDev, {OwnerKind::User, "bob"}, "p", kAllowAll).ok());
  auto key = engine_->create_access_key(kDev, "bob");
  ASSERT_TRUE(engine_->update_user(kDev, "bob", std::string("robert"), std::string("/x/")).ok());
  EXPECT_EQ(engine_->get_user(kDev, "bob").error().kind, ErrorKind::NotFound);
  auto user = engine_->get_user(kDev, "robert");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->arn, "arn:aws:iam::000000000000:user/x/robert");
  EXPECT_EQ(user->tags.size(), 1u);
  EXPECT_EQ(engine_->list_inline_policies(kDev, {OwnerKind::User, "robert"})->size(), 1u);
  auto resolved = engine_->resolve(key->access_key_id, "", now());
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->principal.arn, "arn:aws:iam::000000000000:user/x/robert");
}

TEST_F(IamEngineTest, PolicyVersionsAreLimitedAndNeverReused) {
  NewPolicy spec{"p", "/", kAllowAll, std::nullopt, {}};
  auto policy = engine_->create_policy(kDev, spec);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->arn, "arn:aws:iam::000000000000:policy/p");
  for (int i = 2; i <= 5; ++i) {
    auto v = engine_->create_policy_version(kDev, policy->arn, kAllowAll, false);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->version, i);
  }
  EXPECT_EQ(engine_->create_policy_version(kDev, policy->arn, kAllowAll, false).error().kind, ErrorKind::LimitExceeded);
  EXPECT_EQ(engine_->delete_policy_version(kDev, policy->arn, 1).error().kind, ErrorKind::Conflict);
  ASSERT_TRUE(engine_->delete_policy_version(kDev, policy->arn, 5).ok());
  auto v6 = engine_->create_policy_version(kDev, policy->arn, kAllowAll, true);
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->version, 6);
  EXPECT_EQ(engine_->get_policy(kDev, policy->arn)->default_version, 6);
  EXPECT_EQ(engine_->delete_policy(kDev, policy->arn).error().kind, ErrorKind::Conflict);
}

TEST_F(IamEngineTest, AttachedPolicyCannotBeDeleted) {
  auto policy = engine_->create_policy(kDev, NewPolicy{"p", "/", kAllowAll, std::nullopt, {}});
  ASSERT_TRUE(engine_->create_role(kDev, NewRole{"r", "/", "{}", std::nullopt, 3600, {}}).ok());
  ASSERT_TRUE(engine_->attach_policy(kDev, {OwnerKind::Role, "r"}, policy->arn).ok());
  EXPECT_EQ(engine_->get_policy(kDev, policy->arn)->attachment_count, 1);
  EXPECT_EQ(engine_->delete_policy(kDev, policy->arn).error().message, "Cannot delete a policy attached to entities.");
  auto entities = engine_->list_entities_for_policy(kDev, policy->arn);
  ASSERT_EQ(entities->roles.size(), 1u);
  EXPECT_EQ(entities->roles[0].first, "r");
  EXPECT_EQ(engine_->attach_policy(kDev, {OwnerKind::Role, "r"}, "arn:aws:iam::000000000000:policy/nope").error().kind,
            ErrorKind::NotFound);
}

TEST_F(IamEngineTest, SessionsNeedTheirTokenAndExpire) {
  Principal principal;
  principal.kind = Principal::Kind::AssumedRole;
  principal.account_id = kDev;
  principal.arn = "arn:aws:sts::000000000000:assumed-role/r/s";
  principal.name = "r";
  auto session = engine_->create_session(principal, now() + 900);
  ASSERT_TRUE(session.ok());
  EXPECT_TRUE(session->access_key_id.starts_with("ASIA"));
  auto resolved = engine_->resolve(session->access_key_id, session->session_token, now());
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->principal.arn, principal.arn);
  EXPECT_EQ(engine_->resolve(session->access_key_id, "", now()).error(), CredentialError::InvalidToken);
  EXPECT_EQ(engine_->resolve(session->access_key_id, "wrong", now()).error(), CredentialError::InvalidToken);
  EXPECT_EQ(engine_->resolve(session->access_key_id, session->session_token, now() + 900).error(),
            CredentialError::ExpiredToken);
}

TEST_F(IamEngineTest, PolicySetFollowsWrites) {
  ASSERT_TRUE(engine_->create_user(kDev, "bob", "/", {}).ok());
  Principal bob;
  bob.kind = Principal::Kind::User;
  bob.account_id = kDev;
  bob.name = "bob";
  bob.arn = "arn:aws:iam::000000000000:user/bob";
  EXPECT_TRUE(engine_->policies_for(bob)->identity.empty());
  ASSERT_TRUE(engine_->put_inline_policy(kDev, {OwnerKind::User, "bob"}, "p", kAllowAll).ok());
  ASSERT_TRUE(engine_->attach_policy(kDev, {OwnerKind::User, "bob"}, "arn:aws:iam::aws:policy/ReadOnlyAccess").ok());
  EXPECT_EQ(engine_->policies_for(bob)->identity.size(), 2u);
  engine_->on_reset();
  ASSERT_TRUE(db_->reset_all().ok());
  EXPECT_TRUE(engine_->policies_for(bob)->identity.empty());
}

TEST_F(IamEngineTest, TagsUpsertAndUntag) {
  ASSERT_TRUE(engine_->create_role(kDev, NewRole{"r", "/", "{}", std::nullopt, 3600, {{"a", "1"}}}).ok());
  ASSERT_TRUE(engine_->tag(kDev, {OwnerKind::Role, "r"}, {{"A", "2"}, {"b", "3"}}).ok());
  auto tags = engine_->list_tags(kDev, {OwnerKind::Role, "r"});
  ASSERT_EQ(tags->size(), 2u);
  EXPECT_EQ((*tags)[0].key, "A");
  EXPECT_EQ((*tags)[0].value, "2");
  ASSERT_TRUE(engine_->untag(kDev, {OwnerKind::Role, "r"}, {"a"}).ok());
  EXPECT_EQ(engine_->list_tags(kDev, {OwnerKind::Role, "r"})->size(), 1u);
  EXPECT_EQ(engine_->tag(kDev, {OwnerKind::Role, "nope"}, {}).error().kind, ErrorKind::NotFound);
}

}  // namespace
}  // namespace iam
