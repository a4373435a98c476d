#include "services/ecr/api/handlers.h"

namespace ecr::api {

// Without `force`, a repository that still holds images is RepositoryNotEmptyException.
HandlerResult delete_repository(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto deleted = api.engine.delete_repository(ref, input.value("force", false));
  if (!deleted.ok()) return common::fail(to_aws_error(deleted.error(), ref));
  {
    std::lock_guard lock(api.previews_mutex);
    api.previews.erase(preview_key(*deleted));
  }
  return Json{{"repository", repository_json(api, context, *deleted)}};
}

}  // namespace ecr::api
