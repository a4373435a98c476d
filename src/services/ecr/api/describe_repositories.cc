#include "services/ecr/api/handlers.h"

namespace ecr::api {
namespace {

// AWS answers at most 100 repositories a page unless maxResults says otherwise.
constexpr size_t kDefaultPage = 100;

}  // namespace

// Named repositories: all must exist (the first missing one is RepositoryNotFoundException),
// no pagination. Otherwise the registry's repositories in the region, by name, paginated.
HandlerResult describe_repositories(Api& api, RequestContext& context, const Json& input) {
  std::string registry = registry_of(context, input);
  Json repositories = Json::array();
  if (auto names = input.find("repositoryNames"); names != input.end() && !names->empty()) {
    for (const auto& name : *names) {
      auto repository = find_repository(api, RepoRef{registry, context.region, name.get<std::string>()});
      if (!repository.ok()) return common::fail(repository.error());
      repositories.push_back(repository_json(api, context, *repository));
    }
    return Json{{"repositories", std::move(repositories)}};
  }
  auto page = page_of(input, kDefaultPage);
  if (!page.ok()) return common::fail(page.error());
  auto all = api.engine.list_repositories(registry, context.region);
  if (!all.ok()) return common::fail(to_aws_error(all.error(), RepoRef{registry, context.region, ""}));
  Json out{{"repositories",
            page_entries(*page, all->size(), [&](size_t i) { return repository_json(api, context, (*all)[i]); })}};
  set_next_token(out, *page, all->size());
  return out;
}

}  // namespace ecr::api
