#include <gtest/gtest.h>

#include "services/iam/api/convert.h"

namespace iam::api {
namespace {

using common::ErrorKind;

TEST(IamErrorMapping, EveryKindHasAnIamCode) {
  struct Case {
    ErrorKind kind;
    const char* code;
    int status;
  };
  const Case cases[] = {
      {ErrorKind::NotFound, "NoSuchEntity", 404},         {ErrorKind::AlreadyExists, "EntityAlreadyExists", 409},
      {ErrorKind::InvalidArgument, "InvalidInput", 400},  {ErrorKind::FailedPrecondition, "InvalidInput", 400},
      {ErrorKind::Conflict, "DeleteConflict", 409},       {ErrorKind::LimitExceeded, "LimitExceeded", 409},
      {ErrorKind::PermissionDenied, "AccessDenied", 403}, {ErrorKind::Unavailable, "ServiceFailure", 500},
      {ErrorKind::Internal, "ServiceFailure", 500},
  };
  for (const auto& c : cases) {
    aws::AwsError error = to_aws_error(common::make_error(c.kind, "m"));
    EXPECT_EQ(error.code, c.code);
    EXPECT_EQ(error.status, c.status);
    EXPECT_EQ(error.message, "m");
  }
}

TEST(IamErrorMapping, MalformedPolicyDocument) {
  auto result = check_policy(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]})", false);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "MalformedPolicyDocument");
  EXPECT_TRUE(
      check_policy(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})", false)
          .ok());
}

TEST(IamWire, VersionIdsAndDocuments) {
  EXPECT_EQ(version_id(12), "v12");
  EXPECT_EQ(parse_version_id("v3"), 3);
  EXPECT_FALSE(parse_version_id("3").has_value());
  EXPECT_FALSE(parse_version_id("vx").has_value());
  EXPECT_EQ(encode_document(R"({"a": "b/c"})"), "%7B%22a%22%3A%20%22b%2Fc%22%7D");
}

}  // namespace
}  // namespace iam::api
