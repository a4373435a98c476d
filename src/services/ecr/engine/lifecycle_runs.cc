// Lifecycle policy runs: the model (model/lifecycle.h) decides what expires; this reads the
// candidates, deletes what expired (DELETE events) and records when the policy ran.
#include "common/log.h"
#include "services/ecr/engine/internal.h"
#include "services/ecr/engine/sql.h"

namespace ecr {
namespace {

Error no_lifecycle_policy(const Repository& repo) {
  return error(Errc::LifecyclePolicyNotFound, "Lifecycle policy does not exist for the repository with name '" +
                                                  repo.name + "' in the registry with id '" + repo.account + "'");
}

// The repository's images as the policy sees them, inside the caller's transaction.
Result<std::vector<LifecycleCandidate>> read_candidates(store::Db& db, int64_t repo_id) {
  std::vector<LifecycleCandidate> out;
  std::unordered_map<std::string, size_t> index;
  auto r = Sql::query(
      db, "SELECT digest, pushed FROM ecr_images WHERE repo_id = ? ORDER BY pushed DESC, digest",
      [&](store::Statement& s) { s.bind(1, repo_id); },
      [&](store::Statement& s) {
        index[s.text(0)] = out.size();
        out.push_back(LifecycleCandidate{s.text(0), {}, time_column(s, 1)});
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  r = Sql::query(
      db, "SELECT digest, tag FROM ecr_tags WHERE repo_id = ? ORDER BY tag",
      [&](store::Statement& s) { s.bind(1, repo_id); },
      [&](store::Statement& s) {
        auto it = index.find(s.text(0));
        if (it != index.end()) out[it->second].tags.push_back(s.text(1));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Result<std::vector<LifecycleAction>> decide(store::Db& db, const Repository& repo, common::TimePoint now) {
  if (!repo.lifecycle_policy) return common::fail(no_lifecycle_policy(repo));
  auto policy = parse_lifecycle_policy(*repo.lifecycle_policy);
  if (!policy.ok()) return common::fail(policy.error());
  auto candidates = read_candidates(db, repo.id);
  if (!candidates.ok()) return common::fail(candidates.error());
  return evaluate_lifecycle(*policy, *candidates, now);
}

// Deletes the expired images; an image an index lists waits for the index (a second pass),
// and stays when the index does. Returns the actions carried out.
Result<std::vector<LifecycleAction>> expire(EngineState& state, const Repository& repo,
                                            std::vector<LifecycleAction> actions) {
  std::vector<LifecycleAction> done, waiting;
  for (int pass = 0; pass < 2; ++pass) {
    for (LifecycleAction& action : actions) {
      auto deleted = delete_image_in_tx(state, repo, ImageId{action.digest, ""});
      if (deleted.ok()) {
        done.push_back(std::move(action));
      } else if (deleted.error().code == Errc::ImageReferenced) {
        waiting.push_back(std::move(action));
      } else {
        return common::fail(deleted.error());
      }
    }
    actions = std::move(waiting);
    waiting.clear();
  }
  for (const LifecycleAction& kept : actions) {
    common::log::info("ecr: lifecycle of {} keeps {}: an index lists it", repo.name, kept.digest);
  }
  return done;
}

}  // namespace

Result<std::vector<LifecycleAction>> EcrEngine::evaluate_lifecycle(int64_t repo_id) const {
  store::Transaction tx(db_, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto repo = read_repository(db_, repo_id);
  if (!repo.ok()) return common::fail(repo.error());
  if (!*repo) return common::fail(error(Errc::RepositoryNotFound, "The repository does not exist"));
  return decide(db_, **repo, clock_.now());
}

Result<std::vector<LifecycleAction>> EcrEngine::apply_lifecycle(int64_t repo_id) {
  auto& state = *internals_;
  common::TimePoint now = clock_.now();
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto repo = read_repository(db_, repo_id);
  if (!repo.ok()) return common::fail(repo.error());
  if (!*repo) return common::fail(error(Errc::RepositoryNotFound, "The repository does not exist"));
  auto actions = decide(db_, **repo, now);
  if (!actions.ok()) return common::fail(actions.error());
  auto done = expire(state, **repo, std::move(*actions));
  if (!done.ok()) return common::fail(done.error());
  auto r = Sql::execute(db_, "UPDATE ecr_repositories SET lifecycle_evaluated = ? WHERE id = ?",
                        [&](store::Statement& s) { s.bind(1, to_column(now)).bind(2, repo_id); });
  if (!r.ok()) return common::fail(r.error());
  if (r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  state.repos.invalidate();
  bus_.notify();
  return done;
}

void EcrEngine::apply_all_lifecycles() {
  std::vector<int64_t> ids;
  auto r = Sql::query(
      db_, "SELECT id FROM ecr_repositories WHERE lifecycle_policy IS NOT NULL ORDER BY id", [](store::Statement&) {},
      [&](store::Statement& s) {
        ids.push_back(s.integer(0));
        return true;
      });
  if (!r.ok()) {
    common::log::warn("ecr: cannot list lifecycle policies: {}", r.error().message);
    return;
  }
  for (int64_t id : ids) {
    auto applied = apply_lifecycle(id);
    if (!applied.ok() && applied.error().code != Errc::RepositoryNotFound &&
        applied.error().code != Errc::LifecyclePolicyNotFound) {
      common::log::warn("ecr: lifecycle policy of repository {} failed: {}", id, applied.error().message);
    }
  }
}

}  // namespace ecr
