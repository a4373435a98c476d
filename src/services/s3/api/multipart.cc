// Multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload,
// AbortMultipartUpload, ListParts, ListMultipartUploads.
#include <cctype>
#include <cstdlib>
#include <tuple>

#include "aws/protocol/timestamp.h"
#include "common/checksum.h"
#include "common/strings.h"
#include "services/s3/api/api.h"

namespace s3::api {

using aws::make_aws_error;

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

common::Result<Upload, aws::AwsError> find_upload(S3Engine& engine, const Json& input) {
  std::string bucket = str(input, "Bucket");
  auto upload = engine.get_upload(bucket, str(input, "Key"), str(input, "UploadId"));
  if (!upload.ok()) return common::fail(to_aws_error(upload.error(), bucket, str(input, "Key")));
  return std::move(*upload);
}

std::optional<aws::AwsError> check_part_number(const Json& input) {
  auto it = input.find("PartNumber");
  if (it != input.end() && it->is_number_integer() && it->get<int64_t>() >= 1 && it->get<int64_t>() <= 10000) {
    return std::nullopt;
  }
  std::string value = it == input.end() ? "" : (it->is_string() ? it->get<std::string>() : it->dump());
  return invalid_argument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", value);
}

// The checksum algorithm the client sent with a part (header, trailer or
// x-amz-sdk-checksum-algorithm), upper case; "" for none.
std::string sent_algorithm(const RequestContext& context, const Json& input) {
  if (context.http != nullptr) {
    for (const auto& h : context.http->headers) {
      if (!common::starts_with_icase(h.name, "x-amz-checksum-")) continue;
      if (auto a = common::parse_checksum_algorithm(std::string_view(h.name).substr(15))) {
        return std::string(common::checksum_name(*a));
      }
    }
  }
  if (const std::string* t = header(context, "x-amz-trailer")) {
    for (auto part : common::split(*t, ',')) {
      std::string name = common::to_lower(common::trim(part));
      if (name.rfind("x-amz-checksum-", 0) != 0) continue;
      if (auto a = common::parse_checksum_algorithm(std::string_view(name).substr(15))) {
        return std::string(common::checksum_name(*a));
      }
    }
  }
  if (auto a = common::parse_checksum_algorithm(str(input, "ChecksumAlgorithm"))) {
    return std::string(common::checksum_name(*a));
  }
  return "";
}

// A part of an upload created with a checksum algorithm must carry that algorithm (COMPOSITE
// uploads need one on every part).
std::optional<aws::AwsError> check_part_algorithm(const Upload& upload, const std::string& sent) {
  if (upload.checksum_algorithm.empty()) return std::nullopt;
  if (sent == upload.checksum_algorithm) return std::nullopt;
  if (sent.empty() && upload.checksum_type == "FULL_OBJECT") return std::nullopt;
  return invalid_request(
      "Checksum Type mismatch occurred, expected checksum Type: " + common::to_lower(upload.checksum_algorithm) +
      ", actual checksum Type: " + (sent.empty() ? "null" : common::to_lower(sent)));
}

bool parse_offset(std::string_view text, uint64_t& out) {
  if (text.empty() || text.size() > 19) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

// x-amz-copy-source-range "bytes=first-last" within an object of `size` bytes -> [first, length).
common::Result<std::pair<uint64_t, uint64_t>, aws::AwsError> copy_range(const std::string& range, uint64_t size) {
  auto malformed = [&]() {
    return invalid_argument(
        "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the "
        "zero-based offsets of the first and last bytes to copy",
        "x-amz-copy-source-range", range);
  };
  std::string_view r = range;
  size_t dash = r.find('-');
  uint64_t first = 0;
  uint64_t last = 0;
  if (r.rfind("bytes=", 0) != 0 || dash == std::string_view::npos || !parse_offset(r.substr(6, dash - 6), first) ||
      !parse_offset(r.substr(dash + 1), last) || first > last) {
    return common::fail(malformed());
  }
  if (last >= size) {
    return common::fail(
        invalid_argument("Range specified is not valid for source object of size: " + std::to_string(size),
                         "x-amz-copy-source-range", range));
  }
  return std::make_pair(first, last - first + 1);
}

// Where the completed object lives, as S3 names it: path style unless the request came
// virtual-hosted (Host "<bucket>.…").
std::string location(const RequestContext& context, const std::string& bucket, const std::string& key) {
  std::string path = common::uri_encode(key, true);
  const std::string* host = header(context, "host");
  if (host == nullptr || host->empty()) return "/" + bucket + "/" + path;
  std::string scheme = context.http->secure ? "https://" : "http://";
  if (host->rfind(bucket + ".", 0) == 0) return scheme + *host + "/" + path;
  return scheme + *host + "/" + bucket + "/" + path;
}

Json part_json(const Part& part) {
  Json out{{"PartNumber", part.part_number},
           {"LastModified", epoch(part.last_modified)},
           {"ETag", part.etag},
           {"Size", part.size}};
  checksum_members(part.checksums, out);
  return out;
}

}  // namespace

HandlerResult create_multipart_upload(S3Engine& engine, RequestContext& context, const Json& input, StreamIo& /*io*/) {
  Upload upload;
  upload.bucket = str(input, "Bucket");
  upload.key = str(input, "Key");
  upload.owner_account = context.account_id();
  upload.headers.content_type = str(input, "ContentType");
  upload.headers.content_encoding = str(input, "ContentEncoding");
  upload.headers.content_disposition = str(input, "ContentDisposition");
  upload.headers.content_language = str(input, "ContentLanguage");
  upload.headers.cache_control = str(input, "CacheControl");
  // Stored as epoch seconds text, the form PutObject stores and object_headers() reads back.
  if (auto it = input.find("Expires"); it != input.end()) {
    std::optional<double> when;
    if (it->is_number()) when = it->get<double>();
    if (it->is_string()) when = aws::protocol::parse_any_timestamp(it->get<std::string>());
    if (when) upload.headers.expires = std::to_string(*when);
  }
  upload.headers.website_redirect_location = str(input, "WebsiteRedirectLocation");
  if (auto it = input.find("StorageClass"); it != input.end() && it->is_string()) upload.storage_class = *it;
  if (auto it = input.find("Metadata"); it != input.end() && it->is_object()) {
    for (const auto& [name, value] : it->items()) {
      if (value.is_string()) upload.metadata.emplace_back(common::to_lower(name), value.get<std::string>());
    }
  }
  if (input.contains("Tagging")) {
    auto tags = parse_tagging_header(str(input, "Tagging"));
    if (!tags.ok()) return common::fail(std::move(tags.error()));
    upload.tags = std::move(*tags);
  }
  // The engine checks the combination and fills the default type (COMPOSITE, or FULL_OBJECT
  // for CRC64NVME).
  upload.checksum_algorithm = upper(str(input, "ChecksumAlgorithm"));
  upload.checksum_type = str(input, "ChecksumType");

  auto created = engine.create_upload(std::move(upload));
  if (!created.ok()) return common::fail(to_aws_error(created.error(), str(input, "Bucket"), str(input, "Key")));
  Json out{{"Bucket", created->bucket}, {"Key", created->key}, {"UploadId", created->upload_id}};
  if (!created->checksum_algorithm.empty()) {
    out["ChecksumAlgorithm"] = created->checksum_algorithm;
    out["ChecksumType"] = created->checksum_type;
  }
  return out;
}

HandlerResult upload_part(S3Engine& engine, RequestContext& context, const Json& input, StreamIo& io) {
  if (auto e = check_part_number(input)) return common::fail(std::move(*e));
  auto upload = find_upload(engine, input);
  if (!upload.ok()) return common::fail(std::move(upload.error()));
  if (auto e = check_part_algorithm(*upload, sent_algorithm(context, input))) return common::fail(std::move(*e));
  std::vector<std::string> algorithms;
  if (!upload->checksum_algorithm.empty()) algorithms.push_back(upload->checksum_algorithm);
  auto data = receive_body(engine, context, io, input, std::move(algorithms));
  if (!data.ok()) return common::fail(std::move(data.error()));
  // put_part discards the data itself when it fails.
  auto part =
      engine.put_part(upload->bucket, upload->key, upload->upload_id, input["PartNumber"].get<int>(), std::move(*data));
  if (!part.ok()) return common::fail(to_aws_error(part.error(), upload->bucket, upload->key));
  Json out{{"ETag", part->etag}};
  checksum_members(part->checksums, out);
  return out;
}

HandlerResult upload_part_copy(S3Engine& engine, RequestContext& /*context*/, const Json& input, StreamIo& /*io*/) {
  if (auto e = check_part_number(input)) return common::fail(std::move(*e));
  auto upload = find_upload(engine, input);
  if (!upload.ok()) return common::fail(std::move(upload.error()));
  ObjectRef ref;
  auto object = read_copy_source(engine, input, &ref);
  if (!object.ok()) return common::fail(std::move(object.error()));

  uint64_t first = 0;
  uint64_t length = object->size;
  if (input.contains("CopySourceRange")) {
    auto range = copy_range(str(input, "CopySourceRange"), object->size);
    if (!range.ok()) return common::fail(std::move(range.error()));
    std::tie(first, length) = *range;
  }
  if (length > S3Engine::kMaxPutSize) {
    return common::fail(
        invalid_request("The specified copy source is larger than the maximum allowable size for a copy source: " +
                        std::to_string(S3Engine::kMaxPutSize)));
  }
  // Pin the version read above, so a concurrent overwrite cannot change what is copied.
  ref.version_id = object->version_id;
  std::vector<std::string> algorithms;
  if (!upload->checksum_algorithm.empty()) algorithms.push_back(upload->checksum_algorithm);
  auto data = engine.slice_object(ref, first, length, algorithms);
  if (!data.ok()) return common::fail(to_aws_error(data.error(), ref.bucket, ref.key));
  auto part =
      engine.put_part(upload->bucket, upload->key, upload->upload_id, input["PartNumber"].get<int>(), std::move(*data));
  if (!part.ok()) return common::fail(to_aws_error(part.error(), upload->bucket, upload->key));
  Json result{{"ETag", part->etag}, {"LastModified", epoch(part->last_modified)}};
  checksum_members(part->checksums, result);
  Json out{{"CopyPartResult", std::move(result)}};
  if (object->version_id != "null") out["CopySourceVersionId"] = object->version_id;
  return out;
}

HandlerResult complete_multipart_upload(S3Engine& engine, RequestContext& context, const Json& input,
                                        StreamIo& /*io*/) {
  std::vector<CompletedPart> parts;
  if (auto mp = input.find("MultipartUpload");
      mp != input.end() && mp->contains("Parts") && (*mp)["Parts"].is_array()) {
    for (const Json& p : (*mp)["Parts"]) {
      CompletedPart part;
      if (p.contains("PartNumber") && p["PartNumber"].is_number_integer()) part.part_number = p["PartNumber"];
      part.etag = str(p, "ETag");
      for (const auto& [member, value] : p.items()) {
        if (member.rfind("Checksum", 0) == 0 && value.is_string()) part.checksums[member.substr(8)] = value;
      }
      parts.push_back(std::move(part));
    }
  }
  if (parts.empty()) {
    return common::fail(
        make_aws_error("MalformedXML", 400,
                       "The XML you provided was not well-formed or did not validate against our published schema"));
  }
  auto upload = find_upload(engine, input);
  if (!upload.ok()) return common::fail(std::move(upload.error()));
  const std::string& bucket = upload->bucket;
  const std::string& key = upload->key;
  // x-amz-checksum-type, when sent, must name the mode the upload was created with (AWS: BadDigest).
  if (std::string type = str(input, "ChecksumType");
      !type.empty() && !upload->checksum_type.empty() && type != upload->checksum_type) {
    return common::fail(make_aws_error("BadDigest", 400,
                                       "The upload was created using the " + upload->checksum_type +
                                           " checksum mode. The complete request must use the same checksum mode."));
  }

  // Conditional completion (If-None-Match: * / If-Match: etag) against the current object.
  if (input.contains("IfNoneMatch") || input.contains("IfMatch")) {
    auto current = engine.get_object(ObjectRef{bucket, key, ""});
    bool exists = current.ok();
    if (!exists && current.error().reason != Reason::NoSuchKey) {
      return common::fail(to_aws_error(current.error(), bucket, key));
    }
    if (input.contains("IfNoneMatch") && exists && etag_matches(str(input, "IfNoneMatch"), current->etag)) {
      return common::fail(precondition_failed("If-None-Match"));
    }
    if (input.contains("IfMatch")) {
      if (!exists) return common::fail(to_aws_error(current.error(), bucket, key));
      if (!etag_matches(str(input, "IfMatch"), current->etag)) return common::fail(precondition_failed("If-Match"));
    }
  }

  auto done = engine.complete_upload(bucket, key, upload->upload_id, parts);
  if (!done.ok()) {
    auto e = to_aws_error(done.error(), bucket, key);
    if (done.error().reason == Reason::EntityTooSmall) {
      // S3 names the first part under the minimum (every part but the last).
      auto listed = engine.list_parts(bucket, key, upload->upload_id, 0, 10000);
      if (listed.ok()) {
        for (size_t i = 0; i + 1 < parts.size(); ++i) {
          for (const Part& p : listed->parts) {
            if (p.part_number != parts[i].part_number || p.size >= S3Engine::kMinPartSize) continue;
            e.extra["ProposedSize"] = std::to_string(p.size);
            e.extra["MinSizeAllowed"] = std::to_string(S3Engine::kMinPartSize);
            e.extra["PartNumber"] = std::to_string(p.part_number);
            e.extra["ETag"] = p.etag;
            break;
          }
          if (e.extra.contains("PartNumber")) break;
        }
      }
    }
    return common::fail(std::move(e));
  }
  Json out{{"Location", location(context, bucket, key)}, {"Bucket", bucket}, {"Key", key}, {"ETag", done->etag}};
  if (done->version_id != "null" && !done->version_id.empty()) out["VersionId"] = done->version_id;
  // The object's checksums (composite "<b64>-N" or full-object) come from the stored version.
  auto object = engine.get_object(ObjectRef{bucket, key, done->version_id.empty() ? "null" : done->version_id});
  if (object.ok() && !object->checksums.empty()) {
    checksum_members(object->checksums, out);
    out["ChecksumType"] = object->checksum_type.empty() ? "FULL_OBJECT" : object->checksum_type;
  }
  return out;
}

HandlerResult abort_multipart_upload(S3Engine& engine, RequestContext& /*context*/, const Json& input,
                                     StreamIo& /*io*/) {
  std::string bucket = str(input, "Bucket");
  std::string key = str(input, "Key");
  auto done = engine.abort_upload(bucket, key, str(input, "UploadId"));
  if (!done.ok()) return common::fail(to_aws_error(done.error(), bucket, key));
  return Json::object();
}

HandlerResult list_parts(S3Engine& engine, RequestContext& /*context*/, const Json& input, StreamIo& /*io*/) {
  auto max = page_size(input, "MaxParts", "max-parts");
  if (!max.ok()) return common::fail(std::move(max.error()));
  int marker = 0;
  if (auto it = input.find("PartNumberMarker"); it != input.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 2147483647) {
      return common::fail(invalid_argument("Argument part-number-marker must be an integer between 0 and 2147483647",
                                           "part-number-marker",
                                           it->is_string() ? it->get<std::string>() : it->dump()));
    }
    marker = it->get<int>();
  }
  auto upload = find_upload(engine, input);
  if (!upload.ok()) return common::fail(std::move(upload.error()));
  auto owner = bucket_owner_json(engine, upload->bucket);
  if (!owner.ok()) return common::fail(std::move(owner.error()));
  auto page = engine.list_parts(upload->bucket, upload->key, upload->upload_id, marker, *max);
  if (!page.ok()) return common::fail(to_aws_error(page.error(), upload->bucket, upload->key));

