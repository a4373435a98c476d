#include "services/s3/api/register.h"

#include "gen/models.h"
#include "services/s3/api/api.h"

namespace s3 {
namespace {

using api::Json;
using dispatch::AuthzFn;
using dispatch::AuthzResource;
using dispatch::AuthzTarget;
using dispatch::RequestContext;

std::string bucket_arn(const std::string& bucket) { return "arn:aws:s3:::" + bucket; }
std::string object_arn(const std::string& bucket, const std::string& key) {
  return "arn:aws:s3:::" + bucket + "/" + key;
}

void common_keys(const RequestContext& context, AuthzTarget& target) {
  const auto* request = context.http;
  bool presigned = request != nullptr && request->query.find("X-Amz-Signature=") != std::string::npos;
  target.keys["s3:authtype"] = {presigned ? "REST-QUERY-STRING" : "REST-HEADER"};
  target.keys["s3:signatureversion"] = {"AWS4-HMAC-SHA256"};
  if (request != nullptr) {
    if (const std::string* h = request->header("x-amz-content-sha256")) target.keys["s3:x-amz-content-sha256"] = {*h};
  }
}

// The bucket itself (ListBucket, GetBucketPolicy...).
AuthzFn on_bucket(S3Engine& engine) {
  return [&engine](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    std::string bucket = api::str(input, "Bucket");
    target.resources.push_back(api::bucket_resource(engine, context, bucket, bucket_arn(bucket)));
    common_keys(context, target);
    return target;
  };
}

// CreateBucket: the name is the caller's to claim; whoever owns it already is the handler's
// business (BucketAlreadyExists), not IAM's.
AuthzFn new_bucket() {
  return [](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    target.resources.push_back(AuthzResource{bucket_arn(api::str(input, "Bucket")), "", std::nullopt});
    common_keys(context, target);
    return target;
  };
}

// ListObjects(V2)/ListObjectVersions/ListMultipartUploads: the bucket, with s3:prefix etc.
AuthzFn listing(S3Engine& engine) {
  return [&engine](const RequestContext& context, const Json& input) {
    AuthzTarget target = on_bucket(engine)(context, input);
    target.keys["s3:prefix"] = {api::str(input, "Prefix")};
    if (input.contains("Delimiter")) target.keys["s3:delimiter"] = {api::str(input, "Delimiter")};
    if (input.contains("MaxKeys") && input["MaxKeys"].is_number_integer()) {
      target.keys["s3:max-keys"] = {std::to_string(input["MaxKeys"].get<int64_t>())};
    }
    return target;
  };
}

// An object; `versioned_action` replaces the row's action when a version id is named.
AuthzFn on_object(S3Engine& engine, std::string versioned_action = "") {
  return [&engine, versioned_action](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    std::string bucket = api::str(input, "Bucket");
    target.resources.push_back(
        api::bucket_resource(engine, context, bucket, object_arn(bucket, api::str(input, "Key"))));
    std::string version = api::str(input, "VersionId");
    if (!version.empty()) {
      target.keys["s3:versionid"] = {version};
      if (!versioned_action.empty()) target.action = versioned_action;
    }
    common_keys(context, target);
    return target;
  };
}

// CopyObject / UploadPartCopy: write the target, read the source.
AuthzFn copy(S3Engine& engine) {
  return [&engine](const RequestContext& context, const Json& input) {
    AuthzTarget target = on_object(engine)(context, input);
    auto source = api::parse_copy_source(api::str(input, "CopySource"));
    if (source.ok()) {
      std::string action = source->version_id.empty() ? "s3:GetObject" : "s3:GetObjectVersion";
      target.also.emplace_back(
          action, api::bucket_resource(engine, context, source->bucket, object_arn(source->bucket, source->key)));
    }
    return target;
  };
}

// DeleteObjects: s3:DeleteObject on every key.
AuthzFn each_object(S3Engine& engine) {
  return [&engine](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    std::string bucket = api::str(input, "Bucket");
    AuthzResource base = api::bucket_resource(engine, context, bucket, bucket_arn(bucket));
    auto del = input.find("Delete");
    if (del != input.end() && del->contains("Objects") && (*del)["Objects"].is_array()) {
      for (const auto& object : (*del)["Objects"]) {
        AuthzResource r = base;
        r.arn = object_arn(bucket, api::str(object, "Key"));
        target.resources.push_back(std::move(r));
      }
    }
    if (target.resources.empty()) target.resources.push_back(base);
    common_keys(context, target);
    return target;
  };
}

}  // namespace

void register_api(dispatch::Registry& registry, S3Engine& engine,
                  std::function<bool(const std::string& arn)> principal_exists) {
  dispatch::Service& service = registry.service(gen::s3_model());
  auto add = [&](const char* name, const char* action, AuthzFn authz, auto handler) {
    dispatch::OperationSpec spec;
    spec.name = name;
    spec.action = action;
    spec.authz = std::move(authz);
    spec.stream_handler = [&engine, handler](RequestContext& context, const Json& input, dispatch::StreamIo& io) {
      return handler(engine, context, input, io);
    };
    service.add(std::move(spec));
  };
  // Buckets
  add("CreateBucket", "s3:CreateBucket", new_bucket(), api::create_bucket);
  add("DeleteBucket", "s3:DeleteBucket", on_bucket(engine), api::delete_bucket);
  add("HeadBucket", "s3:ListBucket", on_bucket(engine), api::head_bucket);
  add("ListBuckets", "s3:ListAllMyBuckets", nullptr, api::list_buckets);
  add("GetBucketLocation", "s3:GetBucketLocation", on_bucket(engine), api::get_bucket_location);
  add("PutBucketVersioning", "s3:PutBucketVersioning", on_bucket(engine), api::put_bucket_versioning);
  add("GetBucketVersioning", "s3:GetBucketVersioning", on_bucket(engine), api::get_bucket_versioning);
  add("PutBucketPolicy", "s3:PutBucketPolicy", on_bucket(engine),
      [principal_exists](S3Engine& e, RequestContext& context, const Json& input, dispatch::StreamIo& io) {
        return api::put_bucket_policy(e, context, input, io, principal_exists);
      });
  add("GetBucketPolicy", "s3:GetBucketPolicy", on_bucket(engine), api::get_bucket_policy);
  add("DeleteBucketPolicy", "s3:DeleteBucketPolicy", on_bucket(engine), api::delete_bucket_policy);
  add("PutBucketTagging", "s3:PutBucketTagging", on_bucket(engine), api::put_bucket_tagging);
  add("GetBucketTagging", "s3:GetBucketTagging", on_bucket(engine), api::get_bucket_tagging);
  add("DeleteBucketTagging", "s3:PutBucketTagging", on_bucket(engine), api::delete_bucket_tagging);
  add("PutBucketNotificationConfiguration", "s3:PutBucketNotification", on_bucket(engine),
      api::put_bucket_notification_configuration);
  add("GetBucketNotificationConfiguration", "s3:GetBucketNotification", on_bucket(engine),
      api::get_bucket_notification_configuration);
  // Objects
  add("PutObject", "s3:PutObject", on_object(engine), api::put_object);
  add("CopyObject", "s3:PutObject", copy(engine), api::copy_object);
  add("GetObject", "s3:GetObject", on_object(engine, "s3:GetObjectVersion"), api::get_object);
  add("HeadObject", "s3:GetObject", on_object(engine, "s3:GetObjectVersion"), api::head_object);
  add("DeleteObject", "s3:DeleteObject", on_object(engine, "s3:DeleteObjectVersion"), api::delete_object);
  add("DeleteObjects", "s3:DeleteObject", each_object(engine), api::delete_objects);
  add("PutObjectTagging", "s3:PutObjectTagging", on_object(engine, "s3:PutObjectVersionTagging"),
      api::put_object_tagging);
  add("GetObjectTagging", "s3:GetObjectTagging", on_object(engine, "s3:GetObjectVersionTagging"),
      api::get_object_tagging);
  add("DeleteObjectTagging", "s3:DeleteObjectTagging", on_object(engine, "s3:DeleteObjectVersionTagging"),
      api::delete_object_tagging);
  // Listing
  add("ListObjects", "s3:ListBucket", listing(engine), api::list_objects);
  add("ListObjectsV2", "s3:ListBucket", listing(engine), api::list_objects_v2);
  add("ListObjectVersions", "s3:ListBucketVersions", listing(engine), api::list_object_versions);
  // Multipart
  add("CreateMultipartUpload", "s3:PutObject", on_object(engine), api::create_multipart_upload);
  add("UploadPart", "s3:PutObject", on_object(engine), api::upload_part);
  add("UploadPartCopy", "s3:PutObject", copy(engine), api::upload_part_copy);
  add("CompleteMultipartUpload", "s3:PutObject", on_object(engine), api::complete_multipart_upload);
  add("AbortMultipartUpload", "s3:AbortMultipartUpload", on_object(engine), api::abort_multipart_upload);
  add("ListParts", "s3:ListMultipartUploadParts", on_object(engine), api::list_parts);
  add("ListMultipartUploads", "s3:ListBucketMultipartUploads", listing(engine), api::list_multipart_uploads);
}

}  // namespace s3
