// Branches: Create, Get, List, Delete; and GetCommit.
#include "gen/codecommit/errors.h"
#include "services/codecommit/api/api.h"

namespace codecommit::api {
namespace {

constexpr size_t kBranchPage = 1000;

}  // namespace

HandlerResult create_branch(Api& api, RequestContext& context, const Json& input) {
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto created =
      api.engine.create_branch(*repository, str(input, "branchName"), str(input, "commitId"), context.principal.arn);
  if (!created.ok()) return common::fail(to_aws_error(created.error(), repository->name));
  return Json::object();
}

// Both members are optional in the model; AWS answers their absence with its own exceptions.
HandlerResult get_branch(Api& api, RequestContext& context, const Json& input) {
  if (str(input, "repositoryName").empty()) {
    return common::fail(
        errors::RepositoryNameRequiredException("A repository name is required but was not specified."));
  }
  if (str(input, "branchName").empty()) {
    return common::fail(errors::BranchNameRequiredException("A branch name is required but was not specified."));
  }
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto branch = api.engine.get_branch(*repository, str(input, "branchName"));
  if (!branch.ok()) return common::fail(to_aws_error(branch.error(), repository->name));
  return Json{{"branch", {{"branchName", branch->name}, {"commitId", branch->commit_id}}}};
}

HandlerResult list_branches(Api& api, RequestContext& context, const Json& input) {
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto branches = api.engine.list_branches(*repository);
  if (!branches.ok()) return common::fail(to_aws_error(branches.error(), repository->name));
  Json names = Json::array();
  for (size_t i = *offset; i < branches->size() && i < *offset + kBranchPage; ++i) names.push_back((*branches)[i].name);
  Json out{{"branches", names}};
  if (*offset + kBranchPage < branches->size()) out["nextToken"] = page_token(*offset + kBranchPage);
  return out;
}

HandlerResult delete_branch(Api& api, RequestContext& context, const Json& input) {
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto deleted = api.engine.delete_branch(*repository, str(input, "branchName"), context.principal.arn);
  if (!deleted.ok()) return common::fail(to_aws_error(deleted.error(), repository->name));
  return Json{{"deletedBranch", {{"branchName", deleted->name}, {"commitId", deleted->commit_id}}}};
}

HandlerResult get_commit(Api& api, RequestContext& context, const Json& input) {
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto commit = api.engine.get_commit(*repository, str(input, "commitId"));
  if (!commit.ok()) return common::fail(to_aws_error(commit.error(), repository->name));
  auto person = [](const Person& p) { return Json{{"name", p.name}, {"email", p.email}, {"date", p.date}}; };
  return Json{{"commit",
               {{"commitId", commit->commit_id},
                {"treeId", commit->tree_id},
                {"parents", commit->parents},
                {"message", commit->message},
                {"author", person(commit->author)},
                {"committer", person(commit->committer)},
                {"additionalData", commit->additional_data}}}};
}

}  // namespace codecommit::api
