// The S3 api layer: decoded Json in (rest-xml codec), engine calls, Json out. Helpers shared by
// the handler files, and the handlers' declarations (bound in register.cc).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/dispatch/operation_table.h"
#include "aws/protocol/aws_error.h"
#include "common/json.h"
#include "services/s3/engine/s3_engine.h"

namespace s3::api {

using common::Json;
using dispatch::HandlerResult;
using dispatch::RequestContext;
using dispatch::StreamIo;

// The AWS error for an engine error (one exhaustive switch, errors.cc). `bucket`/`key` fill
// the error's BucketName/Key elements where S3 sends them.
aws::AwsError to_aws_error(const Error& error, std::string_view bucket = "", std::string_view key = "");
aws::AwsError invalid_argument(std::string message, std::string_view name = "", std::string_view value = "");
aws::AwsError invalid_request(std::string message);

// S3's canonical user id of an account (64 hex), and the Owner element.
std::string canonical_user_id(const std::string& account);
Json owner_json(const std::string& account);

double epoch(common::TimePoint t);
std::string str(const Json& input, const char* member);  // "" when absent
const std::string* header(const RequestContext& context, std::string_view name);

// "k1=v1&k2=v2" (x-amz-tagging) -> tags; InvalidArgument on malformed text.
common::Result<std::vector<Tag>, aws::AwsError> parse_tagging_header(std::string_view text);
// Tagging{TagSet:[{Key,Value}]} from the decoded input, validated as S3 does (`max` tags).
common::Result<std::vector<Tag>, aws::AwsError> tags_from_json(const Json& tagging, size_t max);
Json tags_to_json(const std::vector<Tag>& tags);

// x-amz-copy-source: "[/]bucket/key[?versionId=v]" (URL-encoded).
struct CopySource {
  std::string bucket;
  std::string key;
  std::string version_id;
};
common::Result<CopySource, aws::AwsError> parse_copy_source(std::string_view text);

// Reads a streaming body into the engine, checking Content-MD5 and any checksum the client
// sent (header or aws-chunked trailer). `algorithms` adds checksums to compute.
common::Result<StoredData, aws::AwsError> receive_body(S3Engine& engine, const RequestContext& context, StreamIo& io,
                                                       const Json& input, std::vector<std::string> algorithms);

// 412 PreconditionFailed naming the condition that failed ("If-Match", ...).
aws::AwsError precondition_failed(std::string condition);

// The first of an object's conditional headers that does not hold, in AWS's precedence
// (RFC 7232: If-Match, else If-Unmodified-Since; then If-None-Match, else If-Modified-Since).
// `prefix` names the members: "" for IfMatch..., "CopySource" for CopySourceIfMatch....
enum class FailedCondition { None, IfMatch, IfUnmodifiedSince, IfNoneMatch, IfModifiedSince };
FailedCondition failed_condition(const Json& input, std::string_view prefix, const ObjectVersion& object);
// "If-Match", "If-Unmodified-Since", ... (None: "").
std::string_view condition_header(FailedCondition condition);

// A resource in `bucket` as IAM sees it: owned by the bucket's account and governed by its
// policy; a bucket that does not exist belongs to the caller.
dispatch::AuthzResource bucket_resource(S3Engine& engine, const RequestContext& context, const std::string& bucket,
                                        std::string arn);

// If-Match / If-None-Match lists ("\"etag\", \"etag2\"" or "*") against an ETag.
bool etag_matches(std::string_view list, const std::string& etag);

// The object x-amz-copy-source names, checked against the copy-source conditions (CopyObject,
// UploadPartCopy); a delete marker named by version id is InvalidRequest.
common::Result<ObjectVersion, aws::AwsError> read_copy_source(S3Engine& engine, const Json& input,
                                                              ObjectRef* ref = nullptr);

// x-amz-copy-source-if-* against the source object: PreconditionFailed (412) or nothing.
std::optional<aws::AwsError> copy_source_conditions(const Json& input, const ObjectVersion& source);

// Object -> the header members GetObject/HeadObject answer with.
void object_headers(const ObjectVersion& object, bool checksums, Json& out);

#define S3_HANDLER(name) HandlerResult name(S3Engine& engine, RequestContext& context, const Json& input, StreamIo& io)
S3_HANDLER(create_bucket);
S3_HANDLER(delete_bucket);
S3_HANDLER(head_bucket);
S3_HANDLER(list_buckets);
S3_HANDLER(get_bucket_location);
S3_HANDLER(put_bucket_versioning);
S3_HANDLER(get_bucket_versioning);
S3_HANDLER(get_bucket_policy);
S3_HANDLER(delete_bucket_policy);
S3_HANDLER(put_bucket_tagging);
S3_HANDLER(get_bucket_tagging);
S3_HANDLER(delete_bucket_tagging);
S3_HANDLER(put_bucket_notification_configuration);
S3_HANDLER(get_bucket_notification_configuration);
S3_HANDLER(put_object);
S3_HANDLER(copy_object);
S3_HANDLER(get_object);
S3_HANDLER(head_object);
S3_HANDLER(delete_object);
S3_HANDLER(delete_objects);
S3_HANDLER(put_object_tagging);
S3_HANDLER(get_object_tagging);
S3_HANDLER(delete_object_tagging);
S3_HANDLER(list_objects);
S3_HANDLER(list_objects_v2);
S3_HANDLER(list_object_versions);
S3_HANDLER(create_multipart_upload);
S3_HANDLER(upload_part);
S3_HANDLER(upload_part_copy);
S3_HANDLER(complete_multipart_upload);
S3_HANDLER(abort_multipart_upload);
S3_HANDLER(list_parts);
S3_HANDLER(list_multipart_uploads);
#undef S3_HANDLER
// PutBucketPolicy also checks that the IAM users and roles its statements name exist.
HandlerResult put_bucket_policy(S3Engine& engine, RequestContext& context, const Json& input, StreamIo& io,
                                const std::function<bool(const std::string&)>& principal_exists);

// Listing and multipart helpers (api_util2.cc).
// EncodingType: true for "url"; InvalidArgument for any other value.
common::Result<bool, aws::AwsError> url_encoding(const Json& input);
// `text` as the response carries it: URL-encoded ('/' kept, '+' and ' ' escaped) when `url`.
std::string encode_name(const std::string& text, bool url);
// A page size (MaxKeys, MaxUploads, MaxParts): 1000 when absent, capped at 1000; negative ->
// InvalidArgument "Argument <argument> must be an integer between 0 and 2147483647".
common::Result<int, aws::AwsError> page_size(const Json& input, const char* member, const char* argument);
Json common_prefixes_json(const std::vector<std::string>& prefixes, bool url);
// The Owner element of objects and uploads in `bucket`: the bucket owner (S3's default
// BucketOwnerEnforced ownership); NoSuchBucket when there is no such bucket.
common::Result<Json, aws::AwsError> bucket_owner_json(S3Engine& engine, const std::string& bucket);
// {"CRC32": b64, ...} -> out["ChecksumCRC32"] = b64 ...
void checksum_members(const std::map<std::string, std::string>& checksums, Json& out);

}  // namespace s3::api
