// What the Logs handlers share: how a request names its log group, the wire shapes several
// operations return, tags, pagination tokens, and the one mapping from logs::Error to Logs'
// exceptions. One handler per operation (or small family) lives in the file named after it;
// register.cc binds them.
#pragma once

#include <optional>
#include <string>

#include "aws/dispatch/operation_table.h"
#include "aws/protocol/aws_error.h"
#include "services/logs/engine/logs_engine.h"

namespace logs::api {

using dispatch::HandlerResult;
using dispatch::RequestContext;
using Json = common::Json;

struct Api {
  explicit Api(LogsEngine& e) : engine(e) {}
  LogsEngine& engine;
};

// --- naming (common.cc) ---------------------------------------------------------------------
std::string str(const Json& input, const char* member);
std::optional<int64_t> optional_long(const Json& input, const char* member);
GroupRef group_ref(const RequestContext& context, std::string name);
// The group a request names: logGroupName, or logGroupIdentifier (a name or a log group ARN,
// with or without ":*"). Exactly one of them (InvalidParameterException otherwise).
common::Result<GroupRef, aws::AwsError> group_of(const RequestContext& context, const Json& input);
// The name alone, as IAM needs it before the handler runs (never fails: "" when absent).
GroupRef group_for_authz(const RequestContext& context, const Json& input);

// --- wire shapes (common.cc) ----------------------------------------------------------------
// LogGroup; `brief` (DescribeLogGroups with logGroupNamePattern) keeps only arn, creationTime
// and logGroupName, as AWS answers then.
Json group_json(const LogGroup& group, bool brief);
Json stream_json(const GroupRef& group, const LogStream& stream);

// --- tags (tags.cc) -------------------------------------------------------------------------
// A Tags map from the wire; InvalidParameterException for reserved ("aws:") keys.
common::Result<Tags, aws::AwsError> parse_tags(const Json& map);
Json tags_json(const Tags& tags);

// --- pagination (common.cc) -----------------------------------------------------------------
// Opaque tokens over a string (the last group name) or an offset (stream listings).
std::string text_token(const std::string& text);
std::optional<std::string> parse_text_token(const std::string& token);
aws::AwsError invalid_next_token();

// --- errors (errors.cc) ---------------------------------------------------------------------
// One exhaustive switch over Errc.
aws::AwsError to_aws_error(const Error& error);
aws::AwsError invalid_parameter(std::string message);

}  // namespace logs::api
