#include "common/crypto.h"
#include "services/logs/api/api.h"
#include "services/logs/model/names.h"

namespace logs::api {

std::string str(const Json& input, const char* member) {
  auto it = input.find(member);
  if (it == input.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

std::optional<int64_t> optional_long(const Json& input, const char* member) {
  auto it = input.find(member);
  if (it == input.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

GroupRef group_ref(const RequestContext& context, std::string name) {
  return GroupRef{context.account_id(), context.region, std::move(name)};
}

GroupRef group_for_authz(const RequestContext& context, const Json& input) {
  std::string identifier = str(input, "logGroupIdentifier");
  if (auto parts = parse_group_arn(identifier)) return GroupRef{parts->account, parts->region, parts->name};
  std::string name = str(input, "logGroupName");
  return group_ref(context, name.empty() ? identifier : name);
}

common::Result<GroupRef, aws::AwsError> group_of(const RequestContext& context, const Json& input) {
  bool has_name = input.contains("logGroupName");
  bool has_identifier = input.contains("logGroupIdentifier");
  if (has_name && has_identifier) {
    return common::fail(invalid_parameter(
        "LogGroupName and LogGroupIdentifier are mutually exclusive. Only one of these parameters can be passed."));
  }
  if (!has_name && !has_identifier) {
    return common::fail(invalid_parameter("Either logGroupName or logGroupIdentifier must be specified."));
  }
  if (has_name) return group_ref(context, str(input, "logGroupName"));
  std::string identifier = str(input, "logGroupIdentifier");
  if (identifier.rfind("arn:", 0) != 0) return group_ref(context, identifier);
  auto parts = parse_group_arn(identifier);
  if (!parts) return common::fail(invalid_parameter("Invalid log group identifier: " + identifier));
  return GroupRef{parts->account, parts->region, parts->name};
}

Json group_json(const LogGroup& group, bool brief) {
  Json out{
      {"logGroupName", group.name},
      {"creationTime", group.created_ms},
      {"arn", group_arn_any(group.region, group.account, group.name)},
  };
  if (brief) return out;
  out["metricFilterCount"] = 0;
  out["storedBytes"] = group.stored_bytes;
  out["logGroupClass"] = group.log_class;
  out["logGroupArn"] = group_arn(group.region, group.account, group.name);
  out["deletionProtectionEnabled"] = group.deletion_protection;
  if (group.retention_days) out["retentionInDays"] = *group.retention_days;
  if (!group.kms_key.empty()) out["kmsKeyId"] = group.kms_key;
  return out;
}

Json stream_json(const GroupRef& group, const LogStream& stream) {
  Json out{
      {"logStreamName", stream.name},
      {"creationTime", stream.created_ms},
      {"arn", stream_arn(group.region, group.account, group.name, stream.name)},
      // AWS: "no longer supported for log streams, and is always reported as zero".
      {"storedBytes", 0},
  };
  if (stream.first_event_ms) out["firstEventTimestamp"] = *stream.first_event_ms;
  if (stream.last_event_ms) out["lastEventTimestamp"] = *stream.last_event_ms;
  if (stream.last_ingestion_ms) out["lastIngestionTime"] = *stream.last_ingestion_ms;
  if (stream.sequence > 0) out["uploadSequenceToken"] = sequence_token(stream.sequence);
  return out;
}

std::string text_token(const std::string& text) { return common::base64_encode("hkl1:" + text); }

std::optional<std::string> parse_text_token(const std::string& token) {
  std::string text;
  if (!common::base64_decode(token, text) || text.rfind("hkl1:", 0) != 0) return std::nullopt;
  return text.substr(5);
}

aws::AwsError invalid_next_token() { return invalid_parameter("The specified nextToken is invalid."); }

}  // namespace logs::api
