// Sanity checks over the generated tables (src/gen/), so a generator bug fails here rather
// than in a handler.
#include <gtest/gtest.h>

#include "aws/protocol/patterns.h"
#include "gen/iam/errors.h"
#include "gen/models.h"
#include "gen/ssm/errors.h"
#include "gen/sts/errors.h"

namespace aws::protocol {
namespace {

TEST(GeneratedModels, AllServicesArePresent) {
  EXPECT_EQ(gen::all_models().size(), 12u);
  EXPECT_EQ(gen::find_model_by_target_prefix("AmazonSSM"), &gen::ssm_model());
  EXPECT_EQ(gen::find_model_by_target_prefix("AmazonEC2ContainerRegistry_V20150921"), &gen::ecr_model());
  EXPECT_EQ(gen::find_model_by_target_prefix(""), nullptr);
  EXPECT_EQ(gen::find_model_by_target_prefix("Nope"), nullptr);
  EXPECT_EQ(gen::find_model_by_signing_name("elasticloadbalancing"), &gen::elbv2_model());
  EXPECT_EQ(gen::find_model_by_signing_name("iam"), &gen::iam_model());
  EXPECT_EQ(gen::find_model_by_signing_name("sts"), &gen::sts_model());
  EXPECT_EQ(gen::find_model_by_signing_name("s3"), &gen::s3_model());
  EXPECT_EQ(gen::iam_model().protocol, model::Protocol::Query);
  EXPECT_EQ(gen::s3_model().protocol, model::Protocol::RestXml);
  EXPECT_EQ(gen::ssm_model().protocol, model::Protocol::Json);
  EXPECT_EQ(gen::sts_model().xml_namespace, "https://sts.amazonaws.com/doc/2011-06-15/");
}

TEST(GeneratedModels, OperationsAreSortedAndIndicesInRange) {
  for (const model::ServiceModel* service : gen::all_models()) {
    SCOPED_TRACE(std::string(service->service_id));
    ASSERT_GT(service->operation_count, 0);
    for (uint16_t i = 0; i < service->operation_count; ++i) {
      const model::Operation& op = service->operations[i];
      if (i > 0) {
        EXPECT_LT(service->operations[i - 1].name, op.name);
      }
      EXPECT_EQ(service->find_operation(op.name), &op);
      EXPECT_TRUE(op.input == model::kNoShape || op.input < service->shape_count);
      EXPECT_TRUE(op.output == model::kNoShape || op.output < service->shape_count);
      for (uint16_t e = 0; e < op.error_count; ++e) {
        ASSERT_LT(op.errors[e], service->shape_count);
        EXPECT_TRUE(service->shape(op.errors[e]).is_error);
      }
    }
    for (uint16_t s = 0; s < service->shape_count; ++s) {
      const model::Shape& shape = service->shape(s);
      for (uint16_t m = 0; m < shape.member_count; ++m) {
        EXPECT_LT(shape.members[m].shape, service->shape_count);
      }
      if (shape.type == model::ShapeType::List) {
        EXPECT_LT(shape.list_member, service->shape_count);
      }
      if (shape.type == model::ShapeType::Map) {
        EXPECT_LT(shape.map_key, service->shape_count);
        EXPECT_LT(shape.map_value, service->shape_count);
      }
    }
  }
}

TEST(GeneratedModels, EveryImplementedPatternCompiles) {
  for (const model::ServiceModel* service : gen::all_models()) {
    for (uint16_t s = 0; s < service->shape_count; ++s) {
      const model::Shape& shape = service->shape(s);
      if (!shape.pattern.empty()) {
        EXPECT_NE(pattern_matches(shape.pattern, "x"), std::nullopt) << service->service_id << " " << shape.name;
      }
    }
  }
}

TEST(GeneratedModels, ImplementedAndUnimplementedOperations) {
  const model::Operation* put = gen::ssm_model().find_operation("PutParameter");
  ASSERT_NE(put, nullptr);
  EXPECT_EQ(gen::ssm_model().shape(put->input).name, "PutParameterRequest");
  EXPECT_GT(put->error_count, 0);
  const model::Operation* unimplemented = gen::ssm_model().find_operation("SendCommand");
  ASSERT_NE(unimplemented, nullptr);
  EXPECT_EQ(unimplemented->input, model::kNoShape);
  const model::Operation* get_user = gen::iam_model().find_operation("GetUser");
  ASSERT_NE(get_user, nullptr);
  EXPECT_EQ(get_user->result_wrapper, "GetUserResult");
  EXPECT_EQ(gen::s3_model().find_operation("GetObject")->http_method, "GET");
  EXPECT_EQ(gen::s3_model().find_operation("GetObject")->request_uri, "/{Bucket}/{Key+}");
}

TEST(GeneratedErrors, QueryServicesUseTheWireCode) {
  const AwsError missing = iam::errors::NoSuchEntityException("no user");
  EXPECT_EQ(missing.code, "NoSuchEntity");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(missing.sender_fault);
  EXPECT_EQ(missing.message, "no user");
  EXPECT_EQ(iam::errors::NoSuchEntity("x").code, "NoSuchEntity");
  EXPECT_EQ(iam::errors::EntityAlreadyExistsException("x").status, 409);
  EXPECT_EQ(iam::errors::ServiceFailureException("x").status, 500);
  EXPECT_FALSE(iam::errors::ServiceFailureException("x").sender_fault);
  EXPECT_EQ(sts::errors::MalformedPolicyDocumentException("x").code, "MalformedPolicyDocument");
}

TEST(GeneratedErrors, JsonServicesUseTheShapeName) {
  const AwsError missing = ssm::errors::ParameterNotFound("nope");
  EXPECT_EQ(missing.code, "ParameterNotFound");
  EXPECT_EQ(missing.status, 400);
  const AwsError internal = ssm::errors::InternalServerError("boom");
  EXPECT_EQ(internal.status, 500);
  EXPECT_FALSE(internal.sender_fault);
}

}  // namespace
}  // namespace aws::protocol
