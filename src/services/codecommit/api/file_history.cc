// ListFileCommitHistory: the versions of one file (engine/file_history.cc), paged.
#include <algorithm>

#include "gen/codecommit/errors.h"
#include "services/codecommit/api/triggers_and_tags.h"

namespace codecommit::api {
namespace {

// AWS documents neither (a choice): 100 versions a page unless maxResults says otherwise.
constexpr int64_t kDefaultResults = 100;
constexpr int64_t kMaxResults = 1000;

Json person_json(const Person& p) { return Json{{"name", p.name}, {"email", p.email}, {"date", p.date}}; }

Json commit_json(const Commit& commit) {
  return Json{{"commitId", commit.commit_id},
              {"treeId", commit.tree_id},
              {"parents", commit.parents},
              {"message", commit.message},
              {"author", person_json(commit.author)},
              {"committer", person_json(commit.committer)},
              {"additionalData", commit.additional_data}};
}

HandlerResult list_file_commit_history(Api& api, RequestContext& context, const Json& input) {
  if (str(input, "filePath").empty()) {
    return common::fail(errors::PathRequiredException("The filePath for a location cannot be null."));
  }
  int64_t max_results = kDefaultResults;
  if (auto it = input.find("maxResults"); it != input.end() && it->is_number_integer()) {
    max_results = it->get<int64_t>();
    if (max_results < 1) {
      return common::fail(errors::InvalidMaxResultsException("The specified number of maximum results is not valid."));
    }
    max_results = std::min(max_results, kMaxResults);
  }
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto page = api.engine.file_history(*repository, str(input, "commitSpecifier"), str(input, "filePath"), *offset,
                                      static_cast<size_t>(max_results));
  if (!page.ok()) return common::fail(to_aws_error(page.error(), repository->name));
  Json dag = Json::array();
  for (const auto& version : page->versions) {
    dag.push_back(Json{{"commit", commit_json(version.commit)},
                       {"blobId", version.blob_id},
                       {"path", version.path},
                       {"revisionChildren", version.revision_children}});
  }
  Json out{{"revisionDag", dag}};
  if (page->more) out["nextToken"] = page_token(*offset + page->versions.size());
  return out;
}

}  // namespace

void register_file_history(Registrar& r) { r.add("ListFileCommitHistory", on_repository(), list_file_commit_history); }

}  // namespace codecommit::api
