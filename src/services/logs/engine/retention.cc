// Retention: events older than their group's retention are deleted, for real, by
// apply_retention() (the server's sweep) and at once by set_retention().
#include <vector>

#include "services/logs/engine/internal.h"

namespace logs {

Result<int64_t> expire_events(store::Db& db, int64_t group_id, int64_t before_ms) {
  int64_t count = 0;
  int64_t bytes = 0;
  auto summed = Sql::query(
      db, "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM logs_events WHERE group_id = ? AND timestamp < ?",
      [&](store::Statement& s) { s.bind(1, group_id).bind(2, before_ms); },
      [&](store::Statement& s) {
        count = s.integer(0);
        bytes = s.integer(1);
        return false;
      });
  if (!summed.ok()) return common::fail(summed.error());
  if (count == 0) return count;
  auto r = Sql::execute(db, "DELETE FROM logs_events WHERE group_id = ? AND timestamp < ?",
                        [&](store::Statement& s) { s.bind(1, group_id).bind(2, before_ms); });
  if (!r.ok()) return common::fail(r.error());
  r = Sql::execute(db, "UPDATE logs_groups SET stored_bytes = MAX(stored_bytes - ?, 0) WHERE id = ?",
                   [&](store::Statement& s) { s.bind(1, bytes).bind(2, group_id); });
  if (!r.ok()) return common::fail(r.error());
  return count;
}

Result<int64_t> LogsEngine::apply_retention() {
  store::Db& db = state_->db;
  struct Due {
    int64_t group_id;
    int retention_days;
  };
  std::vector<Due> due;
  {
    store::Transaction tx(db, store::Transaction::Mode::Read);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto r = Sql::query(
        db, "SELECT id, retention_days FROM logs_groups WHERE retention_days IS NOT NULL", [](store::Statement&) {},
        [&](store::Statement& s) {
          due.push_back(Due{s.integer(0), static_cast<int>(s.integer(1))});
          return true;
        });
    if (!r.ok()) return common::fail(r.error());
  }
  int64_t total = 0;
  // One transaction per group, so producers' appends are never held up for long.
  for (const Due& group : due) {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    // Re-read the retention: it may have changed (or the group gone) since the listing.
    std::optional<int> days;
    auto r = Sql::query(
        db, "SELECT retention_days FROM logs_groups WHERE id = ?",
        [&](store::Statement& s) { s.bind(1, group.group_id); },
        [&](store::Statement& s) {
          if (!s.is_null(0)) days = static_cast<int>(s.integer(0));
          return false;
        });
    if (!r.ok()) return common::fail(r.error());
    if (!days) continue;
    auto expired = expire_events(db, group.group_id, now_ms() - *days * kDayMillis);
    if (!expired.ok()) return common::fail(expired.error());
    if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
    total += *expired;
  }
  return total;
}

}  // namespace logs
