// Repositories: Create, Get, BatchGet, List, Delete, UpdateRepositoryName,
// UpdateRepositoryDescription, UpdateDefaultBranch.
#include <algorithm>

#include "gen/codecommit/errors.h"
#include "services/codecommit/api/api.h"

namespace codecommit::api {
namespace {

constexpr size_t kListPage = 1000;  // AWS: "Batch sizes are 1,000 for list repository operations"
constexpr size_t kMaxBatchNames = 25;

}  // namespace

HandlerResult create_repository(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  std::vector<std::pair<std::string, std::string>> tags;
  if (auto map = input.find("tags"); map != input.end() && map->is_object()) {
    for (const auto& [key, value] : map->items()) {
      if (key.rfind("aws:", 0) == 0) {
        return common::fail(errors::InvalidSystemTagUsageException(
            "The tag key contains a prefix that is reserved for system use: " + key));
      }
      tags.emplace_back(key, value.is_string() ? value.get<std::string>() : std::string());
    }
  }
  std::string kms_key_id = str(input, "kmsKeyId");
  if (!kms_key_id.empty()) {
    if (auto r = CodeCommitEngine::check_encryption_key(kms_key_id, ref.region); !r.ok()) {
      return common::fail(to_aws_error(r.error(), ref.name));
    }
  }
  auto repository = api.engine.create_repository(ref, str(input, "repositoryDescription"), std::move(tags));
  if (!repository.ok()) return common::fail(to_aws_error(repository.error(), ref.name));
  if (!kms_key_id.empty()) {
    if (auto r = api.engine.set_encryption_key(ref, kms_key_id); !r.ok())
      return common::fail(to_aws_error(r.error(), ref.name));
    repository->kms_key_id = kms_key_id;
  }
  return Json{{"repositoryMetadata", repository_metadata(api, context, *repository)}};
}

HandlerResult get_repository(Api& api, RequestContext& context, const Json& input) {
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  return Json{{"repositoryMetadata", repository_metadata(api, context, *repository)}};
}

// Missing repositories are listed, not failed; `errors` is for repositories in a bad state,
// which we never have.
HandlerResult batch_get_repositories(Api& api, RequestContext& context, const Json& input) {
  const Json& names = input.at("repositoryNames");
  if (names.size() > kMaxBatchNames) {
    return common::fail(errors::MaximumRepositoryNamesExceededException(
        "The maximum number of allowed repository names was exceeded. Currently, this number is 25."));
  }
  Json found = Json::array(), missing = Json::array();
  for (const auto& name : names) {
    std::string text = name.get<std::string>();
    auto repository = api.engine.get_repository(RepoRef{context.account_id(), context.region, text});
    if (repository.ok()) {
      found.push_back(repository_metadata(api, context, *repository));
    } else if (repository.error().code == Errc::RepositoryDoesNotExist) {
      missing.push_back(text);
    } else {
      return common::fail(to_aws_error(repository.error(), text));
    }
  }
  return Json{{"repositories", found}, {"repositoriesNotFound", missing}, {"errors", Json::array()}};
}

HandlerResult list_repositories(Api& api, RequestContext& context, const Json& input) {
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  auto listed = api.engine.list_repositories(context.account_id(), context.region);
  if (!listed.ok()) return common::fail(to_aws_error(listed.error(), ""));
  std::vector<Repository>& all = *listed;
  bool by_date = str(input, "sortBy") == "lastModifiedDate";
  bool descending = str(input, "order") == "descending";
  std::stable_sort(all.begin(), all.end(), [&](const Repository& a, const Repository& b) {
    if (by_date && a.modified != b.modified) return descending ? b.modified < a.modified : a.modified < b.modified;
    if (by_date) return a.name < b.name;
    return descending ? b.name < a.name : a.name < b.name;
  });
  Json entries = Json::array();
  for (size_t i = *offset; i < all.size() && i < *offset + kListPage; ++i) {
    entries.push_back({{"repositoryName", all[i].name}, {"repositoryId", all[i].id}});
  }
  Json out{{"repositories", entries}};
  if (*offset + kListPage < all.size()) out["nextToken"] = page_token(*offset + kListPage);
  return out;
}

// Deleting a repository that does not exist succeeds with no repositoryId, as AWS does.
HandlerResult delete_repository(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto deleted = api.engine.delete_repository(ref);
  if (!deleted.ok()) {
    if (deleted.error().code == Errc::RepositoryDoesNotExist) return Json::object();
    return common::fail(to_aws_error(deleted.error(), ref.name));
  }
  return Json{{"repositoryId", deleted->id}};
}

HandlerResult update_repository_name(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input, "oldName");
  std::string new_name = str(input, "newName");
  auto renamed = api.engine.rename_repository(ref, new_name);
  if (!renamed.ok()) {
    // A clash or a bad name is about the new name; a missing repository about the old one.
    bool about_new = renamed.error().code != Errc::RepositoryDoesNotExist;
    return common::fail(to_aws_error(renamed.error(), about_new ? new_name : ref.name));
  }
  return Json::object();
}

HandlerResult update_repository_description(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto updated = api.engine.set_description(ref, str(input, "repositoryDescription"));
  if (!updated.ok()) return common::fail(to_aws_error(updated.error(), ref.name));
  return Json::object();
}

HandlerResult update_default_branch(Api& api, RequestContext& context, const Json& input) {
  RepoRef ref = repo_ref(context, input);
  auto updated = api.engine.set_default_branch(ref, str(input, "defaultBranchName"));
  if (!updated.ok()) return common::fail(to_aws_error(updated.error(), ref.name));
  return Json::object();
}

}  // namespace codecommit::api
