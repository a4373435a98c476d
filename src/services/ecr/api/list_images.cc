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
  std::string tag_status = "ANY";
  if (auto filter = input.find("filter"); filter != input.end()) tag_status = filter->value("tagStatus", "ANY");
  auto page = page_of(input, kDefaultPage);
  if (!page.ok()) return common::fail(page.error());
  size_t offset = page->offset;
  size_t size = page->size;
  auto images = api.engine.list_images(repository->id, tag_status);
  if (!images.ok()) return common::fail(to_aws_error(images.error(), ref));
  Json entries = Json::array();
  for (const auto& image : *images) {
    if (image.tags.empty()) entries.push_back(image_id_json(image.digest, ""));
    for (const auto& tag : image.tags) entries.push_back(image_id_json(image.digest, tag));
  }
  Json ids = Json::array();
  for (size_t i = offset; i < entries.size() && i < offset + size; ++i) ids.push_back(entries[i]);
  Json out{{"imageIds", std::move(ids)}};
  if (offset + size < entries.size()) out["nextToken"] = page_token(offset + size);
  return out;
}

}  // namespace ecr::api
