#include "gen/ecr/errors.h"
#include "services/ecr/api/handlers.h"

namespace ecr::api {
namespace {

constexpr size_t kDefaultPage = 100;  // AWS's page when maxResults is not given

bool matches(const Image& image, const std::string& tag_status) {
  if (tag_status == "TAGGED") return !image.tags.empty();
  if (tag_status == "UNTAGGED") return image.tags.empty();
  return true;
}

}  // namespace

// Named images: each must exist (else ImageNotFoundException naming it), each reported once.
// Otherwise every image matching filter.tagStatus, newest first, paginated.
HandlerResult describe_images(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  std::string tag_status = tag_status_of(input);
  Json details = Json::array();
  if (auto ids = input.find("imageIds"); ids != input.end() && !ids->empty()) {
    std::vector<std::string> seen;
    for (const auto& id : *ids) {
      Resolved resolved = resolve_image(api, repository->id, id);
      if (!resolved.image) {
        if (resolved.failure_code != "ImageNotFound" && resolved.failure_code != "ImageTagDoesNotMatchDigest") {
          return common::fail(invalid_parameter(resolved.failure_reason));
        }
        return common::fail(errors::ImageNotFoundException(
            "The image with imageId " + image_id_text(id) + " does not exist within the repository with name '" +
            ref.name + "' in the registry with id '" + ref.account + "'"));
      }
      if (!matches(*resolved.image, tag_status)) continue;
      if (std::find(seen.begin(), seen.end(), resolved.image->digest) != seen.end()) continue;
      seen.push_back(resolved.image->digest);
      details.push_back(image_detail_json(ref, *resolved.image));
    }
    return Json{{"imageDetails", std::move(details)}};
  }
  auto page = page_of(input, kDefaultPage);
  if (!page.ok()) return common::fail(page.error());
  auto images = api.engine.list_images(repository->id, tag_status);
  if (!images.ok()) return common::fail(to_aws_error(images.error(), ref));
  Json out{{"imageDetails",
            page_entries(*page, images->size(), [&](size_t i) { return image_detail_json(ref, (*images)[i]); })}};
  set_next_token(out, *page, images->size());
  return out;
}

}  // namespace ecr::api
