#include <gtest/gtest.h>

#include <filesystem>

#include "common/crypto.h"
#include "common/temp_dir.h"
#include "services/ecr/engine/auth_token.h"
#include "services/ecr/model/uri.h"

namespace ecr {
namespace {

TEST(RepositoryName, AwsRule) {
  EXPECT_TRUE(valid_repository_name("app"));
  EXPECT_TRUE(valid_repository_name("team/app-web_1.0"));
  EXPECT_TRUE(valid_repository_name("a__b/c--d"));
  EXPECT_FALSE(valid_repository_name("a"));
  EXPECT_FALSE(valid_repository_name("App"));
  EXPECT_FALSE(valid_repository_name("app/"));
  EXPECT_FALSE(valid_repository_name("/app"));
  EXPECT_FALSE(valid_repository_name("a___b"));
  EXPECT_FALSE(valid_repository_name("a.-b"));
  EXPECT_FALSE(valid_repository_name(std::string(257, 'a')));
}

TEST(RepositoryArn, RoundTrip) {
  std::string arn = repository_arn("us-east-1", "000000000000", "team/app");
  EXPECT_EQ(arn, "arn:aws:ecr:us-east-1:000000000000:repository/team/app");
  auto parts = parse_repository_arn(arn);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->region, "us-east-1");
  EXPECT_EQ(parts->account, "000000000000");
  EXPECT_EQ(parts->name, "team/app");
  EXPECT_FALSE(parse_repository_arn("arn:aws:ecr:us-east-1:0000:repository/x"));
  EXPECT_FALSE(parse_repository_arn("arn:aws:s3:::bucket"));
  EXPECT_FALSE(parse_repository_arn("arn:aws:ecr:us-east-1:000000000000:repository/"));
}

TEST(RegistryTarget, PathFormNamesAccountAndRegion) {
  EXPECT_EQ(repository_uri("localhost:4566", "000000000000", "us-east-1", "us-east-1", "app"),
            "localhost:4566/000000000000/app");
  EXPECT_EQ(repository_uri("localhost:4566", "000000000000", "eu-west-1", "us-east-1", "app"),
            "localhost:4566/000000000000/eu-west-1/app");
  auto t = resolve_registry_target("localhost:4566", "000000000000/team/app", "us-east-1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->account, "000000000000");
  EXPECT_EQ(t->region, "us-east-1");
  EXPECT_EQ(t->name, "team/app");
  t = resolve_registry_target("127.0.0.1:9", "111111111111/ap-northeast-1/app", "us-east-1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->region, "ap-northeast-1");
  EXPECT_EQ(t->name, "app");
  EXPECT_FALSE(resolve_registry_target("localhost", "app", "us-east-1"));
  EXPECT_FALSE(resolve_registry_target("localhost", "000000000000", "us-east-1"));
  EXPECT_FALSE(resolve_registry_target("localhost", "000000000000/", "us-east-1"));
}

TEST(RegistryTarget, AwsShapedHost) {
  auto t = resolve_registry_target("123456789012.dkr.ecr.eu-central-1.localhost:4566", "team/app", "us-east-1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->account, "123456789012");
  EXPECT_EQ(t->region, "eu-central-1");
  EXPECT_EQ(t->name, "team/app");
}

TEST(TokenIssuer, SignsAndVerifies) {
  TokenIssuer issuer(std::string(32, 'k'));
  TokenClaims claims{"AKIAEXAMPLE", "session-token/+=", 1700000000};
  std::string password = issuer.password(claims);
  auto back = issuer.verify(password);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->access_key_id, "AKIAEXAMPLE");
  EXPECT_EQ(back->session_token, "session-token/+=");
  EXPECT_EQ(back->expires_epoch, 1700000000);
  std::string token;
  ASSERT_TRUE(common::base64_decode(issuer.authorization_token(claims), token));
  EXPECT_EQ(token, "AWS:" + password);
}

TEST(TokenIssuer, RefusesTamperingAndOtherKeys) {
  TokenIssuer issuer(std::string(32, 'k'));
  std::string password = issuer.password({"AKIA", "", 1700000000});
  EXPECT_FALSE(TokenIssuer(std::string(32, 'z')).verify(password));
  std::string tampered = password;
  tampered[6] = tampered[6] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(issuer.verify(tampered));
  EXPECT_FALSE(issuer.verify("garbage"));
  EXPECT_FALSE(issuer.verify(""));
}

TEST(TokenIssuer, KeyPersistsAcrossOpens) {
  common::TempDir temp("hk-token");
  ASSERT_TRUE(temp.ok());
  auto dir = std::filesystem::path(temp.path()) / "state";  // missing, like a first start's
  std::string path = (dir / "ecr" / "token.key").string();
  auto first = TokenIssuer::open(path);
  ASSERT_TRUE(first.ok());
  std::string password = first->password({"AKIA", "", 1});
  auto second = TokenIssuer::open(path);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->verify(password));
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::group_read,
            std::filesystem::perms::none);
}

}  // namespace
}  // namespace ecr
