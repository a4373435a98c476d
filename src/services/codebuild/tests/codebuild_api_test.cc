// CodeBuild's API helpers: the Errc -> exception switch, pagination tokens, names.
#include <gtest/gtest.h>

#include "services/codebuild/api/api.h"
#include "services/codebuild/model/names.h"

namespace codebuild {
namespace {

TEST(CodebuildApiTest, EveryErrcHasItsException) {
  EXPECT_EQ(api::to_aws_error(error(Errc::ResourceNotFound, "m")).code, "ResourceNotFoundException");
  EXPECT_EQ(api::to_aws_error(error(Errc::ResourceAlreadyExists, "m")).code, "ResourceAlreadyExistsException");
  EXPECT_EQ(api::to_aws_error(error(Errc::InvalidInput, "m")).code, "InvalidInputException");
  EXPECT_EQ(api::to_aws_error(error(Errc::AccountLimitExceeded, "m")).code, "AccountLimitExceededException");
  auto internal = api::to_aws_error(error(Errc::Internal, "disk"));
  EXPECT_EQ(internal.status, 500);
  EXPECT_FALSE(internal.sender_fault);
  EXPECT_EQ(internal.message, "disk");
}

TEST(CodebuildApiTest, PagesOfOneHundredWithOpaqueTokens) {
  std::vector<std::string> items;
  for (int i = 0; i < 150; ++i) items.push_back(std::to_string(i));
  Json first = Json::object();
  api::page_into(first, "ids", items, 0);
  ASSERT_EQ(first["ids"].size(), 100u);
  ASSERT_TRUE(first.contains("nextToken"));
  auto offset = api::page_offset(Json{{"nextToken", first["nextToken"]}});
  ASSERT_TRUE(offset.ok());
  Json second = Json::object();
  api::page_into(second, "ids", items, *offset);
  EXPECT_EQ(second["ids"].size(), 50u);
  EXPECT_EQ(second["ids"][0], "100");
  EXPECT_FALSE(second.contains("nextToken"));
  EXPECT_FALSE(api::page_offset(Json{{"nextToken", "100"}}).ok());
  EXPECT_FALSE(api::page_offset(Json{{"nextToken", "hkcb-1x"}}).ok());
}

TEST(CodebuildApiTest, NamesAndArns) {
  EXPECT_EQ(project_arn("us-east-1", "123456789012", "p"), "arn:aws:codebuild:us-east-1:123456789012:project/p");
  EXPECT_EQ(build_arn("us-east-1", "123456789012", "p:u"), "arn:aws:codebuild:us-east-1:123456789012:build/p:u");
  EXPECT_EQ(build_id_of("arn:aws:codebuild:us-east-1:123456789012:build/p:u"), "p:u");
  EXPECT_EQ(build_id_of("p:u"), "p:u");
  EXPECT_EQ(project_name_of("arn:aws:codebuild:us-east-1:123456789012:project/p"), "p");
  EXPECT_EQ(project_name_of("p"), "p");
  EXPECT_EQ(project_of_build_id("p:u"), "p");
  EXPECT_EQ(uuid_of_build_id("p:u"), "u");
}

}  // namespace
}  // namespace codebuild
