#include "services/iam/engine/authorizer.h"

#include <gtest/gtest.h>

#include "testing/fake_clock.h"

namespace iam {
namespace {

using dispatch::AuthzRequest;
using dispatch::AuthzResource;
using dispatch::Principal;

constexpr const char* kDev = "000000000000";
constexpr const char* kProd = "111111111111";

class AuthorizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(store::Db::open(":memory:").value());
    engine_ = std::make_unique<IamEngine>(
        *db_, clock_, std::vector<dispatch::Account>{{kDev, "dev", {{"test", "test"}}}, {kProd, "prod", {}}});
    ASSERT_TRUE(engine_->migrate().ok());
    ASSERT_TRUE(engine_->create_user(kDev, "alice", "/", {}).ok());
    alice_.kind = Principal::Kind::User;
    alice_.account_id = kDev;
    alice_.name = "alice";
    alice_.arn = "arn:aws:iam::000000000000:user/alice";
    alice_.access_key_id = "AKIAALICE";
  }

  common::Status<aws::AwsError> check(const Principal& who, const std::string& action, const std::string& resource,
                                      const std::string& owner = "", std::optional<std::string> policy = {}) {
    AuthzRequest request;
    request.principal = &who;
    request.action = action;
    request.resources.push_back(AuthzResource{resource, owner, std::move(policy)});
    request.region = "us-east-1";
    IamAuthorizer authorizer(*engine_);
    return authorizer.authorize(request);
  }
  void put(const std::string& name, const std::string& statements) {
    ASSERT_TRUE(engine_
                    ->put_inline_policy(kDev, {OwnerKind::User, "alice"}, name,
                                        R"({"Version":"2012-10-17","Statement":[)" + statements + "]}")
                    .ok());
  }

  testing_support::FakeClock clock_;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<IamEngine> engine_;
  Principal alice_;
};

const char* kParam = "arn:aws:ssm:us-east-1:000000000000:parameter/app/dev/x";

TEST_F(AuthorizerTest, RootMayDoAnythingInItsAccount) {
  Principal root;
  root.account_id = kDev;
  root.arn = "arn:aws:iam::000000000000:root";
  EXPECT_TRUE(check(root, "ssm:GetParameter", kParam).ok());
  EXPECT_FALSE(check(root, "s3:GetObject", "arn:aws:s3:::b/k", kProd).ok());
}

TEST_F(AuthorizerTest, NoPolicyIsAnImplicitDenyWithAwsText) {
  auto result = check(alice_, "ssm:GetParameter", kParam);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: ssm:GetParameter on resource: "
            "arn:aws:ssm:us-east-1:000000000000:parameter/app/dev/x because no identity-based policy allows the "
            "ssm:GetParameter action");
}

