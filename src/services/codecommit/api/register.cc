#include "services/codecommit/api/register.h"

#include <memory>

#include "gen/models.h"
#include "services/codecommit/api/api.h"

namespace codecommit {
namespace {

using api::Api;
using dispatch::AuthzFn;
using dispatch::AuthzResource;
using dispatch::AuthzTarget;
using dispatch::RequestContext;
using Json = common::Json;

std::string arn_of(const RequestContext& context, const std::string& name) {
  return "arn:aws:codecommit:" + context.region + ":" + context.account_id() + ":" + name;
}

// The repository `member` names (CreateRepository: the one it will create).
AuthzFn on_repository(const char* member = "repositoryName") {
  return [member](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    target.resources.push_back(AuthzResource{arn_of(context, api::str(input, member)), "", std::nullopt});
    return target;
  };
}

// Creating with tags also needs codecommit:TagResource.
AuthzFn new_repository() {
  return [](const RequestContext& context, const Json& input) {
    AuthzResource resource{arn_of(context, api::str(input, "repositoryName")), "", std::nullopt};
    AuthzTarget target;
    target.resources.push_back(resource);
    if (auto tags = input.find("tags"); tags != input.end() && !tags->empty()) {
      target.also.emplace_back("codecommit:TagResource", resource);
    }
    return target;
  };
}

AuthzFn each_repository() {
  return [](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    if (auto names = input.find("repositoryNames"); names != input.end()) {
      for (const auto& name : *names) {
        if (name.is_string()) target.resources.push_back(AuthzResource{arn_of(context, name), "", std::nullopt});
      }
    }
    return target;
  };
}

// A branch change: the repository, with codecommit:References = the branch's full name, so
// branch-protection policies apply to the API as they do to git push.
AuthzFn on_branch() {
  return [](const RequestContext& context, const Json& input) {
    AuthzTarget target;
    target.resources.push_back(AuthzResource{arn_of(context, api::str(input, "repositoryName")), "", std::nullopt});
    target.keys["codecommit:references"] = {"refs/heads/" + api::str(input, "branchName")};
    return target;
  };
}

using Handler = dispatch::HandlerResult (*)(Api&, RequestContext&, const Json&);

dispatch::Handler bind_handler(const std::shared_ptr<Api>& api, Handler handler) {
  return [api, handler](RequestContext& context, const Json& input) { return handler(*api, context, input); };
}

}  // namespace

void register_api(dispatch::Registry& registry, CodeCommitEngine& engine, ApiOptions options) {
  // Lives as long as the handlers that share it (the registry's lifetime).
  auto shared = std::make_shared<Api>(engine, std::move(options));
  dispatch::Service& service = registry.service(gen::codecommit_model());
  auto add = [&](const char* name, AuthzFn authz, Handler handler) {
    service.add({name, std::string("codecommit:") + name, std::move(authz), bind_handler(shared, handler)});
  };
  // Repositories
  add("CreateRepository", new_repository(), api::create_repository);
  add("GetRepository", on_repository(), api::get_repository);
  add("BatchGetRepositories", each_repository(), api::batch_get_repositories);
  add("ListRepositories", nullptr, api::list_repositories);
  add("DeleteRepository", on_repository(), api::delete_repository);
  add("UpdateRepositoryName", on_repository("oldName"), api::update_repository_name);
  add("UpdateRepositoryDescription", on_repository(), api::update_repository_description);
  add("UpdateDefaultBranch", on_repository(), api::update_default_branch);
  // Branches and commits
  add("CreateBranch", on_branch(), api::create_branch);
  add("GetBranch", on_repository(), api::get_branch);
  add("ListBranches", on_repository(), api::list_branches);
  add("DeleteBranch", on_branch(), api::delete_branch);
  add("GetCommit", on_repository(), api::get_commit);
  // Files and commits; the writes carry codecommit:References like CreateBranch.
  add("GetBlob", on_repository(), api::get_blob);
  add("GetFile", on_repository(), api::get_file);
  add("GetFolder", on_repository(), api::get_folder);
  add("PutFile", on_branch(), api::put_file);
  add("DeleteFile", on_branch(), api::delete_file);
  add("CreateCommit", on_branch(), api::create_commit);
  add("BatchGetCommits", on_repository(), api::batch_get_commits);
  add("GetDifferences", on_repository(), api::get_differences);
}

}  // namespace codecommit
