// Helpers shared by the S3 handlers.
#include <algorithm>
#include <set>

#include "common/checksum.h"
#include "common/crypto.h"
#include "common/strings.h"
#include "services/s3/api/api.h"

namespace s3::api {

using aws::make_aws_error;

std::string canonical_user_id(const std::string& account) { return common::sha256_hex("hakobu-canonical:" + account); }

Json owner_json(const std::string& account) {
  return Json{{"ID", canonical_user_id(account)}, {"DisplayName", account}};
}

double epoch(common::TimePoint t) { return common::to_epoch_seconds(t); }

std::string str(const Json& input, const char* member) {
  auto it = input.find(member);
  if (it == input.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

const std::string* header(const RequestContext& context, std::string_view name) {
  return context.http != nullptr ? context.http->header(name) : nullptr;
}

namespace {

std::optional<aws::AwsError> check_tag(const Tag& tag) {
  if (tag.key.empty() || tag.key.size() > 128)
    return make_aws_error("InvalidTag", 400, "The TagKey you have provided is invalid");
  if (tag.value.size() > 256) return make_aws_error("InvalidTag", 400, "The TagValue you have provided is invalid");
  if (tag.key.rfind("aws:", 0) == 0) {
    return make_aws_error("InvalidTag", 400, "Your TagKey cannot be prefixed with aws:");
  }
  return std::nullopt;
}

common::Result<std::vector<Tag>, aws::AwsError> checked(std::vector<Tag> tags, size_t max) {
  std::set<std::string> seen;
  for (const Tag& t : tags) {
    if (auto e = check_tag(t)) return common::fail(*e);
    if (!seen.insert(t.key).second) {
      return common::fail(make_aws_error("InvalidTag", 400, "Cannot provide multiple Tags with the same key"));
    }
  }
  if (tags.size() > max) {
    if (max == 10) return common::fail(make_aws_error("BadRequest", 400, "Object tags cannot be greater than 10"));
    return common::fail(make_aws_error("InvalidTag", 400, "Bucket tag count cannot be greater than 50"));
  }
  return tags;
}

}  // namespace

common::Result<std::vector<Tag>, aws::AwsError> parse_tagging_header(std::string_view text) {
  std::vector<Tag> tags;
  for (auto& [k, v] : common::parse_query(text, true)) tags.push_back(Tag{k, v});
  return checked(std::move(tags), 10);
}

common::Result<std::vector<Tag>, aws::AwsError> tags_from_json(const Json& tagging, size_t max) {
  std::vector<Tag> tags;
  auto set = tagging.find("TagSet");
  if (set != tagging.end() && set->is_array()) {
    for (const auto& t : *set) tags.push_back(Tag{str(t, "Key"), str(t, "Value")});
  }
  return checked(std::move(tags), max);
}

Json tags_to_json(const std::vector<Tag>& tags) {
  Json set = Json::array();
  for (const Tag& t : tags) set.push_back(Json{{"Key", t.key}, {"Value", t.value}});
  return set;
}

common::Result<CopySource, aws::AwsError> parse_copy_source(std::string_view text) {
  std::string_view rest = text;
  std::string version;
  size_t q = rest.find('?');
  if (q != std::string_view::npos) {
    for (auto& [k, v] : common::parse_query(rest.substr(q + 1), false)) {
      if (k == "versionId") version = v;
    }
    rest = rest.substr(0, q);
  }
  std::string decoded = common::uri_decode(rest, false);
  std::string_view d = decoded;
  if (!d.empty() && d.front() == '/') d.remove_prefix(1);
  size_t slash = d.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= d.size()) {
    return common::fail(invalid_argument("Invalid copy source object key", "x-amz-copy-source", text));
  }
  return CopySource{std::string(d.substr(0, slash)), std::string(d.substr(slash + 1)), version};
}

common::Result<StoredData, aws::AwsError> receive_body(S3Engine& engine, const RequestContext& context, StreamIo& io,
                                                       const Json& input, std::vector<std::string> algorithms) {
  std::vector<std::pair<std::string, std::string>> expected;  // algorithm -> base64 sent in a header
  if (context.http != nullptr) {
    for (const auto& h : context.http->headers) {
      if (!common::starts_with_icase(h.name, "x-amz-checksum-")) continue;
      auto algorithm = common::parse_checksum_algorithm(std::string_view(h.name).substr(15));
      if (!algorithm || *algorithm == common::ChecksumAlgorithm::MD5) continue;
      std::string name(common::checksum_name(*algorithm));
      expected.emplace_back(name, std::string(common::trim(h.value)));
      algorithms.push_back(name);
    }
  }
  std::vector<std::string> trailers;
  if (const std::string* t = header(context, "x-amz-trailer")) {
    for (auto part : common::split(*t, ',')) {
      std::string name = common::to_lower(common::trim(part));
      if (name.rfind("x-amz-checksum-", 0) != 0) continue;
      auto algorithm = common::parse_checksum_algorithm(std::string_view(name).substr(15));
      if (!algorithm) continue;
      algorithms.push_back(std::string(common::checksum_name(*algorithm)));
      trailers.push_back(name);
    }
  }
  std::string requested = common::to_lower(str(input, "ChecksumAlgorithm"));
  if (auto a = common::parse_checksum_algorithm(requested))
    algorithms.push_back(std::string(common::checksum_name(*a)));
  std::sort(algorithms.begin(), algorithms.end());
  algorithms.erase(std::unique(algorithms.begin(), algorithms.end()), algorithms.end());

  if (io.body_length > static_cast<int64_t>(S3Engine::kMaxPutSize)) {
    return common::fail(make_aws_error("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed size"));
  }
  auto read = [&io](char* buffer, size_t size) -> long { return io.body != nullptr ? io.body->read(buffer, size) : 0; };
  auto stored = engine.store_data(read, io.body != nullptr ? io.body_length : 0, algorithms);
  if (!stored.ok()) {
    if (io.body_error) {
      if (auto e = io.body_error()) return common::fail(*e);
    }
    return common::fail(to_aws_error(stored.error()));
  }
  auto reject = [&](aws::AwsError e) -> common::Result<StoredData, aws::AwsError> {
    engine.discard(*stored);
    return common::fail(std::move(e));
  };
  if (const std::string* md5 = header(context, "content-md5")) {
    std::string raw;
    if (!common::base64_decode(common::trim(*md5), raw) || raw.size() != 16) {
      return reject(make_aws_error("InvalidDigest", 400, "The Content-MD5 you specified was not valid."));
    }
    if (common::hex_encode(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()) != stored->md5_hex) {
      return reject(make_aws_error("BadDigest", 400, "The Content-MD5 you specified did not match what we received."));
    }
  }
  for (const std::string& name : trailers) {
    if (io.trailer) {
      if (const std::string* v = io.trailer(name)) {
        auto algorithm = common::parse_checksum_algorithm(std::string_view(name).substr(15));
        expected.emplace_back(std::string(common::checksum_name(*algorithm)), std::string(common::trim(*v)));
      }
    }
  }
  for (const auto& [name, value] : expected) {
    auto it = stored->checksums.find(name);
    if (it != stored->checksums.end() && it->second != value) {
      return reject(
          make_aws_error("BadDigest", 400, "The " + name + " you specified did not match the calculated checksum."));
    }
  }
  return std::move(*stored);
}

aws::AwsError precondition_failed(std::string condition) {
  return make_aws_error("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold")
      .with("Condition", std::move(condition));
}

FailedCondition failed_condition(const Json& input, std::string_view prefix, const ObjectVersion& object) {
  auto member = [&](std::string_view name) {
    std::string m(prefix);
    m += name;
    auto it = input.find(m);
    return it == input.end() ? nullptr : &*it;
  };
  // Dates compare at whole seconds, as Last-Modified carries them.
  double modified = static_cast<double>(static_cast<int64_t>(epoch(object.last_modified)));
  const Json* if_match = member("IfMatch");
  if (if_match != nullptr && !(if_match->is_string() && etag_matches(if_match->get<std::string>(), object.etag))) {
    return FailedCondition::IfMatch;
  }
  const Json* if_unmodified = member("IfUnmodifiedSince");
  if (if_match == nullptr && if_unmodified != nullptr && if_unmodified->is_number() &&
      modified > if_unmodified->get<double>()) {
    return FailedCondition::IfUnmodifiedSince;
  }
  const Json* if_none = member("IfNoneMatch");
  if (if_none != nullptr && if_none->is_string() && etag_matches(if_none->get<std::string>(), object.etag)) {
    return FailedCondition::IfNoneMatch;
  }
  const Json* if_modified = member("IfModifiedSince");
  if (if_none == nullptr && if_modified != nullptr && if_modified->is_number() &&
      modified <= if_modified->get<double>()) {
    return FailedCondition::IfModifiedSince;
  }
  return FailedCondition::None;
}

std::string_view condition_header(FailedCondition condition) {
  switch (condition) {
    case FailedCondition::None: return "";
    case FailedCondition::IfMatch: return "If-Match";
    case FailedCondition::IfUnmodifiedSince: return "If-Unmodified-Since";
    case FailedCondition::IfNoneMatch: return "If-None-Match";
    case FailedCondition::IfModifiedSince: return "If-Modified-Since";
  }
  return "";
}

dispatch::AuthzResource bucket_resource(S3Engine& engine, const RequestContext& context, const std::string& bucket,
                                        std::string arn) {
  dispatch::AuthzResource resource{std::move(arn), "", std::nullopt};
  if (auto found = engine.get_bucket(bucket); found.ok()) {
    if (found->owner_account != context.account_id()) resource.owner_account = found->owner_account;
    resource.resource_policy = found->policy;
  }
  return resource;
}

void object_headers(const ObjectVersion& object, bool checksums, Json& out) {
  out["LastModified"] = epoch(object.last_modified);
  out["ContentLength"] = object.size;
  out["ETag"] = object.etag;
  out["AcceptRanges"] = "bytes";
  if (object.version_id != "null") out["VersionId"] = object.version_id;
  const ObjectHeaders& h = object.headers;
  out["ContentType"] = h.content_type.empty() ? "binary/octet-stream" : h.content_type;
  if (!h.cache_control.empty()) out["CacheControl"] = h.cache_control;
  if (!h.content_disposition.empty()) out["ContentDisposition"] = h.content_disposition;
  if (!h.content_encoding.empty()) out["ContentEncoding"] = h.content_encoding;
  if (!h.content_language.empty()) out["ContentLanguage"] = h.content_language;
  if (!h.expires.empty()) {
    char* end = nullptr;
    double e = std::strtod(h.expires.c_str(), &end);
    if (end != h.expires.c_str()) out["Expires"] = e;
  }
  if (!h.website_redirect_location.empty()) out["WebsiteRedirectLocation"] = h.website_redirect_location;
  if (!object.metadata.empty()) {
    Json meta = Json::object();
    for (const auto& [k, v] : object.metadata) meta[k] = v;
    out["Metadata"] = meta;
  }
  if (object.storage_class != "STANDARD" && !object.storage_class.empty()) out["StorageClass"] = object.storage_class;
  if (!object.tags.empty()) out["TagCount"] = object.tags.size();
  if (checksums && !object.checksums.empty()) {
    for (const auto& [name, value] : object.checksums) out["Checksum" + name] = value;
    out["ChecksumType"] = object.checksum_type.empty() ? "FULL_OBJECT" : object.checksum_type;
  }
}

}  // namespace s3::api
