// ListObjects, ListObjectsV2, ListObjectVersions.
#include "common/crypto.h"
#include "services/s3/api/api.h"

namespace s3::api {

namespace {

void checksum_summary(const ObjectVersion& object, Json& out) {
  if (object.checksums.empty()) return;
  Json algorithms = Json::array();
  for (const auto& [name, value] : object.checksums) algorithms.push_back(name);
  out["ChecksumAlgorithm"] = std::move(algorithms);
  out["ChecksumType"] = object.checksum_type.empty() ? "FULL_OBJECT" : object.checksum_type;
}

Json object_json(const ObjectVersion& object, bool url, const Json* owner) {
  Json out{{"Key", encode_name(object.key, url)},
           {"LastModified", epoch(object.last_modified)},
           {"ETag", object.etag},
           {"Size", object.size},
           {"StorageClass", object.storage_class.empty() ? "STANDARD" : object.storage_class}};
  checksum_summary(object, out);
  if (owner != nullptr) out["Owner"] = *owner;
  return out;
}

struct Listing {
  bool url = false;
  int max_keys = 1000;
  Json owner;
  ListResult result;
};

// What V1 and V2 share: encoding type, max-keys, the owner, the engine call.
common::Result<Listing, aws::AwsError> list(S3Engine& engine, const Json& input, std::string after) {
  Listing listing;
  auto url = url_encoding(input);
  if (!url.ok()) return common::fail(std::move(url.error()));
  listing.url = *url;
  auto max = page_size(input, "MaxKeys", "maxKeys");
  if (!max.ok()) return common::fail(std::move(max.error()));
  listing.max_keys = *max;
  std::string bucket = str(input, "Bucket");
  auto owner = bucket_owner_json(engine, bucket);
  if (!owner.ok()) return common::fail(std::move(owner.error()));
  listing.owner = std::move(*owner);
  ListQuery query{str(input, "Prefix"), str(input, "Delimiter"), std::move(after), listing.max_keys};
  auto result = engine.list_objects(bucket, query);
  if (!result.ok()) return common::fail(to_aws_error(result.error(), bucket));
  listing.result = std::move(*result);
  // S3 answers max-keys=0 with an empty, untruncated page.
  if (listing.max_keys == 0) listing.result.truncated = false;
  return listing;
}

// Members both versions echo: Name, Prefix (always), Delimiter, MaxKeys, EncodingType.
Json echo(const Json& input, const Listing& listing) {
  Json out{{"Name", str(input, "Bucket")},
           {"Prefix", encode_name(str(input, "Prefix"), listing.url)},
           {"MaxKeys", listing.max_keys},
           {"IsTruncated", listing.result.truncated}};
  if (input.contains("Delimiter")) out["Delimiter"] = encode_name(str(input, "Delimiter"), listing.url);
  if (listing.url) out["EncodingType"] = "url";
  if (!listing.result.common_prefixes.empty()) {
    out["CommonPrefixes"] = common_prefixes_json(listing.result.common_prefixes, listing.url);
  }
  return out;
}

}  // namespace

HandlerResult list_objects(S3Engine& engine, RequestContext& /*context*/, const Json& input, StreamIo& /*io*/) {
  std::string marker = str(input, "Marker");
  auto listing = list(engine, input, marker);
  if (!listing.ok()) return common::fail(std::move(listing.error()));
  Json out = echo(input, *listing);
  out["Marker"] = encode_name(marker, listing->url);
  Json contents = Json::array();
  for (const ObjectVersion& o : listing->result.objects)
    contents.push_back(object_json(o, listing->url, &listing->owner));
  if (!contents.empty()) out["Contents"] = std::move(contents);
  // V1 names the next marker only when a delimiter was given; otherwise clients continue
  // from the last key listed.
  if (listing->result.truncated && !str(input, "Delimiter").empty()) {
    out["NextMarker"] = encode_name(listing->result.last, listing->url);
  }
  return out;
}

HandlerResult list_objects_v2(S3Engine& engine, RequestContext& /*context*/, const Json& input, StreamIo& /*io*/) {
  std::string after = str(input, "StartAfter");
  bool has_token = input.contains("ContinuationToken");
  std::string token = str(input, "ContinuationToken");
  if (has_token) {
    // The token is opaque to clients: base64 of "1/" and the last key (or common prefix) returned.
    std::string key;
    if (token.empty() || !common::base64_decode(token, key) || key.size() < 3 || key.compare(0, 2, "1/") != 0) {
      return common::fail(
          invalid_argument("The continuation token provided is incorrect", "continuation-token", token));
    }
    after = key.substr(2);
  }
  auto listing = list(engine, input, after);
  if (!listing.ok()) return common::fail(std::move(listing.error()));
  Json out = echo(input, *listing);
  bool fetch_owner =
      input.contains("FetchOwner") && input["FetchOwner"].is_boolean() && input["FetchOwner"].get<bool>();
  Json contents = Json::array();
  for (const ObjectVersion& o : listing->result.objects) {
    contents.push_back(object_json(o, listing->url, fetch_owner ? &listing->owner : nullptr));
  }
  out["KeyCount"] = contents.size() + listing->result.common_prefixes.size();
  if (!contents.empty()) out["Contents"] = std::move(contents);
  if (has_token) out["ContinuationToken"] = token;
  if (input.contains("StartAfter")) out["StartAfter"] = encode_name(str(input, "StartAfter"), listing->url);
  if (listing->result.truncated) out["NextContinuationToken"] = common::base64_encode("1/" + listing->result.last);
  return out;
}

HandlerResult list_object_versions(S3Engine& engine, RequestContext& /*context*/, const Json& input, StreamIo& /*io*/) {
  auto url = url_encoding(input);
  if (!url.ok()) return common::fail(std::move(url.error()));
  auto max = page_size(input, "MaxKeys", "maxKeys");
  if (!max.ok()) return common::fail(std::move(max.error()));
  std::string bucket = str(input, "Bucket");
  VersionQuery query{str(input, "Prefix"), str(input, "Delimiter"), str(input, "KeyMarker"),
                     str(input, "VersionIdMarker"), *max};
  if (!query.version_id_marker.empty() && query.key_marker.empty()) {
    return common::fail(invalid_argument("A version-id marker cannot be specified without a key marker.",
                                         "version-id-marker", query.version_id_marker));
  }
  auto owner = bucket_owner_json(engine, bucket);
  if (!owner.ok()) return common::fail(std::move(owner.error()));
  auto result = engine.list_versions(bucket, query);
  if (!result.ok()) return common::fail(to_aws_error(result.error(), bucket));
  if (*max == 0) result->truncated = false;

  Json out{{"Name", bucket},
           {"Prefix", encode_name(query.prefix, *url)},
           {"KeyMarker", encode_name(query.key_marker, *url)},
           {"VersionIdMarker", query.version_id_marker},
           {"MaxKeys", *max},
           {"IsTruncated", result->truncated}};
  if (input.contains("Delimiter")) out["Delimiter"] = encode_name(query.delimiter, *url);
  if (*url) out["EncodingType"] = "url";
  Json versions = Json::array();
  Json markers = Json::array();
  for (const ObjectVersion& v : result->versions) {
    Json entry{{"Key", encode_name(v.key, *url)},
               {"VersionId", v.version_id},
               {"IsLatest", v.is_latest},
               {"LastModified", epoch(v.last_modified)},
               {"Owner", *owner}};
    if (v.delete_marker) {
      markers.push_back(std::move(entry));
      continue;
    }
    entry["ETag"] = v.etag;
    entry["Size"] = v.size;
    entry["StorageClass"] = v.storage_class.empty() ? "STANDARD" : v.storage_class;
    checksum_summary(v, entry);
    versions.push_back(std::move(entry));
  }
  if (!versions.empty()) out["Versions"] = std::move(versions);
  if (!markers.empty()) out["DeleteMarkers"] = std::move(markers);
  if (!result->common_prefixes.empty()) out["CommonPrefixes"] = common_prefixes_json(result->common_prefixes, *url);
  if (result->truncated) {
    out["NextKeyMarker"] = encode_name(result->next_key_marker, *url);
    if (!result->next_version_id_marker.empty()) out["NextVersionIdMarker"] = result->next_version_id_marker;
  }
  return out;
}

}  // namespace s3::api
