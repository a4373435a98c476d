// GetDifferences: the blobs changed between two commits (git diff-tree -r --raw), paged.
#include "gen/codecommit/errors.h"
#include "services/codecommit/api/api.h"

namespace codecommit::api {
namespace {

constexpr int64_t kDefaultDifferences = 100;

Json blob_json(const BlobSide& side) {
  return Json{{"blobId", side.blob_id}, {"path", side.path}, {"mode", side.mode}};
}

}  // namespace

HandlerResult get_differences(Api& api, RequestContext& context, const Json& input) {
  if (str(input, "afterCommitSpecifier").empty()) {
    return common::fail(errors::CommitRequiredException("A commit ID is required but was not specified."));
  }
  int64_t max_results = kDefaultDifferences;
  if (auto it = input.find("MaxResults"); it != input.end() && it->is_number_integer()) {
    max_results = it->get<int64_t>();
    if (max_results < 1) {
      return common::fail(errors::InvalidMaxResultsException("The specified number of maximum results is not valid."));
    }
  }
  // Paging tokens are the ones ListBranches hands out; this operation spells the member NextToken.
  auto offset = page_offset(Json{{"nextToken", str(input, "NextToken")}});
  if (!offset.ok()) return common::fail(offset.error());
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto differences =
      api.engine.get_differences(*repository, str(input, "beforeCommitSpecifier"), str(input, "afterCommitSpecifier"),
                                 str(input, "beforePath"), str(input, "afterPath"));
  if (!differences.ok()) return common::fail(to_aws_error(differences.error(), repository->name));
  Json out_list = Json::array();
  size_t end = std::min(differences->size(), *offset + static_cast<size_t>(max_results));
  for (size_t i = *offset; i < end; ++i) {
    const Difference& d = (*differences)[i];
    Json item{{"changeType", d.change_type}};
    if (d.before) item["beforeBlob"] = blob_json(*d.before);
    if (d.after) item["afterBlob"] = blob_json(*d.after);
    out_list.push_back(std::move(item));
  }
  Json out{{"differences", out_list}};
  if (end < differences->size()) out["NextToken"] = page_token(end);
  return out;
}

}  // namespace codecommit::api