TEST_F(AuthorizerTest, AllowThenExplicitDenyWins) {
  put("allow", R"({"Effect":"Allow","Action":"ssm:*","Resource":"*"})");
  EXPECT_TRUE(check(alice_, "ssm:GetParameter", kParam).ok());
  put("deny", R"({"Effect":"Deny","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:*:*:parameter/app/dev/*"})");
  auto result = check(alice_, "ssm:GetParameter", kParam);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error().message.ends_with("with an explicit deny in an identity-based policy"));
  EXPECT_TRUE(check(alice_, "ssm:PutParameter", kParam).ok());
}

TEST_F(AuthorizerTest, UsernameVariableAndPrincipalAccountCondition) {
  put("own",
      R"({"Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:*:*:parameter/home/${aws:username}/*"},
               {"Effect":"Allow","Action":"ssm:PutParameter","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111111111111"}}})");
  EXPECT_TRUE(check(alice_, "ssm:GetParameter", "arn:aws:ssm:us-east-1:000000000000:parameter/home/alice/x").ok());
  EXPECT_FALSE(check(alice_, "ssm:GetParameter", "arn:aws:ssm:us-east-1:000000000000:parameter/home/bob/x").ok());
  EXPECT_FALSE(check(alice_, "ssm:PutParameter", kParam).ok());
}

TEST_F(AuthorizerTest, ManagedPolicyDefaultVersionApplies) {
  auto policy = engine_->create_policy(
      kDev,
      NewPolicy{
          "p",
          "/",
          R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]})",
          std::nullopt,
          {}});
  ASSERT_TRUE(engine_->attach_policy(kDev, {OwnerKind::User, "alice"}, policy->arn).ok());
  EXPECT_TRUE(check(alice_, "ssm:GetParameter", kParam).ok());
  ASSERT_TRUE(
      engine_
          ->create_policy_version(
              kDev, policy->arn,
              R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:PutParameter","Resource":"*"}]})",
              true)
          .ok());
  EXPECT_FALSE(check(alice_, "ssm:GetParameter", kParam).ok());
}

TEST_F(AuthorizerTest, SessionPolicyIntersectsRolePolicies) {
  ASSERT_TRUE(engine_->create_role(kDev, NewRole{"dev", "/", "{}", std::nullopt, 3600, {}}).ok());
  ASSERT_TRUE(
      engine_->attach_policy(kDev, {OwnerKind::Role, "dev"}, "arn:aws:iam::aws:policy/AdministratorAccess").ok());
  Principal session;
  session.kind = Principal::Kind::AssumedRole;
  session.account_id = kDev;
  session.name = "dev";
  session.arn = "arn:aws:sts::000000000000:assumed-role/dev/s";
  session.role_arn = "arn:aws:iam::000000000000:role/dev";
  session.access_key_id = "ASIA1";
  EXPECT_TRUE(check(session, "iam:CreateUser", "*").ok());
  session.access_key_id = "ASIA2";
  session.session_policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:Get*","Resource":"*"}]})";
  EXPECT_TRUE(check(session, "ssm:GetParameter", kParam).ok());
  auto denied = check(session, "iam:CreateUser", "*");
  ASSERT_FALSE(denied.ok());
  EXPECT_TRUE(denied.error().message.find("session policy") != std::string::npos);
}

TEST_F(AuthorizerTest, CrossAccountNeedsBothIdentityAndResourcePolicy) {
  put("allow", R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"})");
  std::string bucket_policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]})";
  EXPECT_FALSE(check(alice_, "s3:GetObject", "arn:aws:s3:::b/k", kProd).ok());
  EXPECT_TRUE(check(alice_, "s3:GetObject", "arn:aws:s3:::b/k", kProd, bucket_policy).ok());
  ASSERT_TRUE(engine_->delete_inline_policy(kDev, {OwnerKind::User, "alice"}, "allow").ok());
  EXPECT_FALSE(check(alice_, "s3:GetObject", "arn:aws:s3:::b/k", kProd, bucket_policy).ok());
}

TEST_F(AuthorizerTest, SameAccountResourcePolicyNamingThePrincipalSuffices) {
  std::string naming_alice =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/alice"},"Action":"s3:GetObject","Resource":"*"}]})";
  std::string naming_account =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"s3:GetObject","Resource":"*"}]})";
  EXPECT_TRUE(check(alice_, "s3:GetObject", "arn:aws:s3:::b/k", kDev, naming_alice).ok());
  EXPECT_FALSE(check(alice_, "s3:GetObject", "arn:aws:s3:::b/k", kDev, naming_account).ok());
  std::string deny =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]})";
  put("allow", R"({"Effect":"Allow","Action":"s3:*","Resource":"*"})");
  auto result = check(alice_, "s3:GetObject", "arn:aws:s3:::b/k", kDev, deny);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.error().message.ends_with("with an explicit deny in a resource-based policy"));
}

// A service taking on its service role (CodeBuild's builds, later CodePipeline's and
// EventBridge's) is decided by the trust policy as STS decides for an AWS principal.
TEST_F(AuthorizerTest, AServiceMayAssumeARoleWhoseTrustPolicyNamesIt) {
  auto trust = [](const std::string& statements) {
    Role role;
    role.account_id = kDev;
    role.arn = "arn:aws:iam::000000000000:role/build";
    role.trust_policy = R"({"Version":"2012-10-17","Statement":[)" + statements + "]}";
    return role;
  };
  const std::string project = "arn:aws:codebuild:us-east-1:000000000000:project/app";
  auto may = [&](const Role& role, const std::string& service = "codebuild.amazonaws.com") {
    return service_may_assume(role, service, project, kDev, clock_);
  };
  Role codebuild =
      trust(R"({"Effect":"Allow","Principal":{"Service":["codebuild.amazonaws.com"]},"Action":"sts:AssumeRole"})");
  EXPECT_TRUE(may(codebuild));
  EXPECT_FALSE(may(codebuild, "codepipeline.amazonaws.com"));
  EXPECT_TRUE(may(trust(R"({"Effect":"Allow","Principal":"*","Action":"sts:*"})")));
  // An account principal stands for the account's IAM identities, not for a service.
  EXPECT_FALSE(may(trust(R"({"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"sts:AssumeRole"})")));
  EXPECT_FALSE(
      may(trust(R"({"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:TagSession"})")));
  // An explicit Deny wins; conditions on aws:SourceAccount and aws:SourceArn are evaluated.
  EXPECT_FALSE(
      may(trust(R"({"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"},)"
                R"({"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"})")));
  std::string guarded =
      R"({"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole",)"
      R"("Condition":{"StringEquals":{"aws:SourceAccount":"ACCOUNT"},"ArnLike":{"aws:SourceArn":"ARN"}}})";
  auto with = [&](std::string text, const std::string& account, const std::string& arn) {
    text.replace(text.find("ACCOUNT"), 7, account);
    text.replace(text.find("ARN"), 3, arn);
    return trust(text);
  };
  EXPECT_TRUE(may(with(guarded, kDev, "arn:aws:codebuild:us-east-1:000000000000:project/*")));
  EXPECT_FALSE(may(with(guarded, kProd, "arn:aws:codebuild:us-east-1:000000000000:project/*")));
  EXPECT_FALSE(may(with(guarded, kDev, "arn:aws:codebuild:us-east-1:000000000000:project/other")));
  Role broken = codebuild;
  broken.trust_policy = "{not json";
  EXPECT_FALSE(may(broken));
}

}  // namespace
}  // namespace iam
