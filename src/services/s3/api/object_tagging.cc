// PutObjectTagging, GetObjectTagging, DeleteObjectTagging.
#include "services/s3/api/api.h"

namespace s3::api {

namespace {

ObjectRef ref_of(const Json& input) {
  return ObjectRef{str(input, "Bucket"), str(input, "Key"), str(input, "VersionId")};
}

// Sets the tags of the named (or latest) version; answers with its version id unless "null".
HandlerResult set_tags(S3Engine& engine, const Json& input, std::vector<Tag> tags) {
  ObjectRef ref = ref_of(input);
  std::string version_id;
  auto done = engine.put_object_tags(ref, std::move(tags), &version_id);
  if (!done.ok()) return common::fail(to_aws_error(done.error(), ref.bucket, ref.key));
  Json out = Json::object();
  if (!version_id.empty() && version_id != "null") out["VersionId"] = version_id;
  return out;
}

}  // namespace

HandlerResult put_object_tagging(S3Engine& engine, RequestContext& /*context*/, const Json& input, StreamIo& /*io*/) {
  auto tagging = input.find("Tagging");
  auto tags = tags_from_json(tagging != input.end() ? *tagging : Json::object(), 10);
  if (!tags.ok()) return common::fail(std::move(tags.error()));
  return set_tags(engine, input, std::move(*tags));
}

HandlerResult get_object_tagging(S3Engine& engine, RequestContext& /*context*/, const Json& input, StreamIo& /*io*/) {
  ObjectRef ref = ref_of(input);
  auto object = engine.get_object(ref);
  if (!object.ok()) return common::fail(to_aws_error(object.error(), ref.bucket, ref.key));
  Json out{{"TagSet", tags_to_json(object->tags)}};
  if (object->version_id != "null") out["VersionId"] = object->version_id;
  return out;
}

HandlerResult delete_object_tagging(S3Engine& engine, RequestContext& /*context*/, const Json& input,
                                    StreamIo& /*io*/) {
  return set_tags(engine, input, {});
}

}  // namespace s3::api
