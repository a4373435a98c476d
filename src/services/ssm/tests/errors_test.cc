// Pins the engine-error -> AWS-error mapping (api/errors.cc).
#include <gtest/gtest.h>

#include "services/ssm/api/errors.h"

namespace ssm {
namespace {

TEST(SsmErrorsTest, EveryReasonHasItsAwsCode) {
  const std::pair<Reason, const char*> table[] = {
      {Reason::InvalidInput, "ValidationException"},
      {Reason::NotFound, "ParameterNotFound"},
      {Reason::VersionNotFound, "ParameterVersionNotFound"},
      {Reason::AlreadyExists, "ParameterAlreadyExists"},
      {Reason::HierarchyTooDeep, "HierarchyLevelLimitExceededException"},
      {Reason::TypeMismatch, "HierarchyTypeMismatchException"},
      {Reason::BadAllowedPattern, "InvalidAllowedPatternException"},
      {Reason::PatternMismatch, "ParameterPatternMismatchException"},
      {Reason::TooManyParameters, "ParameterLimitExceeded"},
      {Reason::VersionLimit, "ParameterMaxVersionLimitExceeded"},
      {Reason::LabelLimit, "ParameterVersionLabelLimitExceeded"},
      {Reason::UnsupportedType, "UnsupportedParameterType"},
      {Reason::BadKeyId, "InvalidKeyId"},
      {Reason::BadFilterKey, "InvalidFilterKey"},
      {Reason::BadFilterOption, "InvalidFilterOption"},
      {Reason::BadFilterValue, "InvalidFilterValue"},
      {Reason::BadNextToken, "InvalidNextToken"},
      {Reason::BadResourceType, "InvalidResourceType"},
      {Reason::BadResourceId, "InvalidResourceId"},
      {Reason::TooManyTags, "TooManyTagsError"},
      {Reason::BadPolicyType, "InvalidPolicyTypeException"},
      {Reason::BadPolicyAttribute, "InvalidPolicyAttributeException"},
      {Reason::IncompatiblePolicy, "IncompatiblePolicyException"},
      {Reason::TooManyPolicies, "PoliciesLimitExceededException"},
  };
  for (const auto& [reason, code] : table) {
    aws::AwsError error = to_aws_error(make_error(reason, "m"));
    EXPECT_EQ(error.code, code);
    EXPECT_EQ(error.status, 400);
    EXPECT_EQ(error.message, "m");
  }
}

TEST(SsmErrorsTest, StorageFailuresMapByKind) {
  EXPECT_EQ(to_aws_error(storage_error({common::ErrorKind::Internal, "x"})).code, "InternalServerError");
  EXPECT_EQ(to_aws_error(storage_error({common::ErrorKind::Internal, "x"})).status, 500);
  EXPECT_EQ(to_aws_error(storage_error({common::ErrorKind::Unavailable, "busy"})).code, "TooManyUpdates");
  EXPECT_EQ(to_aws_error(storage_error({common::ErrorKind::AlreadyExists, "x"})).code, "ParameterAlreadyExists");
}

}  // namespace
}  // namespace ssm
