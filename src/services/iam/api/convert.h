// Shared by the IAM operation handlers: domain <-> wire Json, error mapping, pagination.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aws/dispatch/operation_table.h"
#include "aws/protocol/aws_error.h"
#include "common/json.h"
#include "common/result.h"
#include "services/iam/engine/iam_engine.h"
#include "services/iam/model/types.h"

namespace iam::api {

using common::Json;
using dispatch::HandlerResult;
using dispatch::RequestContext;

// The one mapping from engine errors to IAM's wire errors (exhaustive switch, no default).
aws::AwsError to_aws_error(const common::Error& error);
// policy::parse failures -> MalformedPolicyDocument.
common::Status<aws::AwsError> check_policy(const std::string& document, bool trust);

std::string str(const Json& input, const char* member, const std::string& fallback = "");
std::optional<std::string> opt_str(const Json& input, const char* member);

std::vector<Tag> tags_from(const Json& input);
Json tags_to(const std::vector<Tag>& tags);
Json user_to(const User& user, bool with_tags);
Json role_to(const Role& role, bool with_tags);
Json policy_to(const ManagedPolicy& policy);
// ServiceSpecificCredential (with ServicePassword when set) or its metadata.
Json service_credential_to(const ServiceCredential& credential);
Json version_to(const PolicyVersion& version, bool with_document);
// IAM returns policy documents URL-encoded; botocore decodes them.
std::string encode_document(const std::string& document);
std::string version_id(int version);
// "v3" -> 3; nullopt when malformed.
std::optional<int> parse_version_id(const std::string& id);

// The caller's user name when UserName is omitted: users act on themselves.
common::Result<std::string, aws::AwsError> user_name_or_caller(const RequestContext& context, const Json& input);

// Marker/MaxItems paging over a sorted list. `key` names each item; the marker is the key of
// the first item of the next page. Writes IsTruncated and Marker into `output`.
template <class T, class Key>
std::vector<const T*> page(const std::vector<T>& items, const Json& input, Json& output, Key key) {
  std::string marker = str(input, "Marker");
  size_t max_items = input.contains("MaxItems") ? input["MaxItems"].get<size_t>() : 100;
  std::vector<const T*> out;
  size_t i = 0;
  if (!marker.empty()) {
    while (i < items.size() && key(items[i]) != marker) ++i;
  }
  for (; i < items.size() && out.size() < max_items; ++i) out.push_back(&items[i]);
  output["IsTruncated"] = i < items.size();
  if (i < items.size()) output["Marker"] = key(items[i]);
  return out;
}

}  // namespace iam::api
