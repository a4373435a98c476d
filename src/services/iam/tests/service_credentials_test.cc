// Service-specific credentials: lifecycle, limits, and the git front's password check.
#include <gtest/gtest.h>

#include "services/iam/engine/iam_engine.h"
#include "testing/fake_clock.h"

namespace iam {
namespace {

using common::ErrorKind;
using dispatch::Principal;

constexpr const char* kDev = "000000000000";
constexpr const char* kCodeCommit = "codecommit.amazonaws.com";

class ServiceCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(store::Db::open(":memory:").value());
    engine_ = std::make_unique<IamEngine>(*db_, clock_,
                                          std::vector<dispatch::Account>{{kDev, "dev", {{"test", "testsecret"}}}});
    ASSERT_TRUE(engine_->migrate().ok());
    ASSERT_TRUE(engine_->create_user(kDev, "Alice", "/team/", {}).ok());
  }

  testing_support::FakeClock clock_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<IamEngine> engine_;
};

TEST_F(ServiceCredentialsTest, CreateReturnsAwsShapedCredential) {
  auto c = engine_->create_service_credential(kDev, "alice", kCodeCommit);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->user_name, "Alice");
  EXPECT_EQ(c->service_user_name, "Alice-at-000000000000");
  EXPECT_EQ(c->password.size(), 44u);
  EXPECT_TRUE(c->credential_id.starts_with("ACCA"));
  EXPECT_EQ(c->credential_id.size(), 21u);
  EXPECT_TRUE(c->active);
  auto listed = engine_->list_service_credentials(kDev, "Alice", std::nullopt);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(listed->front().password.empty());
  EXPECT_EQ(engine_->list_service_credentials(kDev, "Alice", std::string("cassandra.amazonaws.com"))->size(), 0u);
}

TEST_F(ServiceCredentialsTest, TwoPerUserAndService) {
  ASSERT_TRUE(engine_->create_service_credential(kDev, "Alice", kCodeCommit).ok());
  ASSERT_TRUE(engine_->create_service_credential(kDev, "Alice", kCodeCommit).ok());
  auto third = engine_->create_service_credential(kDev, "Alice", kCodeCommit);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().kind, ErrorKind::LimitExceeded);
}

TEST_F(ServiceCredentialsTest, UnknownUserOrCredentialIsNotFound) {
  EXPECT_EQ(engine_->create_service_credential(kDev, "nobody", kCodeCommit).error().kind, ErrorKind::NotFound);
  EXPECT_EQ(engine_->reset_service_credential(kDev, "Alice", "ACCAXXXXXXXXXXXXXXXXX").error().kind,
            ErrorKind::NotFound);
  EXPECT_EQ(engine_->update_service_credential(kDev, "Alice", "ACCAXXXXXXXXXXXXXXXXX", false).error().kind,
            ErrorKind::NotFound);
  EXPECT_EQ(engine_->delete_service_credential(kDev, "Alice", "ACCAXXXXXXXXXXXXXXXXX").error().kind,
            ErrorKind::NotFound);
  // Another user's credential is not found through this one.
  ASSERT_TRUE(engine_->create_user(kDev, "bob", "/", {}).ok());
  auto c = engine_->create_service_credential(kDev, "Alice", kCodeCommit);
  EXPECT_EQ(engine_->delete_service_credential(kDev, "bob", c->credential_id).error().kind, ErrorKind::NotFound);
}

TEST_F(ServiceCredentialsTest, VerifyYieldsTheUserPrincipalWhileActiveAndMatching) {
  auto c = engine_->create_service_credential(kDev, "Alice", kCodeCommit);
  ASSERT_TRUE(c.ok());
  auto principal = engine_->verify_service_password(c->service_user_name, c->password);
  ASSERT_TRUE(principal.has_value());
  EXPECT_EQ(principal->kind, Principal::Kind::User);
  EXPECT_EQ(principal->arn, "arn:aws:iam::000000000000:user/team/Alice");
  EXPECT_EQ(principal->name, "Alice");
  EXPECT_EQ(principal->account_id, kDev);
  EXPECT_TRUE(principal->user_id.starts_with("AIDA"));
  EXPECT_FALSE(engine_->verify_service_password(c->service_user_name, c->password + "x"));
  EXPECT_FALSE(engine_->verify_service_password("bob-at-000000000000", c->password));

  ASSERT_TRUE(engine_->update_service_credential(kDev, "Alice", c->credential_id, false).ok());
  EXPECT_FALSE(engine_->verify_service_password(c->service_user_name, c->password));
  ASSERT_TRUE(engine_->update_service_credential(kDev, "Alice", c->credential_id, true).ok());
  EXPECT_TRUE(engine_->verify_service_password(c->service_user_name, c->password));

  auto reset = engine_->reset_service_credential(kDev, "Alice", c->credential_id);
  ASSERT_TRUE(reset.ok());
  EXPECT_NE(reset->password, c->password);
  EXPECT_FALSE(engine_->verify_service_password(c->service_user_name, c->password));
  EXPECT_TRUE(engine_->verify_service_password(c->service_user_name, reset->password));
}

TEST_F(ServiceCredentialsTest, BothCredentialsOfAUserWork) {
  auto first = engine_->create_service_credential(kDev, "Alice", kCodeCommit);
  auto second = engine_->create_service_credential(kDev, "Alice", kCodeCommit);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(engine_->verify_service_password(first->service_user_name, first->password));
  EXPECT_TRUE(engine_->verify_service_password(second->service_user_name, second->password));
}

TEST_F(ServiceCredentialsTest, UserCannotBeDeletedWhileCredentialsExist) {
  auto c = engine_->create_service_credential(kDev, "Alice", kCodeCommit);
  ASSERT_TRUE(c.ok());
  auto refused = engine_->delete_user(kDev, "Alice");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::Conflict);
  ASSERT_TRUE(engine_->delete_service_credential(kDev, "Alice", c->credential_id).ok());
  EXPECT_TRUE(engine_->delete_user(kDev, "Alice").ok());
  EXPECT_FALSE(engine_->verify_service_password(c->service_user_name, c->password));
}

}  // namespace
}  // namespace iam