  Json parts = Json::array();
  for (const Part& p : page->parts) parts.push_back(part_json(p));
  int next =
      page->truncated ? page->next_part_number_marker : (page->parts.empty() ? 0 : page->parts.back().part_number);
  Json out{{"Bucket", upload->bucket},
           {"Key", upload->key},
           {"UploadId", upload->upload_id},
           {"PartNumberMarker", marker},
           {"NextPartNumberMarker", next},
           {"MaxParts", *max},
           {"IsTruncated", page->truncated},
           {"Initiator", owner_json(upload->owner_account)},
           {"Owner", *owner},
           {"StorageClass", upload->storage_class.empty() ? "STANDARD" : upload->storage_class}};
  if (!parts.empty()) out["Parts"] = std::move(parts);
  if (!upload->checksum_algorithm.empty()) out["ChecksumAlgorithm"] = upload->checksum_algorithm;
  if (!upload->checksum_type.empty()) out["ChecksumType"] = upload->checksum_type;
  return out;
}

HandlerResult list_multipart_uploads(S3Engine& engine, RequestContext& /*context*/, const Json& input,
                                     StreamIo& /*io*/) {
  auto url = url_encoding(input);
  if (!url.ok()) return common::fail(std::move(url.error()));
  auto max = page_size(input, "MaxUploads", "max-uploads");
  if (!max.ok()) return common::fail(std::move(max.error()));
  std::string bucket = str(input, "Bucket");
  UploadListQuery query{str(input, "Prefix"), str(input, "Delimiter"), str(input, "KeyMarker"),
                        str(input, "UploadIdMarker"), *max};
  // S3 ignores upload-id-marker without key-marker.
  if (query.key_marker.empty()) query.upload_id_marker.clear();
  auto owner = bucket_owner_json(engine, bucket);
  if (!owner.ok()) return common::fail(std::move(owner.error()));
  auto page = engine.list_uploads(bucket, query);
  if (!page.ok()) return common::fail(to_aws_error(page.error(), bucket));
  if (*max == 0) page->truncated = false;

  Json uploads = Json::array();
  for (const Upload& u : page->uploads) {
    Json entry{{"UploadId", u.upload_id},
               {"Key", encode_name(u.key, *url)},
               {"Initiated", epoch(u.initiated)},
               {"StorageClass", u.storage_class.empty() ? "STANDARD" : u.storage_class},
               {"Owner", *owner},
               {"Initiator", owner_json(u.owner_account)}};
    if (!u.checksum_algorithm.empty()) entry["ChecksumAlgorithm"] = u.checksum_algorithm;
    if (!u.checksum_type.empty()) entry["ChecksumType"] = u.checksum_type;
    uploads.push_back(std::move(entry));
  }
  std::string next_key = page->next_key_marker;
  std::string next_upload_id = page->next_upload_id_marker;
  if (!page->truncated && !page->uploads.empty()) {
    next_key = page->uploads.back().key;
    next_upload_id = page->uploads.back().upload_id;
  }
  Json out{{"Bucket", bucket},
           {"KeyMarker", encode_name(query.key_marker, *url)},
           {"UploadIdMarker", query.upload_id_marker},
           {"NextKeyMarker", encode_name(next_key, *url)},
           {"NextUploadIdMarker", next_upload_id},
           {"Prefix", encode_name(query.prefix, *url)},
           {"MaxUploads", *max},
           {"IsTruncated", page->truncated}};
  if (input.contains("Delimiter")) out["Delimiter"] = encode_name(query.delimiter, *url);
  if (*url) out["EncodingType"] = "url";
  if (!uploads.empty()) out["Uploads"] = std::move(uploads);
  if (!page->common_prefixes.empty()) out["CommonPrefixes"] = common_prefixes_json(page->common_prefixes, *url);
  return out;
}

}  // namespace s3::api
