#include "gen/ecr/errors.h"
#include "oci/digest.h"
#include "oci/manifest.h"
#include "services/ecr/api/handlers.h"

namespace ecr::api {
namespace {

// The engine's errors in PutImage's words (the engine names only the digest involved).
aws::AwsError put_error(const Error& failure, const RepoRef& ref, const std::string& manifest,
                        const std::string& digest, const std::string& tag) {
  std::string where = "in the repository with name '" + ref.name + "' in registry with id '" + ref.account + "'";
  switch (failure.code) {
    case Errc::ImageAlreadyExists:
      return errors::ImageAlreadyExistsException("Image with digest '" + digest + "' and tag '" + tag +
                                                 "' already exists " + where);
    case Errc::ImageTagAlreadyExists:
      return errors::ImageTagAlreadyExistsException("The image tag '" + tag + "' already exists in the '" + ref.name +
                                                    "' repository and cannot be overwritten because the repository "
                                                    "is immutable.");
    case Errc::ManifestBlobUnknown: {
      auto parsed = oci::parse_manifest(manifest, "");
      if (parsed.ok() && parsed->is_index) {
        return errors::ReferencedImagesNotFoundException(
            "Some of the images referenced by the manifest list do not "
            "exist in the repository: [" +
            failure.message + "]");
      }
      return errors::LayersNotFoundException("Layers with digests '[" + failure.message +
                                             "]' required for pushing image into repository with name '" + ref.name +
                                             "' in the registry with id '" + ref.account + "' do not exist");
    }
    case Errc::ManifestInvalid:
      return invalid_parameter("Invalid parameter at 'ImageManifest' failed to satisfy constraint: '" +
                               failure.message + "'");
    case Errc::ImageDigestMismatch:
      return errors::ImageDigestDoesNotMatchException(
          "Invalid parameter at 'imageDigest' failed to satisfy "
          "constraint: 'The specified digest does not match the "
          "computed digest " +
          digest + "'");
    default: return to_aws_error(failure, ref);
  }
}

}  // namespace

// The API form of a manifest push (what `docker push` does through the registry): the same
// engine call, with PutImage's rule that re-putting an identical manifest under the same tag
// (or untagged, an existing digest) is ImageAlreadyExistsException.
HandlerResult put_image(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  PutManifestInput put;
  put.bytes = str(input, "imageManifest");
  put.tag = str(input, "imageTag");
  put.expected_digest = str(input, "imageDigest");
  put.content_type = str(input, "imageManifestMediaType");
  put.put_image_api = true;
  auto stored = api.engine.put_manifest(repository->id, put);
  if (!stored.ok()) {
    return common::fail(put_error(stored.error(), ref, put.bytes, oci::sha256_digest(put.bytes), put.tag));
  }
  const Image& image = stored->image;
  return Json{{"image",
               {{"registryId", ref.account},
                {"repositoryName", ref.name},
                {"imageId", image_id_json(image.digest, put.tag)},
                {"imageManifest", image.manifest},
                {"imageManifestMediaType", image.media_type}}}};
}

}  // namespace ecr::api
