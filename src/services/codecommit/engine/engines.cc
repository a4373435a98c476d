#include "services/codecommit/engine/engines.h"

namespace codecommit {

Engines::Engines(store::Db& db, const common::Clock& clock, std::string data_dir, events::Bus& bus)
    : repositories(db, clock, std::move(data_dir), bus),
      merges(repositories),
      templates(repositories),
      pull_requests(repositories, merges, [this](const Repository& repo) { return templates.associated_rules(repo); }),
      comments(repositories, [this](std::string_view account, std::string_view region, std::string_view id) {
        return pull_requests.comment_target(account, region, id);
      }) {}

common::Status<> Engines::migrate() {
  if (auto r = repositories.migrate(); !r.ok()) return r;
  if (auto r = templates.migrate(); !r.ok()) return r;
  if (auto r = pull_requests.migrate(); !r.ok()) return r;
  if (auto r = comments.migrate(); !r.ok()) return r;
  // Pushes a crash interrupted, once every table a bus subscriber reads exists, before serving.
  if (auto r = repositories.reconcile_pushes(); !r.ok()) {
    return common::fail(common::make_error(common::ErrorKind::Internal, r.error().message));
  }
  return common::ok();
}

void Engines::on_reset() { repositories.on_reset(); }

}  // namespace codecommit
