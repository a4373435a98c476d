#include "common/ids.h"
#include "services/ecr/api/handlers.h"

namespace ecr::api {
namespace {

bool with_exclusion(const std::string& mutability) {
  return mutability == "IMMUTABLE_WITH_EXCLUSION" || mutability == "MUTABLE_WITH_EXCLUSION";
}

}  // namespace

// Exclusion filters go with the *_WITH_EXCLUSION settings only, and those need at least one.
std::optional<aws::AwsError> check_mutability(const std::string& mutability, const Json& filters) {
  bool has_filters = filters.is_array() && !filters.empty();
  if (with_exclusion(mutability) && !has_filters) {
    return invalid_parameter(
        "Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'Exclusion filters "
        "are required when imageTagMutability is " +
        mutability + "'");
  }
  if (!with_exclusion(mutability) && has_filters) {
    return invalid_parameter(
        "Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'Exclusion filters "
        "are only allowed when imageTagMutability is IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION'");
  }
  return std::nullopt;
}

HandlerResult create_repository(Api& api, RequestContext& context, const Json& input) {
  CreateRepositoryInput create;
  create.ref = repo_ref(context, input);
  create.tag_mutability = input.value("imageTagMutability", std::string("MUTABLE"));
  create.mutability_exclusions = input.value("imageTagMutabilityExclusionFilters", Json::array());
  if (auto error = check_mutability(create.tag_mutability, create.mutability_exclusions)) return common::fail(*error);
  if (auto scanning = input.find("imageScanningConfiguration"); scanning != input.end()) {
    create.scan_on_push = scanning->value("scanOnPush", false);
  }
  if (auto encryption = input.find("encryptionConfiguration"); encryption != input.end()) {
    create.encryption_type = str(*encryption, "encryptionType");
    create.kms_key = str(*encryption, "kmsKey");
    if (create.encryption_type == "AES256" && !create.kms_key.empty()) {
      return common::fail(invalid_parameter(
          "Invalid parameter at 'encryptionConfiguration' failed to satisfy constraint: 'kmsKey can only be specified "
          "when encryptionType is KMS or KMS_DSSE'"));
    }
    if (create.encryption_type != "AES256" && create.kms_key.empty()) {
      // AWS then uses the account's AWS managed key for ECR and reports its ARN.
      create.kms_key = "arn:aws:kms:" + create.ref.region + ":" + create.ref.account + ":key/" + common::uuid4();
    }
  }
  if (auto tags = input.find("tags"); tags != input.end()) {
    auto parsed = parse_tags(*tags);
    if (!parsed.ok()) return common::fail(parsed.error());
    create.tags = std::move(*parsed);
  }
  auto repository = api.engine.create_repository(create);
  if (!repository.ok()) return common::fail(to_aws_error(repository.error(), create.ref));
  return Json{{"repository", repository_json(api, context, *repository)}};
}

}  // namespace ecr::api
