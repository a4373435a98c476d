#include "services/iam/api/convert.h"

#include <fmt/format.h>

#include "common/strings.h"
#include "gen/iam/errors.h"
#include "policy/policy.h"

namespace iam::api {

aws::AwsError to_aws_error(const common::Error& error) {
  using common::ErrorKind;
  switch (error.kind) {
    case ErrorKind::NotFound: return iam::errors::NoSuchEntity(error.message);
    case ErrorKind::AlreadyExists: return iam::errors::EntityAlreadyExists(error.message);
    case ErrorKind::InvalidArgument:
    case ErrorKind::FailedPrecondition: return iam::errors::InvalidInput(error.message);
    case ErrorKind::Conflict: return iam::errors::DeleteConflict(error.message);
    case ErrorKind::LimitExceeded: return iam::errors::LimitExceeded(error.message);
    case ErrorKind::PermissionDenied: return aws::make_aws_error("AccessDenied", 403, error.message);
    case ErrorKind::Unavailable:
    case ErrorKind::Internal: return iam::errors::ServiceFailure(error.message);
  }
  return iam::errors::ServiceFailure(error.message);
}

common::Status<aws::AwsError> check_policy(const std::string& document, bool trust) {
  auto parsed = policy::parse(document, trust ? policy::PolicyKind::Trust : policy::PolicyKind::Identity);
  if (!parsed.ok()) return common::fail(iam::errors::MalformedPolicyDocument(parsed.error().message));
  return common::ok();
}

std::string str(const Json& input, const char* member, const std::string& fallback) {
  auto it = input.find(member);
  return it != input.end() && it->is_string() ? it->get<std::string>() : fallback;
}

std::optional<std::string> opt_str(const Json& input, const char* member) {
  auto it = input.find(member);
  if (it == input.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::vector<Tag> tags_from(const Json& input) {
  std::vector<Tag> tags;
  if (auto it = input.find("Tags"); it != input.end() && it->is_array()) {
    for (const auto& t : *it) tags.push_back(Tag{str(t, "Key"), str(t, "Value")});
  }
  return tags;
}

Json tags_to(const std::vector<Tag>& tags) {
  Json out = Json::array();
  for (const auto& t : tags) out.push_back(Json{{"Key", t.key}, {"Value", t.value}});
  return out;
}

Json user_to(const User& user, bool with_tags) {
  Json out{{"Path", user.path},
           {"UserName", user.name},
           {"UserId", user.user_id},
           {"Arn", user.arn},
           {"CreateDate", user.create_date}};
  if (with_tags && !user.tags.empty()) out["Tags"] = tags_to(user.tags);
  return out;
}

Json service_credential_to(const ServiceCredential& credential) {
  Json out{{"UserName", credential.user_name},
           {"Status", credential.active ? "Active" : "Inactive"},
           {"ServiceUserName", credential.service_user_name},
           {"CreateDate", credential.create_date},
           {"ServiceSpecificCredentialId", credential.credential_id},
           {"ServiceName", credential.service_name}};
  if (!credential.password.empty()) out["ServicePassword"] = credential.password;
  return out;
}

Json role_to(const Role& role, bool with_tags) {
  Json out{{"Path", role.path},
           {"RoleName", role.name},
           {"RoleId", role.role_id},
           {"Arn", role.arn},
           {"CreateDate", role.create_date},
           {"AssumeRolePolicyDocument", encode_document(role.trust_policy)},
           {"MaxSessionDuration", role.max_session_duration}};
  if (role.description) out["Description"] = *role.description;
  if (with_tags && !role.tags.empty()) out["Tags"] = tags_to(role.tags);
  return out;
}

Json policy_to(const ManagedPolicy& policy) {
  Json out{{"PolicyName", policy.name},
           {"PolicyId", policy.policy_id},
           {"Arn", policy.arn},
           {"Path", policy.path},
           {"DefaultVersionId", version_id(policy.default_version)},
           {"AttachmentCount", policy.attachment_count},
           {"PermissionsBoundaryUsageCount", 0},
           {"IsAttachable", true},
           {"CreateDate", policy.create_date},
           {"UpdateDate", policy.update_date}};
  if (policy.description) out["Description"] = *policy.description;
  if (!policy.tags.empty()) out["Tags"] = tags_to(policy.tags);
  return out;
}

Json version_to(const PolicyVersion& version, bool with_document) {
  Json out{{"VersionId", version_id(version.version)},
           {"IsDefaultVersion", version.is_default},
           {"CreateDate", version.create_date}};
  if (with_document) out["Document"] = encode_document(version.document);
  return out;
}

std::string encode_document(const std::string& document) { return common::uri_encode(document); }

std::string version_id(int version) { return fmt::format("v{}", version); }

std::optional<int> parse_version_id(const std::string& id) {
  if (id.size() < 2 || id[0] != 'v') return std::nullopt;
  int value = 0;
  for (size_t i = 1; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9' || value > 100000) return std::nullopt;
    value = value * 10 + (id[i] - '0');
  }
  return value;
}

common::Result<std::string, aws::AwsError> user_name_or_caller(const RequestContext& context, const Json& input) {
  if (auto name = opt_str(input, "UserName")) return *name;
  if (context.principal.kind == dispatch::Principal::Kind::User) return context.principal.name;
  return common::fail(
      aws::make_aws_error("ValidationError", 400, "Must specify userName when calling with non-User credentials"));
}

}  // namespace iam::api
