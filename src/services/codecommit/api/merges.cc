// Merges: MergeBranchesByFastForward / BySquash / ByThreeWay, CreateUnreferencedMergeCommit,
// GetMergeConflicts, GetMergeOptions, DescribeMergeConflicts, BatchDescribeMergeConflicts and
// GetMergeCommit over MergeEngine. The merges that move a branch carry codecommit:References =
// the target branch, so a branch-protection policy denying codecommit:Merge* on main stops them.
#include "common/crypto.h"
#include "gen/codecommit/errors.h"
#include "services/codecommit/api/api.h"

namespace codecommit::api {
namespace {

constexpr int64_t kDefaultConflictFiles = 100;
constexpr int64_t kDefaultMergeHunks = 100;

const Json& array_member(const Json& input, const char* member) {
  static const Json kEmpty = Json::array();
  auto it = input.find(member);
  return it != input.end() && it->is_array() ? *it : kEmpty;
}

// refs/heads/<targetBranch, else the destination specifier's branch>.
dispatch::AuthzFn on_merge_target() {
  return [](const RequestContext& context, const Json& input) {
    std::string branch = str(input, "targetBranch");
    if (branch.empty()) branch = str(input, "destinationCommitSpecifier");
    if (branch.rfind("refs/heads/", 0) == 0) branch = branch.substr(11);
    return repository_target(context, str(input, "repositoryName"),
                             {branch.empty() ? std::string() : "refs/heads/" + branch});
  };
}

common::Result<ConflictResolution, aws::AwsError> resolution_of(const Json& input) {
  ConflictResolution resolution;
  auto it = input.find("conflictResolution");
  if (it == input.end() || !it->is_object()) return resolution;
  for (const auto& item : array_member(*it, "replaceContents")) {
    ReplaceContent entry;
    entry.path = str(item, "filePath");
    entry.replacement_type = str(item, "replacementType");
    entry.file_mode = str(item, "fileMode");
    if (item.find("content") != item.end()) {
      std::string content;
      if (!common::base64_decode(str(item, "content"), content)) {
        return common::fail(errors::InvalidReplacementContentException("The replacement content is not valid base64."));
      }
      entry.content = std::move(content);
    }
    resolution.replace_contents.push_back(std::move(entry));
  }
  for (const auto& item : array_member(*it, "deleteFiles")) resolution.delete_files.push_back(str(item, "filePath"));
  for (const auto& item : array_member(*it, "setFileModes")) {
    resolution.set_file_modes.emplace_back(str(item, "filePath"), str(item, "fileMode"));
  }
  return resolution;
}

common::Result<MergeInput, aws::AwsError> merge_input(const RequestContext& context, const Json& input) {
  MergeInput m;
  m.source = str(input, "sourceCommitSpecifier");
  m.destination = str(input, "destinationCommitSpecifier");
  m.conflict_detail_level = str(input, "conflictDetailLevel");
  m.conflict_resolution_strategy = str(input, "conflictResolutionStrategy");
  m.author_name = str(input, "authorName");
  if (m.author_name.empty()) m.author_name = default_merge_author(context.principal.arn);
  m.email = str(input, "email");
  m.message = str(input, "commitMessage");
  m.keep_empty_folders = input.value("keepEmptyFolders", false);
  auto resolution = resolution_of(input);
  if (!resolution.ok()) return common::fail(resolution.error());
  m.resolution = std::move(*resolution);
  return m;
}

common::Result<MergeOption, aws::AwsError> option_of(const Json& input) {
  std::string name = str(input, "mergeOption");
  if (name.empty()) return common::fail(errors::MergeOptionRequiredException("A merge option or stategy is required."));
  auto option = parse_merge_option(name);
  if (!option) {
    return common::fail(errors::InvalidMergeOptionException("The specified merge option is not valid: " + name));
  }
  return *option;
}

// A positive `member` (default when absent), else `invalid`.
common::Result<size_t, aws::AwsError> limit_of(const Json& input, const char* member, int64_t fallback,
                                               aws::AwsError (*invalid)(std::string)) {
  auto it = input.find(member);
  if (it == input.end() || it->is_null()) return static_cast<size_t>(fallback);
  if (!it->is_number_integer() || it->get<int64_t>() < 1) {
    return common::fail(invalid(std::string("The specified value of ") + member + " is not valid."));
  }
  return static_cast<size_t>(it->get<int64_t>());
}

void add_commit_ids(Json& out, const MergeCommits& commits) {
  out["sourceCommitId"] = commits.source_commit_id;
  out["destinationCommitId"] = commits.destination_commit_id;
  if (!commits.base_commit_id.empty()) out["baseCommitId"] = commits.base_commit_id;
}

// {source, destination, base} of the sides for which `value` gives something.
template <class F>
Json per_side(const MergeConflict& c, F value) {
  Json out = Json::object();
  for (auto [name, side] : {std::pair<const char*, const MergeSide*>{"source", &c.source},
                            {"destination", &c.destination},
                            {"base", &c.base}}) {
    if (auto v = value(*side); !v.is_null()) out[name] = std::move(v);
  }
  return out;
}

Json conflict_json(const MergeConflict& c) {
  Json operations = Json::object();
  if (!c.source_operation.empty()) operations["source"] = c.source_operation;
  if (!c.destination_operation.empty()) operations["destination"] = c.destination_operation;
  return Json{
      {"filePath", c.path},
      {"fileSizes", per_side(c, [](const MergeSide& s) { return s.size >= 0 ? Json(s.size) : Json(); })},
      {"fileModes", per_side(c, [](const MergeSide& s) { return s.mode.empty() ? Json() : Json(s.mode); })},
      {"objectTypes", per_side(c, [](const MergeSide& s) { return s.exists ? Json(s.object_type) : Json(); })},
      {"numberOfConflicts", c.number_of_conflicts},
      {"isBinaryFile", per_side(c, [](const MergeSide& s) { return s.size >= 0 ? Json(s.binary) : Json(); })},
      {"contentConflict", c.content_conflict},
      {"fileModeConflict", c.file_mode_conflict},
      {"objectTypeConflict", c.object_type_conflict},
      {"mergeOperations", operations},
  };
}

Json hunk_side_json(const MergeHunkSide& side) {
  return Json{
      {"startLine", side.start_line}, {"endLine", side.end_line}, {"hunkContent", common::base64_encode(side.content)}};
}

Json hunks_json(const std::vector<MergeHunk>& hunks, size_t begin, size_t end) {
  Json out = Json::array();
  for (size_t i = begin; i < end && i < hunks.size(); ++i) {
    Json hunk{{"isConflict", hunks[i].is_conflict},
              {"source", hunk_side_json(hunks[i].source)},
              {"destination", hunk_side_json(hunks[i].destination)}};
    if (hunks[i].base) hunk["base"] = hunk_side_json(*hunks[i].base);
    out.push_back(std::move(hunk));
  }
  return out;
}

HandlerResult merge_branches(Api& api, RequestContext& context, const Json& input, MergeOption option) {
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto merge = merge_input(context, input);
  if (!merge.ok()) return common::fail(merge.error());
  auto outcome =
      api.engines.merges.merge_branches(*repository, option, *merge, str(input, "targetBranch"), context.principal.arn);
  if (!outcome.ok()) return common::fail(to_aws_error(outcome.error(), repository->name));
  return Json{{"commitId", outcome->commit_id}, {"treeId", outcome->tree_id}};
}

HandlerResult merge_by_fast_forward(Api& api, RequestContext& context, const Json& input) {
  return merge_branches(api, context, input, MergeOption::FastForward);
}

HandlerResult merge_by_squash(Api& api, RequestContext& context, const Json& input) {
  return merge_branches(api, context, input, MergeOption::Squash);
}

HandlerResult merge_by_three_way(Api& api, RequestContext& context, const Json& input) {
  return merge_branches(api, context, input, MergeOption::ThreeWay);
}

HandlerResult create_unreferenced_merge_commit(Api& api, RequestContext& context, const Json& input) {
  auto option = option_of(input);
  if (!option.ok()) return common::fail(option.error());
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto merge = merge_input(context, input);
  if (!merge.ok()) return common::fail(merge.error());
  auto outcome = api.engines.merges.create_unreferenced_merge_commit(*repository, *option, *merge);
  if (!outcome.ok()) return common::fail(to_aws_error(outcome.error(), repository->name));
  return Json{{"commitId", outcome->commit_id}, {"treeId", outcome->tree_id}};
}

HandlerResult get_merge_conflicts(Api& api, RequestContext& context, const Json& input) {
  auto option = option_of(input);
  if (!option.ok()) return common::fail(option.error());
  auto max_files = limit_of(input, "maxConflictFiles", kDefaultConflictFiles, errors::InvalidMaxConflictFilesException);
  if (!max_files.ok()) return common::fail(max_files.error());
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto merge = merge_input(context, input);
  if (!merge.ok()) return common::fail(merge.error());
  auto conflicts = api.engines.merges.get_merge_conflicts(*repository, *option, *merge);
  if (!conflicts.ok()) return common::fail(to_aws_error(conflicts.error(), repository->name));
  Json list = Json::array();
  size_t end = std::min(conflicts->conflicts.size(), *offset + *max_files);
  for (size_t i = *offset; i < end; ++i) list.push_back(conflict_json(conflicts->conflicts[i]));
  Json out{{"mergeable", conflicts->mergeable}, {"conflictMetadataList", std::move(list)}};
  add_commit_ids(out, conflicts->commits);
  if (end < conflicts->conflicts.size()) out["nextToken"] = page_token(end);
  return out;
}

HandlerResult get_merge_options(Api& api, RequestContext& context, const Json& input) {
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto merge = merge_input(context, input);
  if (!merge.ok()) return common::fail(merge.error());
  auto options = api.engines.merges.get_merge_options(*repository, *merge);
  if (!options.ok()) return common::fail(to_aws_error(options.error(), repository->name));
  Json names = Json::array();
  for (MergeOption option : options->options) names.push_back(std::string(merge_option_name(option)));
  Json out{{"mergeOptions", std::move(names)}};
  add_commit_ids(out, options->commits);
  return out;
}

HandlerResult describe_merge_conflicts(Api& api, RequestContext& context, const Json& input) {
  auto option = option_of(input);
  if (!option.ok()) return common::fail(option.error());
  if (str(input, "filePath").empty()) {
    return common::fail(errors::PathRequiredException("The file path is required but was not specified."));
  }
  auto max_hunks = limit_of(input, "maxMergeHunks", kDefaultMergeHunks, errors::InvalidMaxMergeHunksException);
  if (!max_hunks.ok()) return common::fail(max_hunks.error());
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto merge = merge_input(context, input);
  if (!merge.ok()) return common::fail(merge.error());
  auto described = api.engines.merges.describe_merge_conflicts(*repository, *option, *merge, {str(input, "filePath")});
  if (!described.ok()) return common::fail(to_aws_error(described.error(), repository->name));
  if (!described->errors.empty()) return common::fail(to_aws_error(described->errors.front().second, repository->name));
  const ConflictDescription& file = described->described.front();
  size_t end = std::min(file.hunks.size(), *offset + *max_hunks);
  Json out{{"conflictMetadata", conflict_json(file.conflict)}, {"mergeHunks", hunks_json(file.hunks, *offset, end)}};
  add_commit_ids(out, described->commits);
  if (end < file.hunks.size()) out["nextToken"] = page_token(end);
  return out;
}

HandlerResult batch_describe_merge_conflicts(Api& api, RequestContext& context, const Json& input) {
  auto option = option_of(input);
  if (!option.ok()) return common::fail(option.error());
  auto max_files = limit_of(input, "maxConflictFiles", kDefaultConflictFiles, errors::InvalidMaxConflictFilesException);
  if (!max_files.ok()) return common::fail(max_files.error());
  auto max_hunks = limit_of(input, "maxMergeHunks", kDefaultMergeHunks, errors::InvalidMaxMergeHunksException);
  if (!max_hunks.ok()) return common::fail(max_hunks.error());
  auto offset = page_offset(input);
  if (!offset.ok()) return common::fail(offset.error());
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto merge = merge_input(context, input);
  if (!merge.ok()) return common::fail(merge.error());
  std::vector<std::string> paths;
  for (const auto& path : array_member(input, "filePaths")) {
    if (path.is_string()) paths.push_back(path.get<std::string>());
  }
  auto described = api.engines.merges.describe_merge_conflicts(*repository, *option, *merge, paths);
  if (!described.ok()) return common::fail(to_aws_error(described.error(), repository->name));
  Json conflicts = Json::array();
  size_t end = std::min(described->described.size(), *offset + *max_files);
  for (size_t i = *offset; i < end; ++i) {
    const ConflictDescription& file = described->described[i];
    conflicts.push_back(Json{{"conflictMetadata", conflict_json(file.conflict)},
                             {"mergeHunks", hunks_json(file.hunks, 0, *max_hunks)}});
  }
  Json errors_out = Json::array();
  for (const auto& [path, failure] : described->errors) {
    errors_out.push_back(Json{{"filePath", path},
                              {"exceptionName", to_aws_error(failure, repository->name).code},
                              {"message", failure.message}});
  }
  Json out{{"conflicts", std::move(conflicts)}, {"errors", std::move(errors_out)}};
  add_commit_ids(out, described->commits);
  if (end < described->described.size()) out["nextToken"] = page_token(end);
  return out;
}

HandlerResult get_merge_commit(Api& api, RequestContext& context, const Json& input) {
  auto repository = find_repository(api, repo_ref(context, input));
  if (!repository.ok()) return common::fail(repository.error());
  auto merge = merge_input(context, input);
  if (!merge.ok()) return common::fail(merge.error());
  auto merged = api.engines.merges.get_merge_commit(*repository, *merge);
  if (!merged.ok()) return common::fail(to_aws_error(merged.error(), repository->name));
  Json out = Json::object();
  add_commit_ids(out, merged->commits);
  if (merged->merged_commit_id) out["mergedCommitId"] = *merged->merged_commit_id;
  return out;
}

}  // namespace

void register_merges(Registrar& r) {
  r.add("MergeBranchesByFastForward", on_merge_target(), merge_by_fast_forward);
  r.add("MergeBranchesBySquash", on_merge_target(), merge_by_squash);
  r.add("MergeBranchesByThreeWay", on_merge_target(), merge_by_three_way);
  r.add("CreateUnreferencedMergeCommit", on_repository(), create_unreferenced_merge_commit);
  r.add("GetMergeConflicts", on_repository(), get_merge_conflicts);
  r.add("GetMergeOptions", on_repository(), get_merge_options);
  r.add("DescribeMergeConflicts", on_repository(), describe_merge_conflicts);
  r.add("BatchDescribeMergeConflicts", on_repository(), batch_describe_merge_conflicts);
  r.add("GetMergeCommit", on_repository(), get_merge_commit);
}

}  // namespace codecommit::api
