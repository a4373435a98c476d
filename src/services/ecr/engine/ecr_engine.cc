// EcrEngine: construction, start-up and reset. Repositories are in repositories.cc, blobs and
// uploads in blobs.cc, images in images.cc, lifecycle runs in lifecycle_runs.cc.
#include "services/ecr/engine/ecr_engine.h"

#include <unordered_set>

#include "common/log.h"
#include "services/ecr/engine/internal.h"
#include "services/ecr/engine/migrations.h"
#include "services/ecr/engine/sql.h"

namespace ecr {

EcrEngine::EcrEngine(store::Db& db, const common::Clock& clock, std::string data_dir, events::Bus& bus)
    : db_(db),
      clock_(clock),
      data_dir_(std::move(data_dir)),
      bus_(bus),
      internals_(std::make_unique<Internals>(db, clock, data_dir_, bus)) {
  internals_->files.prepare();
}

EcrEngine::~EcrEngine() = default;

common::Status<> EcrEngine::migrate() {
  if (auto r = db_.migrate("ecr", migrations()); !r.ok()) return r;
  // Upload files without a session row: monolithic uploads a crash interrupted, or sessions
  // whose rows went with their repository. Rows without a file lost their bytes: gone too.
  std::unordered_set<std::string> sessions;
  auto listed = Sql::query(
      db_, "SELECT uuid FROM ecr_uploads", [](store::Statement&) {},
      [&](store::Statement& s) {
        sessions.insert(s.text(0));
        return true;
      });
  if (!listed.ok()) return common::fail(common::make_error(common::ErrorKind::Internal, listed.error().message));
  int removed = 0;
  for (const std::string& name : internals_->files.list_uploads()) {
    if (sessions.erase(name) > 0) continue;
    internals_->files.remove_upload(name);
    ++removed;
  }
  if (removed > 0) common::log::info("ecr: removed {} upload file(s) left by interrupted uploads", removed);
  for (const std::string& uuid : sessions) {
    auto r = Sql::execute(db_, "DELETE FROM ecr_uploads WHERE uuid = ?", [&](store::Statement& s) { s.bind(1, uuid); });
    if (!r.ok()) return common::fail(common::make_error(common::ErrorKind::Internal, r.error().message));
  }
  return common::ok();
}

void EcrEngine::on_reset() {
  auto& state = *internals_;
  // No publish is between its file and its rows, and no write is half-way.
  std::unique_lock files_lock(state.blob_files_lock);
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  state.files.remove_all();
  state.repos.invalidate();
  state.uploads.clear();
  std::lock_guard pulls_lock(state.pulls_mutex);
  state.pulls.clear();
}

}  // namespace ecr
