// PutObject and CopyObject.
#include "common/strings.h"
#include "services/s3/api/api.h"

namespace s3::api {

using aws::make_aws_error;

namespace {

// Content-Encoding without the aws-chunked transfer coding botocore adds.
std::string stored_encoding(const std::string& value) {
  std::string out;
  for (auto part : common::split(value, ',')) {
    auto token = common::trim(part);
    if (token.empty() || common::iequals(token, "aws-chunked")) continue;
    if (!out.empty()) out += ",";
    out += token;
  }
  return out;
}

ObjectHeaders headers_from(const Json& input) {
  ObjectHeaders h;
  h.content_type = str(input, "ContentType");
  h.cache_control = str(input, "CacheControl");
  h.content_disposition = str(input, "ContentDisposition");
  h.content_encoding = stored_encoding(str(input, "ContentEncoding"));
  h.content_language = str(input, "ContentLanguage");
  if (auto e = input.find("Expires"); e != input.end() && e->is_number()) h.expires = std::to_string(e->get<double>());
  h.website_redirect_location = str(input, "WebsiteRedirectLocation");
  return h;
}

std::vector<std::pair<std::string, std::string>> metadata_from(const Json& input) {
  std::vector<std::pair<std::string, std::string>> out;
  if (auto m = input.find("Metadata"); m != input.end() && m->is_object()) {
    for (auto it = m->begin(); it != m->end(); ++it) {
      if (it->is_string()) out.emplace_back(common::to_lower(it.key()), it->get<std::string>());
    }
  }
  return out;
}

}  // namespace

bool etag_matches(std::string_view list, const std::string& etag) {
  std::string_view bare = etag;
  if (bare.size() >= 2 && bare.front() == '"') bare = bare.substr(1, bare.size() - 2);
  for (auto part : common::split(list, ',')) {
    auto t = common::trim(part);
    if (t == "*") return true;
    if (t.size() >= 2 && t.front() == '"' && t.back() == '"') t = t.substr(1, t.size() - 2);
    if (t == bare) return true;
  }
  return false;
}

common::Result<ObjectVersion, aws::AwsError> read_copy_source(S3Engine& engine, const Json& input, ObjectRef* ref_out) {
  auto source = parse_copy_source(str(input, "CopySource"));
  if (!source.ok()) return common::fail(source.error());
  ObjectRef ref{source->bucket, source->key, source->version_id};
  auto object = engine.get_object(ref);
  if (!object.ok()) {
    if (object.error().reason == Reason::MethodNotAllowed) {
      return common::fail(
          invalid_request("The source of a copy request may not specifically refer to a delete marker by version id."));
    }
    return common::fail(to_aws_error(object.error(), ref.bucket, ref.key));
  }
  if (auto e = copy_source_conditions(input, *object)) return common::fail(std::move(*e));
  if (ref_out != nullptr) *ref_out = std::move(ref);
  return std::move(*object);
}

// Exposed for upload_part_copy (multipart.cc) through api.h's copy_source_conditions.
std::optional<aws::AwsError> copy_source_conditions(const Json& input, const ObjectVersion& source) {
  FailedCondition failed = failed_condition(input, "CopySource", source);
  if (failed == FailedCondition::None) return std::nullopt;
  return precondition_failed("x-amz-copy-source-" + std::string(condition_header(failed)));
}

HandlerResult put_object(S3Engine& engine, RequestContext& context, const Json& input, StreamIo& io) {
  std::string bucket = str(input, "Bucket");
  std::string key = str(input, "Key");
  auto found = engine.get_bucket(bucket);
  if (!found.ok()) return common::fail(to_aws_error(found.error(), bucket));
  if (key.size() > 1024) return common::fail(make_aws_error("KeyTooLongError", 400, "Your key is too long"));
  std::vector<Tag> tags;
  if (input.contains("Tagging")) {
    auto parsed = parse_tagging_header(str(input, "Tagging"));
    if (!parsed.ok()) return common::fail(parsed.error());
    tags = std::move(*parsed);
  }
  // Conditional writes (If-None-Match: * / If-Match), checked before the body is read.
  if (input.contains("IfNoneMatch") || input.contains("IfMatch")) {
    auto current = engine.get_object(ObjectRef{bucket, key, ""});
    if (input.contains("IfNoneMatch") && str(input, "IfNoneMatch") == "*" && current.ok()) {
      return common::fail(precondition_failed("If-None-Match"));
    }
    if (input.contains("IfMatch")) {
      if (!current.ok()) return common::fail(to_aws_error(current.error(), bucket, key));
      if (!etag_matches(str(input, "IfMatch"), current->etag)) return common::fail(precondition_failed("If-Match"));
    }
  }
  auto data = receive_body(engine, context, io, input, {});
  if (!data.ok()) return common::fail(data.error());
  std::map<std::string, std::string> checksums = data->checksums;
  StoredData kept = *data;
  PutObjectInput in;
  in.bucket = bucket;
  in.key = key;
  in.headers = headers_from(input);
  in.metadata = metadata_from(input);
  in.tags = std::move(tags);
  if (std::string sc = str(input, "StorageClass"); !sc.empty()) in.storage_class = sc;
  in.checksum_type = checksums.empty() ? "" : "FULL_OBJECT";
  in.owner_account = context.account_id();
  in.data = std::move(*data);
  auto out = engine.put_object(std::move(in));
  if (!out.ok()) {
    engine.discard(kept);
    return common::fail(to_aws_error(out.error(), bucket, key));
  }
  Json result{{"ETag", out->etag}};
  if (out->version_id != "null" || found->versioning == "Suspended") result["VersionId"] = out->version_id;
  for (const auto& [name, value] : checksums) result["Checksum" + name] = value;
  if (!checksums.empty()) result["ChecksumType"] = "FULL_OBJECT";
  result["Size"] = kept.size;
  return result;
}

HandlerResult copy_object(S3Engine& engine, RequestContext& context, const Json& input, StreamIo&) {
  std::string bucket = str(input, "Bucket");
  std::string key = str(input, "Key");
  auto target_bucket = engine.get_bucket(bucket);
  if (!target_bucket.ok()) return common::fail(to_aws_error(target_bucket.error(), bucket));
  ObjectRef ref;
  auto object = read_copy_source(engine, input, &ref);
  if (!object.ok()) return common::fail(object.error());

  std::string directive = str(input, "MetadataDirective");
  std::string tagging_directive = str(input, "TaggingDirective");
  bool replace = directive == "REPLACE";
  std::string storage_class = str(input, "StorageClass");
  if (ref.bucket == bucket && ref.key == key && ref.version_id.empty() && !replace && storage_class.empty() &&
      !input.contains("WebsiteRedirectLocation") && !input.contains("ServerSideEncryption")) {
    return common::fail(invalid_request(
        "This copy request is illegal because it is trying to copy an object to itself without changing the "
        "object's metadata, storage class, website redirect location or encryption attributes."));
  }
  if (object->size > S3Engine::kMaxPutSize) {
    return common::fail(make_aws_error("InvalidRequest", 400,
                                       "The specified copy source is larger than the maximum allowable size for a "
                                       "copy source: 5368709120"));
  }
  // What COPY directives take from the source is read in the copy's own transaction, so a
  // concurrent overwrite of the source cannot mix one version's metadata with another's bytes.
  PutObjectInput target;
  target.bucket = bucket;
  target.key = key;
  target.owner_account = context.account_id();
  target.storage_class = storage_class.empty() ? "STANDARD" : storage_class;
  CopyDirectives directives;
  directives.copy_metadata = !replace;
  directives.copy_tags = tagging_directive != "REPLACE";
  if (replace) {
    target.headers = headers_from(input);
    target.metadata = metadata_from(input);
  }
  if (!directives.copy_tags) {
    auto parsed = parse_tagging_header(str(input, "Tagging"));
    if (!parsed.ok()) return common::fail(parsed.error());
    target.tags = std::move(*parsed);
  }
  auto out = engine.copy_object(ref, std::move(target), directives);
  if (!out.ok()) return common::fail(to_aws_error(out.error(), bucket, key));
  Json copy_result{{"ETag", out->etag}, {"LastModified", epoch(out->last_modified)}};
  for (const auto& [name, value] : object->checksums) copy_result["Checksum" + name] = value;
  if (!object->checksums.empty())
    copy_result["ChecksumType"] = object->checksum_type.empty() ? "FULL_OBJECT" : object->checksum_type;
  Json result{{"CopyObjectResult", copy_result}};
  if (out->version_id != "null" || target_bucket->versioning == "Suspended") result["VersionId"] = out->version_id;
  if (object->version_id != "null") result["CopySourceVersionId"] = object->version_id;
  return result;
}

}  // namespace s3::api
