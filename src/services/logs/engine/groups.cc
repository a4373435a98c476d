// Log groups: create, read, list, delete, retention and tags.
#include <algorithm>

#include "services/logs/engine/internal.h"

namespace logs {
namespace {

constexpr size_t kMaxTags = 50;

Status write_tags(store::Db& db, int64_t group_id, const Tags& tags) {
  for (const auto& [key, value] : tags) {
    auto r = Sql::execute(db, "INSERT OR REPLACE INTO logs_group_tags (group_id, key, value) VALUES (?, ?, ?)",
                          [&](store::Statement& s) { s.bind(1, group_id).bind(2, key).bind(3, value); });
    if (!r.ok()) return r;
  }
  return common::ok();
}

Result<Tags> read_tags(store::Db& db, int64_t group_id) {
  Tags tags;
  auto r = Sql::query(
      db, "SELECT key, value FROM logs_group_tags WHERE group_id = ?",
      [&](store::Statement& s) { s.bind(1, group_id); },
      [&](store::Statement& s) {
        tags.emplace(s.text(0), s.text(1));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return tags;
}

bool group_selected(const LogGroup& group, const GroupQuery& query) {
  if (!query.prefix.empty() && group.name.compare(0, query.prefix.size(), query.prefix) != 0) return false;
  if (!query.pattern.empty() && group.name.find(query.pattern) == std::string::npos) return false;
  if (!query.log_class.empty() && group.log_class != query.log_class) return false;
  if (!query.names.empty() && std::find(query.names.begin(), query.names.end(), group.name) == query.names.end()) {
    return false;
  }
  return true;
}

}  // namespace

Result<LogGroup> LogsEngine::create_group(const CreateGroupInput& input) {
  store::Db& db = state_->db;
  store::Transaction tx(db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  if (find_group(db, input.ref).ok()) {
    return common::fail(error(Errc::GroupAlreadyExists, "The specified log group already exists"));
  }
  if (input.tags.size() > kMaxTags) {
    return common::fail(error(Errc::TooManyTags, "A resource can have no more than 50 tags."));
  }
  int64_t now = now_ms();
  auto inserted =
      Sql::execute(db,
                   "INSERT INTO logs_groups (account, region, name, created, retention_days, log_class, kms_key, "
                   "deletion_protection, stored_bytes) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, 0)",
                   [&](store::Statement& s) {
                     s.bind(1, input.ref.account).bind(2, input.ref.region).bind(3, input.ref.name).bind(4, now);
                     s.bind(5, input.log_class).bind(6, input.kms_key).bind(7, input.deletion_protection);
                   });
  if (!inserted.ok()) return common::fail(inserted.error());
  auto group = find_group(db, input.ref);
  if (!group.ok()) return common::fail(group.error());
  if (auto r = write_tags(db, group->id, input.tags); !r.ok()) return common::fail(r.error());
  if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  return group;
}

Result<LogGroup> LogsEngine::get_group(const GroupRef& ref) const { return find_group(state_->db, ref); }

Status LogsEngine::delete_group(const GroupRef& ref) {
  store::Db& db = state_->db;
  store::Transaction tx(db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto group = find_group(db, ref);
  if (!group.ok()) return common::fail(group.error());
  if (group->deletion_protection) {
    return common::fail(error(Errc::DeletionProtected,
                              "Log group " + ref.name + " cannot be deleted because deletion protection is enabled."));
  }
  for (const char* sql : {"DELETE FROM logs_events WHERE group_id = ?", "DELETE FROM logs_streams WHERE group_id = ?",
                          "DELETE FROM logs_group_tags WHERE group_id = ?", "DELETE FROM logs_groups WHERE id = ?"}) {
    auto r = Sql::execute(db, sql, [&](store::Statement& s) { s.bind(1, group->id); });
    if (!r.ok()) return r;
  }
  if (auto r = Sql::commit(tx); !r.ok()) return r;
  state_->notifier.bump(ref);  // a follower learns that its group went
  return common::ok();
}

Result<GroupPage> LogsEngine::list_groups(const std::string& account, const std::string& region,
                                          const GroupQuery& query) const {
  GroupPage page;
  // Prefix listings start at the prefix in the (account, region, name) index; the other
  // filters are checked row by row.
  std::string from = std::max(query.after, query.prefix);
  bool inclusive = query.after.empty() || query.prefix > query.after;
  auto r = Sql::query(
      state_->db,
      std::string("SELECT ") + kGroupColumns + " FROM logs_groups WHERE account = ? AND region = ? AND " +
          (inclusive ? "name >= ?" : "name > ?") + " ORDER BY name",
      [&](store::Statement& s) { s.bind(1, account).bind(2, region).bind(3, from); },
      [&](store::Statement& s) {
        LogGroup group = read_group(s);
        if (!query.prefix.empty() && group.name.compare(0, query.prefix.size(), query.prefix) > 0) return false;
        if (!group_selected(group, query)) return true;
        if (page.groups.size() == query.limit) {
          page.more = true;
          return false;
        }
        page.groups.push_back(std::move(group));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return page;
}

Status LogsEngine::set_retention(const GroupRef& ref, std::optional<int> days) {
  store::Db& db = state_->db;
  store::Transaction tx(db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto group = find_group(db, ref);
  if (!group.ok()) return common::fail(group.error());
  auto r = Sql::execute(db, "UPDATE logs_groups SET retention_days = ? WHERE id = ?", [&](store::Statement& s) {
    bind_optional(s, 1, days ? std::optional<int64_t>(*days) : std::nullopt);
    s.bind(2, group->id);
  });
  if (!r.ok()) return r;
  if (days) {
    if (auto expired = expire_events(db, group->id, now_ms() - *days * kDayMillis); !expired.ok()) {
      return common::fail(expired.error());
    }
  }
  return Sql::commit(tx);
}

Result<Tags> LogsEngine::tags(const GroupRef& ref) const {
  store::Transaction tx(state_->db, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto group = find_group(state_->db, ref);
  if (!group.ok()) return common::fail(group.error());
  return read_tags(state_->db, group->id);
}

Status LogsEngine::tag(const GroupRef& ref, const Tags& tags) {
  store::Db& db = state_->db;
  store::Transaction tx(db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto group = find_group(db, ref);
  if (!group.ok()) return common::fail(group.error());
  auto existing = read_tags(db, group->id);
  if (!existing.ok()) return common::fail(existing.error());
  Tags merged = *existing;
  for (const auto& [key, value] : tags) merged[key] = value;
  if (merged.size() > kMaxTags) {
    return common::fail(error(Errc::TooManyTags, "A resource can have no more than 50 tags."));
  }
  if (auto r = write_tags(db, group->id, tags); !r.ok()) return r;
  return Sql::commit(tx);
}

Status LogsEngine::untag(const GroupRef& ref, const std::vector<std::string>& keys) {
  store::Db& db = state_->db;
  store::Transaction tx(db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto group = find_group(db, ref);
  if (!group.ok()) return common::fail(group.error());
  for (const auto& key : keys) {
    auto r = Sql::execute(db, "DELETE FROM logs_group_tags WHERE group_id = ? AND key = ?",
                          [&](store::Statement& s) { s.bind(1, group->id).bind(2, key); });
    if (!r.ok()) return r;
  }
  return Sql::commit(tx);
}

}  // namespace logs
