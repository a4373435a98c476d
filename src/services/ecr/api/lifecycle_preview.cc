// StartLifecyclePolicyPreview / GetLifecyclePolicyPreview. A preview runs at once (AWS's is
// asynchronous: Start answers IN_PROGRESS, Get answers COMPLETE once done, which for hakobu
// is immediately); the last one per repository is kept in memory (Api::previews).
#include "gen/ecr/errors.h"
#include "services/ecr/api/handlers.h"

namespace ecr::api {
namespace {

constexpr size_t kDefaultPage = 100;

bool selected(const LifecycleAction& action, const Json& input) {
  std::string tag_status = tag_status_of(input);
  if (tag_status == "TAGGED" && action.tags.empty()) return false;
  if (tag_status == "UNTAGGED" && !action.tags.empty()) return false;
  auto ids = input.find("imageIds");
  if (ids == input.end() || ids->empty()) return true;
  for (const auto& id : *ids) {
    std::string digest = str(id, "imageDigest");
    std::string tag = str(id, "imageTag");
    bool has_tag = std::find(action.tags.begin(), action.tags.end(), tag) != action.tags.end();
    if ((digest.empty() || digest == action.digest) && (tag.empty() || has_tag)) return true;
  }
  return false;
}

Json result_json(const LifecycleAction& action) {
  Json result{{"imageDigest", action.digest},
              {"imagePushedAt", epoch(action.pushed_at)},
              {"action", {{"type", action.action}}},
              {"appliedRulePriority", action.rule_priority}};
  if (!action.tags.empty()) result["imageTags"] = action.tags;
  return result;
}

}  // namespace

HandlerResult start_lifecycle_policy_preview(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  std::string text = str(input, "lifecyclePolicyText");
  if (text.empty()) {
    if (!repository->lifecycle_policy) {
      return common::fail(to_aws_error(error(Errc::LifecyclePolicyNotFound, ""), ref));
    }
    text = *repository->lifecycle_policy;
  }
  auto policy = parse_lifecycle_policy(text);
  if (!policy.ok()) return common::fail(to_aws_error(policy.error(), ref));
  auto images = api.engine.list_images(repository->id, "ANY");
  if (!images.ok()) return common::fail(to_aws_error(images.error(), ref));
  std::vector<LifecycleCandidate> candidates;
  for (const auto& image : *images) candidates.push_back({image.digest, image.tags, image.pushed_at});
  Preview preview{text, evaluate_lifecycle(*policy, candidates, now(api, context))};
  {
    std::lock_guard lock(api.previews_mutex);
    api.previews[preview_key(*repository)] = std::move(preview);
  }
  return Json{{"registryId", ref.account},
              {"repositoryName", ref.name},
              {"lifecyclePolicyText", text},
              {"status", "IN_PROGRESS"}};
}

HandlerResult get_lifecycle_policy_preview(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto repository = find_repository(api, ref);
  if (!repository.ok()) return common::fail(repository.error());
  Preview preview;
  {
    std::lock_guard lock(api.previews_mutex);
    auto it = api.previews.find(preview_key(*repository));
    if (it == api.previews.end()) {
      return common::fail(errors::LifecyclePolicyPreviewNotFoundException(
          "Lifecycle policy preview does not exist for the repository with name '" + ref.name +
          "' in the registry with id '" + ref.account + "'"));
    }
    preview = it->second;
  }
  auto page = page_of(input, kDefaultPage);
  if (!page.ok()) return common::fail(page.error());
  Json results = Json::array();
  size_t matched = 0;
  for (const auto& action : preview.actions) {
    if (!selected(action, input)) continue;
    if (matched >= page->offset && matched < page->offset + page->size) results.push_back(result_json(action));
    ++matched;
  }
  Json out{{"registryId", ref.account},
           {"repositoryName", ref.name},
           {"lifecyclePolicyText", preview.policy_text},
           {"status", "COMPLETE"},
           {"previewResults", std::move(results)},
           {"summary", {{"expiringImageTotalCount", preview.actions.size()}}}};
  set_next_token(out, *page, matched);
  return out;
}

}  // namespace ecr::api
