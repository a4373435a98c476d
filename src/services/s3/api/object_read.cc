// GetObject and HeadObject: conditions, ranges, response-* overrides, bodies from files.
#include <cstdlib>
#include <map>
#include <memory>

#include "common/strings.h"
#include "http/range.h"
#include "services/s3/api/api.h"

namespace s3::api {

using aws::make_aws_error;

namespace {

// The If-* headers: 412 for If-Match / If-Unmodified-Since, 304 for the other two.
std::optional<aws::AwsError> conditions(const Json& input, const ObjectVersion& object) {
  FailedCondition failed = failed_condition(input, "", object);
  switch (failed) {
    case FailedCondition::None: return std::nullopt;
    case FailedCondition::IfMatch:
    case FailedCondition::IfUnmodifiedSince: return precondition_failed(std::string(condition_header(failed)));
    case FailedCondition::IfNoneMatch:
    case FailedCondition::IfModifiedSince: break;
  }
  auto e = make_aws_error("NotModified", 304, "Not Modified");
  e.headers.emplace_back("ETag", object.etag);
  return e;
}

void apply_overrides(const Json& input, Json& out) {
  static constexpr std::pair<const char*, const char*> kOverrides[] = {
      {"ResponseCacheControl", "CacheControl"},       {"ResponseContentDisposition", "ContentDisposition"},
      {"ResponseContentEncoding", "ContentEncoding"}, {"ResponseContentLanguage", "ContentLanguage"},
      {"ResponseContentType", "ContentType"},
  };
  for (const auto& [from, to] : kOverrides) {
    if (input.contains(from)) out[to] = input[from];
  }
  if (input.contains("ResponseExpires")) out["Expires"] = input["ResponseExpires"];
}

// Without s3:ListBucket a caller may not learn that a key is missing: 403 instead of 404.
bool may_list(S3Engine& engine, const RequestContext& context, const std::string& bucket, StreamIo& io) {
  if (!io.allowed) return true;
  return io.allowed("s3:ListBucket", bucket_resource(engine, context, bucket, "arn:aws:s3:::" + bucket));
}

HandlerResult read_object(S3Engine& engine, const RequestContext& context, const Json& input, StreamIo& io) {
  std::string bucket = str(input, "Bucket");
  std::string key = str(input, "Key");
  std::string version = str(input, "VersionId");
  ObjectRef ref{bucket, key, version};
  auto object = engine.get_object(ref);
  if (!object.ok()) {
    const Error& error = object.error();
    if (error.reason == Reason::NoSuchKey && !may_list(engine, context, bucket, io)) {
      return common::fail(make_aws_error("AccessDenied", 403, "Access Denied"));
    }
    auto e = to_aws_error(error, bucket, key);
    if (error.reason == Reason::NoSuchVersion) e.extra["VersionId"] = version;
    if (error.delete_marker) {
      e.headers.emplace_back("x-amz-delete-marker", "true");
      if (!error.version_id.empty()) e.headers.emplace_back("x-amz-version-id", error.version_id);
      if (error.reason == Reason::MethodNotAllowed) {
        e.headers.emplace_back("Allow", "DELETE");
        e.extra["Method"] = context.http != nullptr ? context.http->method : "GET";
        e.extra["ResourceType"] = "DeleteMarker";
      }
      if (error.last_modified != common::TimePoint{}) {
        e.headers.emplace_back("Last-Modified", common::format_http_date(error.last_modified));
      }
    }
    return common::fail(std::move(e));
  }
  if (auto e = conditions(input, *object)) {
    if (e->status == 304) e->headers.emplace_back("Last-Modified", common::format_http_date(object->last_modified));
    return common::fail(std::move(*e));
  }
  Json out = Json::object();
  // A Range we cannot use (malformed, or several ranges) is ignored: the whole object, 200.
  std::optional<http::ByteRange> range;
  if (input.contains("Range")) {
    http::RangeRequest request = http::parse_range(str(input, "Range"), object->size);
    if (request.kind == http::RangeRequest::Kind::Partial) range = request.range;
    if (request.kind == http::RangeRequest::Kind::Unsatisfiable) {
      auto e = make_aws_error("InvalidRange", 416, "The requested range is not satisfiable")
                   .with("RangeRequested", str(input, "Range"))
                   .with("ActualObjectSize", std::to_string(object->size));
      e.headers.emplace_back("Content-Range", "bytes */" + std::to_string(object->size));
      return common::fail(std::move(e));
    }
  }
  // partNumber: one part of a multipart object (206), or part 1 of any other object (all of it).
  bool part_range = false;
  if (input.contains("PartNumber") && input["PartNumber"].is_number_integer()) {
    int64_t part = input["PartNumber"].get<int64_t>();
    uint64_t parts = object->part_sizes.empty() ? 1 : object->part_sizes.size();
    if (part < 1 || static_cast<uint64_t>(part) > parts) {
      return common::fail(make_aws_error("InvalidPartNumber", 416, "The requested partnumber is not satisfiable")
                              .with("PartNumberRequested", std::to_string(part))
                              .with("ActualPartCount", std::to_string(parts)));
    }
    if (!object->part_sizes.empty()) {
      uint64_t first = 0;
      for (int64_t i = 0; i + 1 < part; ++i) first += object->part_sizes[static_cast<size_t>(i)];
      range = http::ByteRange{first, object->part_sizes[static_cast<size_t>(part - 1)]};
      part_range = true;
    }
  }
  bool checksums = str(input, "ChecksumMode") == "ENABLED" && !range;
  object_headers(*object, checksums, out);
  if (part_range) out["PartsCount"] = object->part_sizes.size();
  apply_overrides(input, out);
  uint64_t first = 0;
  uint64_t length = object->size;
  if (range) {
    first = range->first;
    length = range->length;
    out["ContentLength"] = length;
    out["ContentRange"] = "bytes " + std::to_string(first) + "-" + std::to_string(first + length - 1) + "/" +
                          std::to_string(object->size);
    io.status = 206;
  }
  // HEAD gets the same payload: the HTTP layer sends only its length.
  if (object->segments.empty()) {
    io.payload = object->inline_data.substr(std::min<uint64_t>(first, object->inline_data.size()), length);
    return out;
  }
  // The requested bytes as slices of the object's segments. A GET opens their files now, so a
  // delete or overwrite of this version while the body goes out cannot cut it short.
  bool open_now = context.http == nullptr || context.http->method != "HEAD";
  std::map<std::string, std::shared_ptr<const http::OpenFile>> opened;
  uint64_t skip = first;
  uint64_t left = length;
  for (const Segment& s : object->segments) {
    if (left == 0) break;
    if (skip >= s.length) {
      skip -= s.length;
      continue;
    }
    uint64_t take = std::min(left, s.length - skip);
    http::FileSegment segment{engine.file_path(s.file), s.offset + skip, take, nullptr};
    if (open_now) {
      auto& file = opened[s.file];
      if (!file) file = http::OpenFile::open(segment.path);
      if (!file) {
        // Removed between the lookup and now (the version was deleted): the client retries.
        return common::fail(
            make_aws_error("InternalError", 500, "We encountered an internal error. Please try again.", false));
      }
      segment.file = file;
    }
    io.files.push_back(std::move(segment));
    left -= take;
    skip = 0;
  }
  return out;
}

}  // namespace

HandlerResult get_object(S3Engine& engine, RequestContext& context, const Json& input, StreamIo& io) {
  return read_object(engine, context, input, io);
}

HandlerResult head_object(S3Engine& engine, RequestContext& context, const Json& input, StreamIo& io) {
  return read_object(engine, context, input, io);
}

}  // namespace s3::api
