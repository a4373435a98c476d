// Bucket documents: versioning, policy, tagging, notification configuration.
#include "common/strings.h"
#include "gen/models.h"
#include "policy/policy.h"
#include "services/s3/api/api.h"

namespace s3::api {

using aws::make_aws_error;

namespace {

common::Result<Bucket, aws::AwsError> bucket_of(S3Engine& engine, const Json& input) {
  std::string bucket = str(input, "Bucket");
  auto found = engine.get_bucket(bucket);
  if (!found.ok()) return common::fail(to_aws_error(found.error(), bucket));
  return std::move(*found);
}

aws::AwsError malformed_xml() {
  return make_aws_error("MalformedXML", 400,
                        "The XML you provided was not well-formed or did not validate against our published schema");
}

aws::AwsError malformed_policy(std::string message) {
  return make_aws_error("MalformedPolicy", 400, std::move(message));
}

bool glob(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// "arn:aws:s3:::<bucket>[/<key pattern>]" whose bucket part can name this bucket.
bool resource_in_bucket(const std::string& arn, const std::string& bucket) {
  if (arn == "*") return true;
  static constexpr std::string_view kPrefix = "arn:aws:s3:::";
  if (arn.rfind(kPrefix, 0) != 0) return false;
  std::string_view rest = std::string_view(arn).substr(kPrefix.size());
  std::string_view bucket_part = rest.substr(0, rest.find('/'));
  if (glob(bucket_part, bucket)) return true;
  // "arn:aws:s3:::*" style patterns whose '*' also spans the '/'.
  return rest.find('/') == std::string_view::npos && glob(rest, bucket + "/x");
}

// "s3:GetObject", "s3:Get*", "*": S3 actions IAM knows (operation names and the
// permission-only ones).
bool known_action(const std::string& action) {
  if (action == "*") return true;
  if (action.size() < 4 || !common::iequals(std::string_view(action).substr(0, 3), "s3:")) return false;
  std::string_view name = std::string_view(action).substr(3);
  if (name.find_first_of("*?") != std::string_view::npos) return true;
  static constexpr std::string_view kExtra[] = {
      "ListBucket",
      "ListBucketVersions",
      "ListBucketMultipartUploads",
      "ListMultipartUploadParts",
      "ListAllMyBuckets",
      "GetObjectVersion",
      "DeleteObjectVersion",
      "GetObjectVersionTagging",
      "PutObjectVersionTagging",
      "DeleteObjectVersionTagging",
      "GetObjectVersionAcl",
      "PutObjectVersionAcl",
      "GetBucketNotification",
      "PutBucketNotification",
      "GetLifecycleConfiguration",
      "PutLifecycleConfiguration",
      "GetReplicationConfiguration",
      "PutReplicationConfiguration",
      "GetEncryptionConfiguration",
      "PutEncryptionConfiguration",
      "GetBucketObjectLockConfiguration",
      "PutBucketObjectLockConfiguration",
      "BypassGovernanceRetention",
      "GetObjectVersionAttributes",
      "GetObjectVersionForReplication",
      "ReplicateObject",
      "ReplicateDelete",
      "ReplicateTags",
      "ObjectOwnerOverrideToBucketOwner",
      "GetBucketPolicyStatus",
      "GetBucketOwnershipControls",
      "PutBucketOwnershipControls",
      "GetAccelerateConfiguration",
      "PutAccelerateConfiguration",
      "GetAnalyticsConfiguration",
      "PutAnalyticsConfiguration",
      "GetInventoryConfiguration",
      "PutInventoryConfiguration",
      "GetMetricsConfiguration",
      "PutMetricsConfiguration",
      "GetIntelligentTieringConfiguration",
      "PutIntelligentTieringConfiguration",
      "GetBucketPublicAccessBlock",
      "PutBucketPublicAccessBlock",
      "DeleteBucketWebsite",
      "GetBucketWebsite",
      "PutBucketWebsite",
      "GetObjectRetention",
      "PutObjectRetention",
      "GetObjectLegalHold",
      "PutObjectLegalHold",
      "GetObjectAttributes",
      "RestoreObject",
      "ListBucketByTags",
      "GetBucketCORS",
      "PutBucketCORS",
      "GetBucketLogging",
      "PutBucketLogging",
      "GetBucketRequestPayment",
      "PutBucketRequestPayment",
      "GetBucketAcl",
      "PutBucketAcl",
      "GetObjectAcl",
      "PutObjectAcl",
      "GetBucketLocation",
      "GetBucketVersioning",
      "PutBucketVersioning",
      "GetBucketTagging",
      "PutBucketTagging",
      "DeleteBucketPolicy",
      "GetBucketPolicy",
      "PutBucketPolicy",
      "CreateBucket",
      "DeleteBucket",
      "GetObject",
      "PutObject",
      "DeleteObject",
      "GetObjectTagging",
      "PutObjectTagging",
      "DeleteObjectTagging",
      "AbortMultipartUpload",
      "ListJobs",
      "CreateJob",
      "PutStorageLensConfiguration",
      "GetStorageLensConfiguration",
      "ListAccessPoints",
      "GetAccessPoint",
      "CreateAccessPoint",
  };
  for (std::string_view known : kExtra) {
    if (common::iequals(known, name)) return true;
  }
  const model::ServiceModel& s3 = gen::s3_model();
  for (uint16_t i = 0; i < s3.operation_count; ++i) {
    if (common::iequals(s3.operations[i].name, name)) return true;
  }
  return false;
}

// A bucket policy must parse, name a principal in every statement, and only name resources
// of this bucket (AWS: "Policy has invalid resource").
// Principal.AWS entries: "*", account ids, root ARNs, and user/role ARNs that must exist.
std::optional<aws::AwsError> check_principals(const Json& statement,
                                              const std::function<bool(const std::string&)>& principal_exists) {
  for (const char* field : {"Principal", "NotPrincipal"}) {
    auto p = statement.find(field);
    if (p == statement.end() || !p->is_object()) continue;
    auto aws = p->find("AWS");
    if (aws == p->end()) continue;
    Json list = aws->is_array() ? *aws : Json::array({*aws});
    for (const auto& entry : list) {
      if (!entry.is_string()) return malformed_policy("Invalid principal in policy");
      const std::string& arn = entry.get_ref<const std::string&>();
      bool iam_entity = arn.rfind("arn:aws:iam::", 0) == 0 &&
                        (arn.find(":user/") != std::string::npos || arn.find(":role/") != std::string::npos);
      if (iam_entity && principal_exists && !principal_exists(arn)) {
        return malformed_policy("Invalid principal in policy");
      }
    }
  }
  return std::nullopt;
}

std::optional<aws::AwsError> check_policy(const std::string& bucket, const std::string& text,
                                          const std::function<bool(const std::string&)>& principal_exists) {
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return malformed_policy("Policies must be valid JSON and the first byte must be '{'");
  auto parsed = policy::parse(text, policy::PolicyKind::Resource);
  if (!parsed.ok()) return malformed_policy(parsed.error().message);
  Json statements = doc.value("Statement", Json());
  if (statements.is_object()) statements = Json::array({statements});
  if (!statements.is_array() || statements.empty()) return malformed_policy("Missing required field Statement");
  for (const auto& s : statements) {
    if (!s.is_object()) return malformed_policy("Statement is not an object");
    if (!s.contains("Principal") && !s.contains("NotPrincipal")) {
      return malformed_policy("Missing required field Principal");
    }
    if (auto e = check_principals(s, principal_exists)) return e;
    Json resources = s.contains("Resource") ? s["Resource"] : s.value("NotResource", Json());
    if (resources.is_string()) resources = Json::array({resources});
    if (!resources.is_array() || resources.empty()) return malformed_policy("Missing required field Resource");
    for (const auto& r : resources) {
      if (!r.is_string() || !resource_in_bucket(r.get_ref<const std::string&>(), bucket)) {
        return malformed_policy("Policy has invalid resource");
      }
    }
    Json actions = s.contains("Action") ? s["Action"] : s.value("NotAction", Json());
    if (actions.is_string()) actions = Json::array({actions});
    if (!actions.is_array() || actions.empty()) return malformed_policy("Missing required field Action");
    for (const auto& a : actions) {
      if (!a.is_string() || !known_action(a.get_ref<const std::string&>())) {
        return malformed_policy("Policy has invalid action");
      }
    }
  }
  return std::nullopt;
}

}  // namespace

HandlerResult put_bucket_versioning(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  auto bucket = bucket_of(engine, input);
  if (!bucket.ok()) return common::fail(bucket.error());
  auto config = input.find("VersioningConfiguration");
  if (config == input.end() || !config->contains("Status")) return common::fail(malformed_xml());
  std::string status = str(*config, "Status");
  if (status != "Enabled" && status != "Suspended") return common::fail(malformed_xml());
  auto done = engine.set_versioning(bucket->name, status);
  if (!done.ok()) return common::fail(to_aws_error(done.error(), bucket->name));
  return Json::object();
}

HandlerResult get_bucket_versioning(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  auto bucket = bucket_of(engine, input);
  if (!bucket.ok()) return common::fail(bucket.error());
  Json out = Json::object();
  if (!bucket->versioning.empty()) out["Status"] = bucket->versioning;
  return out;
}

HandlerResult put_bucket_policy(S3Engine& engine, RequestContext&, const Json& input, StreamIo&,
                                const std::function<bool(const std::string&)>& principal_exists) {
  auto bucket = bucket_of(engine, input);
  if (!bucket.ok()) return common::fail(bucket.error());
  std::string text = str(input, "Policy");
  if (auto e = check_policy(bucket->name, text, principal_exists)) return common::fail(*e);
  auto done = engine.set_policy(bucket->name, text);
  if (!done.ok()) return common::fail(to_aws_error(done.error(), bucket->name));
  return Json::object();
}

HandlerResult get_bucket_policy(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  auto bucket = bucket_of(engine, input);
  if (!bucket.ok()) return common::fail(bucket.error());
  if (!bucket->policy) return common::fail(to_aws_error(make_error(Reason::NoSuchBucketPolicy, ""), bucket->name));
  return Json{{"Policy", *bucket->policy}};
}

HandlerResult delete_bucket_policy(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  auto bucket = bucket_of(engine, input);
  if (!bucket.ok()) return common::fail(bucket.error());
  auto done = engine.set_policy(bucket->name, std::nullopt);
  if (!done.ok()) return common::fail(to_aws_error(done.error(), bucket->name));
  return Json::object();
}

HandlerResult put_bucket_tagging(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  auto bucket = bucket_of(engine, input);
  if (!bucket.ok()) return common::fail(bucket.error());
  auto tagging = input.find("Tagging");
  if (tagging == input.end()) return common::fail(malformed_xml());
  auto tags = tags_from_json(*tagging, 50);
  if (!tags.ok()) return common::fail(tags.error());
  auto done = engine.put_config(bucket->name, "tagging", tags_to_json(*tags).dump());
  if (!done.ok()) return common::fail(to_aws_error(done.error(), bucket->name));
  return Json::object();
}

HandlerResult get_bucket_tagging(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  auto bucket = bucket_of(engine, input);
  if (!bucket.ok()) return common::fail(bucket.error());
  auto stored = engine.get_config(bucket->name, "tagging");
  if (!stored.ok()) return common::fail(to_aws_error(stored.error(), bucket->name));
  if (!stored->has_value()) return common::fail(to_aws_error(make_error(Reason::NoSuchTagSet, ""), bucket->name));
  return Json{{"TagSet", Json::parse(**stored, nullptr, false)}};
}

HandlerResult delete_bucket_tagging(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  auto bucket = bucket_of(engine, input);
  if (!bucket.ok()) return common::fail(bucket.error());
  auto done = engine.put_config(bucket->name, "tagging", std::nullopt);
  if (!done.ok()) return common::fail(to_aws_error(done.error(), bucket->name));
  return Json::object();
}

// Stored as given; EventBridge delivery arrives with the EventBridge issue.
HandlerResult put_bucket_notification_configuration(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  auto bucket = bucket_of(engine, input);
  if (!bucket.ok()) return common::fail(bucket.error());
  Json config = input.value("NotificationConfiguration", Json::object());
  auto done = engine.put_config(bucket->name, "notification", config.dump());
  if (!done.ok()) return common::fail(to_aws_error(done.error(), bucket->name));
  return Json::object();
}

HandlerResult get_bucket_notification_configuration(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  auto bucket = bucket_of(engine, input);
  if (!bucket.ok()) return common::fail(bucket.error());
  auto stored = engine.get_config(bucket->name, "notification");
  if (!stored.ok()) return common::fail(to_aws_error(stored.error(), bucket->name));
  if (!stored->has_value()) return Json::object();
  Json config = Json::parse(**stored, nullptr, false);
  return config.is_object() ? config : Json::object();
}

}  // namespace s3::api
