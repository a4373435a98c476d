#include "services/codecommit/engine/merges.h"

#include "services/codecommit/engine/internal.h"

namespace codecommit {

std::optional<MergeOption> parse_merge_option(std::string_view name) {
  if (name == "FAST_FORWARD_MERGE") return MergeOption::FastForward;
  if (name == "SQUASH_MERGE") return MergeOption::Squash;
  if (name == "THREE_WAY_MERGE") return MergeOption::ThreeWay;
  return std::nullopt;
}

std::string_view merge_option_name(MergeOption option) {
  switch (option) {
    case MergeOption::FastForward: return "FAST_FORWARD_MERGE";
    case MergeOption::Squash: return "SQUASH_MERGE";
    case MergeOption::ThreeWay: return "THREE_WAY_MERGE";
  }
  return "";
}

MergeEngine::MergeEngine(CodeCommitEngine& repositories) : repositories_(repositories) {}

Result<MergeOutcome> MergeEngine::merge_branches(const Repository&, MergeOption, const MergeInput&, std::string_view,
                                                 std::string_view) {
  return common::fail(error(Errc::Internal, "merges are not implemented yet"));
}

Result<MergeOutcome> MergeEngine::create_unreferenced_merge_commit(const Repository&, MergeOption, const MergeInput&) {
  return common::fail(error(Errc::Internal, "merges are not implemented yet"));
}

Result<std::optional<std::string>> MergeEngine::merge_base(const Repository& repo, std::string_view a,
                                                           std::string_view b) const {
  auto r = git_in(repo, {"merge-base", std::string(a), std::string(b)}, /*allow_failure=*/true);
  if (!r.ok()) return common::fail(r.error());
  if (r->exit_code == 1) return std::optional<std::string>();  // no common ancestor
  if (r->exit_code != 0) return common::fail(error(Errc::Internal, "git merge-base: " + r->err));
  std::string base = r->out.substr(0, r->out.find('\n'));
  return std::optional<std::string>(std::move(base));
}

Result<bool> MergeEngine::is_ancestor(const Repository& repo, std::string_view ancestor,
                                      std::string_view descendant) const {
  auto r = git_in(repo, {"merge-base", "--is-ancestor", std::string(ancestor), std::string(descendant)},
                  /*allow_failure=*/true);
  if (!r.ok()) return common::fail(r.error());
  if (r->exit_code == 0) return true;
  if (r->exit_code == 1) return false;
  return common::fail(error(Errc::Internal, "git merge-base --is-ancestor: " + r->err));
}

}  // namespace codecommit
