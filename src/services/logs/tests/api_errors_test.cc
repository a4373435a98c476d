// Pins the one mapping from logs::Errc to CloudWatch Logs' wire errors (api/errors.cc).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "services/logs/api/api.h"

namespace logs::api {
namespace {

TEST(LogsApiErrors, EveryErrcHasItsException) {
  const std::vector<std::pair<Errc, std::string>> table = {
      {Errc::GroupNotFound, "ResourceNotFoundException"},
      {Errc::StreamNotFound, "ResourceNotFoundException"},
      {Errc::GroupAlreadyExists, "ResourceAlreadyExistsException"},
      {Errc::StreamAlreadyExists, "ResourceAlreadyExistsException"},
      {Errc::InvalidParameter, "InvalidParameterException"},
      {Errc::TooManyTags, "TooManyTagsException"},
      {Errc::DeletionProtected, "ValidationException"},
      {Errc::Internal, "ServiceUnavailableException"},
  };
  for (const auto& [code, expected] : table) {
    aws::AwsError e = to_aws_error(error(code, "msg"));
    EXPECT_EQ(e.code, expected);
    EXPECT_EQ(e.message, "msg");
    EXPECT_EQ(e.status, code == Errc::Internal ? 500 : 400);
  }
}

}  // namespace
}  // namespace logs::api
