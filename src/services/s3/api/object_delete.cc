// DeleteObject and DeleteObjects.
#include "services/s3/api/api.h"

namespace s3::api {

HandlerResult delete_object(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  std::string bucket = str(input, "Bucket");
  std::string key = str(input, "Key");
  auto found = engine.get_bucket(bucket);
  if (!found.ok()) return common::fail(to_aws_error(found.error(), bucket));
  auto out = engine.delete_object(ObjectRef{bucket, key, str(input, "VersionId")});
  if (!out.ok()) return common::fail(to_aws_error(out.error(), bucket, key));
  Json result = Json::object();
  if (out->delete_marker) result["DeleteMarker"] = true;
  if (!out->version_id.empty()) result["VersionId"] = out->version_id;
  return result;
}

HandlerResult delete_objects(S3Engine& engine, RequestContext&, const Json& input, StreamIo&) {
  std::string bucket = str(input, "Bucket");
  auto found = engine.get_bucket(bucket);
  if (!found.ok()) return common::fail(to_aws_error(found.error(), bucket));
  const Json& del = input.contains("Delete") ? input["Delete"] : Json::object();
  const Json& objects = del.contains("Objects") ? del["Objects"] : Json::array();
  if (!objects.is_array() || objects.empty() || objects.size() > 1000) {
    return common::fail(aws::make_aws_error(
        "MalformedXML", 400,
        "The XML you provided was not well-formed or did not validate against our published schema"));
  }
  bool quiet = del.value("Quiet", false);
  Json deleted = Json::array();
  Json errors = Json::array();
  for (const auto& object : objects) {
    std::string key = str(object, "Key");
    std::string version = str(object, "VersionId");
    auto out = engine.delete_object(ObjectRef{bucket, key, version});
    if (!out.ok()) {
      auto e = to_aws_error(out.error(), bucket, key);
      Json error{{"Key", key}, {"Code", e.code}, {"Message", e.message}};
      if (!version.empty()) error["VersionId"] = version;
      errors.push_back(std::move(error));
      continue;
    }
    if (quiet) continue;
    Json entry{{"Key", key}};
    if (!version.empty()) entry["VersionId"] = version;
    if (out->delete_marker) {
      entry["DeleteMarker"] = true;
      if (!out->version_id.empty()) entry["DeleteMarkerVersionId"] = out->version_id;
    }
    deleted.push_back(std::move(entry));
  }
  Json result = Json::object();
  if (!deleted.empty()) result["Deleted"] = deleted;
  if (!errors.empty()) result["Errors"] = errors;
  return result;
}

}  // namespace s3::api
