#include "services/ecr/api/handlers.h"

namespace ecr::api {
namespace {

constexpr size_t kDefaultPage = 100;  // AWS's page when maxResults is not given

}  // namespace

// One entry per tag ({imageDigest, imageTag}); an untagged image once ({imageDigest}).
// Newest images first; pages over entries.
HandlerResult list_images(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  auto page = page_of(input, kDefaultPage);
  if (!page.ok()) return common::fail(page.error());
  auto images = api.engine.list_images(repository->id, tag_status_of(input));
  if (!images.ok()) return common::fail(to_aws_error(images.error(), ref));
  Json entries = Json::array();
  for (const auto& image : *images) {
    if (image.tags.empty()) entries.push_back(image_id_json(image.digest, ""));
    for (const auto& tag : image.tags) entries.push_back(image_id_json(image.digest, tag));
  }
  Json out{{"imageIds", page_entries(*page, entries.size(), [&](size_t i) { return entries[i]; })}};
  set_next_token(out, *page, entries.size());
  return out;
}

}  // namespace ecr::api
