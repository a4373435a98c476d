// What the image operations share: resolving an ImageIdentifier, failures, ImageDetail.
#include <regex>

#include "oci/digest.h"
#include "services/ecr/api/api.h"

namespace ecr::api {
namespace {

// The digest rule AWS's failure messages quote.
bool digest_shaped(const std::string& digest) {
  static const std::regex pattern("[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+");
  return std::regex_match(digest, pattern);
}

Resolved failed(std::string code, std::string reason) {
  return Resolved{std::nullopt, std::move(code), std::move(reason)};
}

Resolved not_found() { return failed("ImageNotFound", "Requested image not found"); }

}  // namespace

Resolved resolve_image(Api& api, int64_t repo_id, const Json& image_id) {
  std::string digest = str(image_id, "imageDigest");
  std::string tag = str(image_id, "imageTag");
  if (digest.empty() && tag.empty()) {
    return failed("MissingDigestAndTag", "Invalid request parameters: both tag and digest cannot be null");
  }
  if (!digest.empty() && !digest_shaped(digest)) {
    return failed("InvalidImageDigest",
                  "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'");
  }
  if (!tag.empty() && !oci::valid_tag(tag)) {
    return failed("InvalidImageTag",
                  "Invalid request parameters: image tag should satisfy the regex '[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}'");
  }
  if (!digest.empty() && !oci::parse_digest(digest)) return not_found();
  auto image = api.engine.get_image(repo_id, digest.empty() ? tag : digest);
  if (!image.ok()) return not_found();
  if (!digest.empty() && !tag.empty()) {
    bool tagged = std::find(image->tags.begin(), image->tags.end(), tag) != image->tags.end();
    if (!tagged) {
      // Is the tag somewhere else, or nowhere? AWS says "does not match" only for the former.
      if (!api.engine.get_image(repo_id, tag).ok()) return not_found();
      return failed("ImageTagDoesNotMatchDigest", "Invalid request parameters: image tag does not match digest");
    }
  }
  return Resolved{std::move(*image), "", ""};
}

Json failure_json(const Json& image_id, const std::string& code, const std::string& reason) {
  return Json{{"imageId", image_id_json(str(image_id, "imageDigest"), str(image_id, "imageTag"))},
              {"failureCode", code},
              {"failureReason", reason}};
}

Json image_detail_json(const RepoRef& ref, const Image& image) {
  Json detail{
      {"registryId", ref.account},
      {"repositoryName", ref.name},
      {"imageDigest", image.digest},
      {"imageSizeInBytes", image.size},
      {"imagePushedAt", epoch(image.pushed_at)},
      {"imageManifestMediaType", image.media_type},
  };
  if (!image.tags.empty()) detail["imageTags"] = image.tags;
  if (!image.artifact_media_type.empty()) detail["artifactMediaType"] = image.artifact_media_type;
  if (image.last_pull) detail["lastRecordedPullTime"] = epoch(*image.last_pull);
  if (image.subject) detail["subjectManifestDigest"] = *image.subject;
  return detail;
}

}  // namespace ecr::api
