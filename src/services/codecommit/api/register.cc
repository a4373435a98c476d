#include "services/codecommit/api/register.h"

#include <memory>

#include "gen/models.h"
#include "services/codecommit/api/api.h"

namespace codecommit {

namespace api {

void Registrar::add(const char* name, dispatch::AuthzFn authz, Handler handler) {
  std::shared_ptr<Api> shared = api;
  service.add(
      {name, std::string("codecommit:") + name, std::move(authz),
       [shared, handler](RequestContext& context, const Json& input) { return handler(*shared, context, input); }});
}

}  // namespace api

void register_api(dispatch::Registry& registry, Engines& engines, ApiOptions options) {
  using namespace api;  // NOLINT(google-build-using-namespace): the handler table below
  Registrar r{registry.service(gen::codecommit_model()), std::make_shared<Api>(engines, std::move(options))};
  // Repositories
  r.add("CreateRepository", new_repository(), create_repository);
  r.add("GetRepository", on_repository(), get_repository);
  r.add("BatchGetRepositories", each_repository(), batch_get_repositories);
  r.add("ListRepositories", nullptr, list_repositories);
  r.add("DeleteRepository", on_repository(), delete_repository);
  r.add("UpdateRepositoryName", on_repository("oldName"), update_repository_name);
  r.add("UpdateRepositoryDescription", on_repository(), update_repository_description);
  r.add("UpdateDefaultBranch", on_repository(), update_default_branch);
  // Branches and commits
  r.add("CreateBranch", on_branch(), create_branch);
  r.add("GetBranch", on_repository(), get_branch);
  r.add("ListBranches", on_repository(), list_branches);
  r.add("DeleteBranch", on_branch(), delete_branch);
  r.add("GetCommit", on_repository(), get_commit);
  // Files and commits; the writes carry codecommit:References like CreateBranch.
  r.add("GetBlob", on_repository(), get_blob);
  r.add("GetFile", on_repository(), get_file);
  r.add("GetFolder", on_repository(), get_folder);
  r.add("PutFile", on_branch(), put_file);
  r.add("DeleteFile", on_branch(), delete_file);
  r.add("CreateCommit", on_branch(), create_commit);
  r.add("BatchGetCommits", on_repository(), batch_get_commits);
  r.add("GetDifferences", on_repository(), get_differences);
  // The other families, each in its own file.
  register_merges(r);
  register_pull_requests(r);
  register_comments(r);
  register_templates(r);
  register_triggers_and_tags(r);
}

}  // namespace codecommit
