// Pushes that survive a crash: git http-backend moves refs on its own, so what a push is about to
// change is committed as a pending row before git runs, and the row is settled (the changes that
// really happened recorded, the row deleted) in one write transaction when git is done, or at the
// next start when hakobu died in between.
#include <map>

#include "common/log.h"
#include "services/codecommit/engine/internal.h"

namespace codecommit {
namespace {

// CodeCommit reports branches and tags only.
bool recorded_ref(std::string_view ref) {
  return ref.substr(0, 11) == "refs/heads/" || ref.substr(0, 10) == "refs/tags/";
}

struct PendingPush {
  int64_t id = 0;
  std::string repo_id;
  std::string caller_arn;
  std::vector<PushedRef> refs;
};

std::string encode_refs(const std::vector<PushedRef>& refs) {
  common::Json out = common::Json::array();
  for (const auto& r : refs) out.push_back({{"ref", r.ref}, {"before", r.before}, {"new", r.new_id}});
  return out.dump();
}

std::vector<PushedRef> decode_refs(const std::string& text) {
  std::vector<PushedRef> refs;
  common::Json parsed = common::Json::parse(text, nullptr, false);
  if (!parsed.is_array()) return refs;
  for (const auto& r : parsed) {
    if (!r.is_object()) continue;
    refs.push_back(PushedRef{r.value("ref", ""), r.value("before", ""), r.value("new", "")});
  }
  return refs;
}

Result<std::optional<PendingPush>> read_pending(store::Db& db, int64_t id) {
  std::optional<PendingPush> out;
  auto r = Sql::query(
      db, "SELECT repo_id, caller_arn, refs FROM codecommit_pending_pushes WHERE id = ?",
      [&](store::Statement& s) { s.bind(1, id); },
      [&](store::Statement& s) {
        out = PendingPush{id, s.text(0), s.text(1), decode_refs(s.text(2))};
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Status delete_pending(store::Db& db, int64_t id) {
  return Sql::execute(db, "DELETE FROM codecommit_pending_pushes WHERE id = ?",
                      [&](store::Statement& s) { s.bind(1, id); });
}

// The commands whose ref now holds the commanded id and held something else before. A ref moved
// elsewhere (a later change, or git refused the command) is not this push's doing.
std::vector<RefChange> changes_made(const std::vector<PushedRef>& refs,
                                    const std::vector<std::pair<std::string, std::string>>& now) {
  std::map<std::string, std::string> current(now.begin(), now.end());
  std::vector<RefChange> changes;
  for (const auto& pushed : refs) {
    auto it = current.find(pushed.ref);
    std::string value = it == current.end() ? std::string(git::kZeroId) : it->second;
    if (value == pushed.before || value != pushed.new_id || !recorded_ref(pushed.ref)) continue;
    changes.push_back(RefChange{pushed.ref, pushed.before, value});
  }
  return changes;
}

}  // namespace

Result<std::optional<int64_t>> CodeCommitEngine::begin_push(const Repository& repo, const std::vector<PushedRef>& refs,
                                                            std::string_view caller_arn) {
  std::vector<PushedRef> kept;
  for (const auto& r : refs) {
    if (recorded_ref(r.ref)) kept.push_back(r);
  }
  if (kept.empty()) return std::optional<int64_t>();
  std::optional<int64_t> id;
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto r = Sql::query(
      db_, "INSERT INTO codecommit_pending_pushes (repo_id, caller_arn, refs) VALUES (?, ?, ?) RETURNING id",
      [&](store::Statement& s) { s.bind(1, repo.id).bind(2, caller_arn).bind(3, encode_refs(kept)); },
      [&](store::Statement& s) {
        id = s.integer(0);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  if (!id) return common::fail(error(Errc::Internal, "pending push: no id"));
  if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  return id;
}

Result<std::vector<RefChange>> CodeCommitEngine::finish_push(int64_t push_id) {
  std::vector<RefChange> changes;
  {
    store::Transaction tx(db_, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto pending = read_pending(db_, push_id);
    if (!pending.ok()) return common::fail(pending.error());
    if (!*pending) return changes;  // settled already
    auto repo = read_repository_by_id(db_, data_dir_, (*pending)->repo_id);
    if (!repo.ok()) return common::fail(repo.error());
    if (*repo) {
      // Read inside the transaction: every other recorder of ref changes waits for it.
      auto now = refs(**repo);
      if (!now.ok()) return common::fail(now.error());
      changes = changes_made((*pending)->refs, *now);
      if (auto r = record_in_tx(db_, data_dir_, bus_, **repo, changes, (*pending)->caller_arn); !r.ok()) {
        return common::fail(r.error());
      }
    }
    if (auto r = delete_pending(db_, push_id); !r.ok()) return common::fail(r.error());
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  if (!changes.empty()) bus_.notify();
  return changes;
}

Status CodeCommitEngine::abandon_push(int64_t push_id) {
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  if (auto r = delete_pending(db_, push_id); !r.ok()) return r;
  return Sql::commit(tx);
}

Result<size_t> CodeCommitEngine::reconcile_pushes() {
  std::vector<int64_t> ids;
  auto listed = Sql::query(
      db_, "SELECT id FROM codecommit_pending_pushes ORDER BY id", [](store::Statement&) {},
      [&](store::Statement& s) {
        ids.push_back(s.integer(0));
        return true;
      });
  if (!listed.ok()) return common::fail(listed.error());
  size_t settled = 0;
  for (int64_t id : ids) {
    auto r = finish_push(id);
    if (!r.ok()) {
      common::log::warn("codecommit: pending push {} left for the next start: {}", id, r.error().message);
      continue;
    }
    ++settled;
    if (!r->empty())
      common::log::info("codecommit: recorded {} ref change(s) of a push a restart interrupted", r->size());
  }
  return settled;
}

}  // namespace codecommit
