// BatchCheckLayerAvailability / GetDownloadUrlForLayer: the layer API's reads.
#include "gen/ecr/errors.h"
#include "oci/digest.h"
#include "services/ecr/api/handlers.h"
#include "services/ecr/model/uri.h"

namespace ecr::api {
namespace {

// Download URLs carry a registry password good for this long (AWS's presigned S3 URLs last
// about as long).
constexpr int64_t kDownloadUrlSeconds = 3600;

Json layer_failure(const std::string& digest, const char* code, const char* reason) {
  return Json{{"layerDigest", digest}, {"failureCode", code}, {"failureReason", reason}};
}

}  // namespace

// A layer the repository has is AVAILABLE with its size; one it lacks is a MissingLayerDigest
// failure, a malformed digest an InvalidLayerDigest failure.
HandlerResult batch_check_layer_availability(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  Json layers = Json::array();
  Json failures = Json::array();
  for (const auto& entry : input.at("layerDigests")) {
    std::string digest = entry.get<std::string>();
    if (digest.empty()) {
      failures.push_back(layer_failure(digest, "MissingLayerDigest", "Missing layer digest"));
    } else if (!oci::parse_digest(digest)) {
      failures.push_back(layer_failure(digest, "InvalidLayerDigest", "Invalid layer digest"));
    } else if (auto blob = api.engine.find_blob(repository->id, digest)) {
      layers.push_back(Json{{"layerDigest", digest}, {"layerAvailability", "AVAILABLE"}, {"layerSize", blob->size}});
    } else {
      failures.push_back(layer_failure(digest, "MissingLayerDigest", "Missing layer digest"));
    }
  }
  return Json{{"layers", std::move(layers)}, {"failures", std::move(failures)}};
}

// AWS answers a presigned S3 URL; hakobu answers the registry's blob URL with a short-lived
// registry password for the caller in X-Amz-Ecr-Token, so a plain GET (curl, a browser)
// downloads the layer as the caller, and IAM still decides.
HandlerResult get_download_url_for_layer(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  std::string digest = str(input, "layerDigest");
  if (!oci::parse_digest(digest) || !api.engine.find_blob(repository->id, digest)) {
    return common::fail(errors::LayersNotFoundException("The specified layer " + digest +
                                                        " does not exist in the repository with name '" + ref.name +
                                                        "' in the registry with id '" + ref.account + "'"));
  }
  TokenClaims claims = caller_claims(context, static_cast<int64_t>(epoch(now(api, context))) + kDownloadUrlSeconds);
  std::string host = registry_host(api, context);
  std::string uri = repository_uri(api, context, *repository);  // "<host>/<path name>"
  std::string path_name = uri.substr(std::min(uri.size(), host.size() + 1));
  std::string url =
      "http://" + host + "/v2/" + path_name + "/blobs/" + digest + "?X-Amz-Ecr-Token=" + api.tokens.password(claims);
  return Json{{"downloadUrl", std::move(url)}, {"layerDigest", digest}};
}

}  // namespace ecr::api
