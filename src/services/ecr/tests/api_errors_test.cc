// Pins the one mapping from ecr::Errc to ECR's wire errors (api/errors.cc) and the opaque
// pagination tokens (api/common.cc).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "services/ecr/api/api.h"

namespace ecr::api {
namespace {

TEST(EcrApiErrors, EveryErrcHasItsException) {
  const std::vector<std::pair<Errc, std::string>> table = {
      {Errc::RepositoryNotFound, "RepositoryNotFoundException"},
      {Errc::RepositoryAlreadyExists, "RepositoryAlreadyExistsException"},
      {Errc::RepositoryNotEmpty, "RepositoryNotEmptyException"},
      {Errc::PolicyNotFound, "RepositoryPolicyNotFoundException"},
      {Errc::LifecyclePolicyNotFound, "LifecyclePolicyNotFoundException"},
      {Errc::ImageNotFound, "ImageNotFoundException"},
      {Errc::ImageReferenced, "InvalidParameterException"},
      {Errc::ImageAlreadyExists, "ImageAlreadyExistsException"},
      {Errc::ImageTagAlreadyExists, "ImageTagAlreadyExistsException"},
      {Errc::ImageDigestMismatch, "ImageDigestDoesNotMatchException"},
      {Errc::ManifestInvalid, "InvalidParameterException"},
      {Errc::ManifestBlobUnknown, "LayersNotFoundException"},
      {Errc::BlobUnknown, "LayersNotFoundException"},
      {Errc::UploadUnknown, "UploadNotFoundException"},
      {Errc::UploadInvalid, "InvalidLayerPartException"},
      {Errc::DigestInvalid, "InvalidLayerException"},
      {Errc::SizeInvalid, "InvalidLayerException"},
      {Errc::LayerAlreadyExists, "LayerAlreadyExistsException"},
      {Errc::LayerPartTooSmall, "LayerPartTooSmallException"},
      {Errc::InvalidParameter, "InvalidParameterException"},
      {Errc::InvalidTagParameter, "InvalidTagParameterException"},
      {Errc::TooManyTags, "TooManyTagsException"},
      {Errc::LimitExceeded, "LimitExceededException"},
      {Errc::Internal, "ServerException"},
  };
  RepoRef ref{"000000000000", "us-east-1", "app"};
  for (const auto& [code, wire] : table) {
    aws::AwsError e = to_aws_error(error(code, "detail"), ref);
    EXPECT_EQ(e.code, wire) << static_cast<int>(code);
    EXPECT_EQ(e.status, code == Errc::Internal ? 500 : 400) << wire;
  }
}

TEST(EcrApiErrors, RepositoryMessagesAreAws) {
  RepoRef ref{"123456789012", "us-east-1", "team/app"};
  EXPECT_EQ(to_aws_error(error(Errc::RepositoryNotFound, ""), ref).message,
            "The repository with name 'team/app' does not exist in the registry with id '123456789012'");
  EXPECT_EQ(to_aws_error(error(Errc::RepositoryNotEmpty, ""), ref).message,
            "The repository with name 'team/app' in registry with id '123456789012' cannot be deleted because it "
            "still contains images");
  EXPECT_EQ(to_aws_error(error(Errc::PolicyNotFound, ""), ref).message,
            "Repository policy does not exist for the repository with name 'team/app' in the registry with id "
            "'123456789012'");
}

TEST(EcrApiPages, TokensRoundTripAndRejectForgeries) {
  auto first = page_of(Json::object(), 100);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->offset, 0u);
  EXPECT_EQ(first->size, 100u);
  auto next = page_of(Json{{"nextToken", page_token(40)}, {"maxResults", 20}}, 100);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->offset, 40u);
  EXPECT_EQ(next->size, 20u);
  for (const char* bad : {"x", "aGsxOg==", "aGsxOjEyYQ==", "bm9wZTox"}) {  // "hk1:", "hk1:12a", "nope:1"
    auto page = page_of(Json{{"nextToken", bad}}, 100);
    ASSERT_FALSE(page.ok()) << bad;
    EXPECT_EQ(page.error().code, "InvalidParameterException");
  }
}

TEST(EcrApiImages, ImageIdTextPrintsNullForMissingMembers) {
  EXPECT_EQ(image_id_text(Json{{"imageTag", "v1"}}), "{imageDigest:'null', imageTag:'v1'}");
  EXPECT_EQ(image_id_text(Json{{"imageDigest", "sha256:ab"}}), "{imageDigest:'sha256:ab', imageTag:'null'}");
}

}  // namespace
}  // namespace ecr::api
