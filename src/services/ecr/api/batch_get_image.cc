#include "oci/manifest.h"
#include "services/ecr/api/handlers.h"

namespace ecr::api {

// Each id resolves to its image or to a failure. acceptedMediaTypes: an image whose stored
// type the caller does not accept is reported as not found (as a registry answers 404 to an
// Accept it cannot serve); hakobu converts no manifests (AWS converts Docker schema 2 to
// schema 1 for clients that only accept schema 1). A returned image counts as a pull.
HandlerResult batch_get_image(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  std::vector<std::string> accepted;
  if (auto types = input.find("acceptedMediaTypes"); types != input.end()) {
    for (const auto& type : *types) accepted.push_back(type.get<std::string>());
  }
  Json images = Json::array();
  Json failures = Json::array();
  for (const auto& id : input.at("imageIds")) {
    Resolved resolved = resolve_image(api, repository->id, id);
    if (resolved.image && !accepted.empty() && !oci::acceptable(resolved.image->media_type, accepted)) {
      resolved = Resolved{std::nullopt, "ImageNotFound", "Requested image not found"};
    }
    if (!resolved.image) {
      failures.push_back(failure_json(id, resolved.failure_code, resolved.failure_reason));
      continue;
    }
    const Image& image = *resolved.image;
    api.engine.record_pull(repository->id, image.digest);
    images.push_back(Json{
        {"registryId", ref.account},
        {"repositoryName", ref.name},
        {"imageId", image_id_json(image.digest, str(id, "imageTag"))},
        {"imageManifest", image.manifest},
        {"imageManifestMediaType", image.media_type},
    });
  }
  return Json{{"images", std::move(images)}, {"failures", std::move(failures)}};
}

}  // namespace ecr::api
