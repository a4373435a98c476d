#include "services/ecr/api/handlers.h"

namespace ecr::api {

// By digest: the image and all its tags go. By tag: the tag goes, and the image with it when
// it was the last one. With both, the tag must be on that image; the image goes. Each id that
// cannot be deleted is a failure; the rest of the batch still runs.
HandlerResult batch_delete_image(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  Json deleted = Json::array();
  Json failures = Json::array();
  for (const auto& id : input.at("imageIds")) {
    Resolved resolved = resolve_image(api, repository->id, id);
    if (!resolved.image) {
      failures.push_back(failure_json(id, resolved.failure_code, resolved.failure_reason));
      continue;
    }
    std::string digest = str(id, "imageDigest");
    ImageId target{digest, digest.empty() ? str(id, "imageTag") : ""};
    auto outcome = api.engine.delete_image(repository->id, target);
    if (!outcome.ok()) {
      if (outcome.error().code == Errc::ImageReferenced) {
        std::string reason = "Requested image referenced by manifest list";
        if (!outcome.error().message.empty()) reason += ": " + outcome.error().message;
        failures.push_back(failure_json(id, "ImageReferencedByManifestList", reason));
      } else if (outcome.error().code == Errc::ImageNotFound) {
        failures.push_back(failure_json(id, "ImageNotFound", "Requested image not found"));
      } else {
        return common::fail(to_aws_error(outcome.error(), ref));
      }
      continue;
    }
    for (const auto& gone : outcome->deleted) deleted.push_back(image_id_json(gone.digest, gone.tag));
  }
  return Json{{"imageIds", std::move(deleted)}, {"failures", std::move(failures)}};
}

}  // namespace ecr::api
