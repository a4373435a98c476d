// Log streams: create, delete, list.
#include <algorithm>

#include "services/logs/engine/internal.h"

namespace logs {

Result<LogStream> LogsEngine::create_stream(const StreamRef& ref) {
  store::Db& db = state_->db;
  store::Transaction tx(db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto group = find_group(db, ref.group);
  if (!group.ok()) return common::fail(group.error());
  if (find_stream(db, group->id, ref.name).ok()) {
    return common::fail(error(Errc::StreamAlreadyExists, "The specified log stream already exists"));
  }
  auto r = Sql::execute(db, "INSERT INTO logs_streams (group_id, name, created, sequence) VALUES (?, ?, ?, 0)",
                        [&](store::Statement& s) { s.bind(1, group->id).bind(2, ref.name).bind(3, now_ms()); });
  if (!r.ok()) return common::fail(r.error());
  auto stream = find_stream(db, group->id, ref.name);
  if (!stream.ok()) return common::fail(stream.error());
  if (auto c = Sql::commit(tx); !c.ok()) return common::fail(c.error());
  return stream;
}

Status LogsEngine::delete_stream(const StreamRef& ref) {
  store::Db& db = state_->db;
  store::Transaction tx(db, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto group = find_group(db, ref.group);
  if (!group.ok()) return common::fail(group.error());
  auto stream = find_stream(db, group->id, ref.name);
  if (!stream.ok()) return common::fail(stream.error());
  if (group->deletion_protection) {
    return common::fail(error(Errc::DeletionProtected, "Log stream " + ref.name +
                                                           " cannot be deleted because log group " + ref.group.name +
                                                           " has deletion protection enabled."));
  }
  int64_t bytes = 0;
  auto summed = Sql::query(
      db, "SELECT COALESCE(SUM(bytes), 0) FROM logs_events WHERE stream_id = ?",
      [&](store::Statement& s) { s.bind(1, stream->id); },
      [&](store::Statement& s) {
        bytes = s.integer(0);
        return false;
      });
  if (!summed.ok()) return summed;
  for (const char* sql : {"DELETE FROM logs_events WHERE stream_id = ?", "DELETE FROM logs_streams WHERE id = ?"}) {
    auto r = Sql::execute(db, sql, [&](store::Statement& s) { s.bind(1, stream->id); });
    if (!r.ok()) return r;
  }
  auto r = Sql::execute(db, "UPDATE logs_groups SET stored_bytes = MAX(stored_bytes - ?, 0) WHERE id = ?",
                        [&](store::Statement& s) { s.bind(1, bytes).bind(2, group->id); });
  if (!r.ok()) return r;
  return Sql::commit(tx);
}

Result<std::vector<LogStream>> LogsEngine::list_streams(const GroupRef& ref, const StreamQuery& query) const {
  store::Db& db = state_->db;
  store::Transaction tx(db, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto group = find_group(db, ref);
  if (!group.ok()) return common::fail(group.error());
  std::vector<LogStream> streams;
  auto r = Sql::query(
      db,
      "SELECT id, name, created, first_event, last_event, last_ingestion, sequence FROM logs_streams "
      "WHERE group_id = ? AND substr(name, 1, length(?)) = ? ORDER BY name",
      [&](store::Statement& s) { s.bind(1, group->id).bind(2, query.prefix).bind(3, query.prefix); },
      [&](store::Statement& s) {
        LogStream stream;
        stream.id = s.integer(0);
        stream.name = s.text(1);
        stream.created_ms = s.integer(2);
        stream.first_event_ms = optional_integer(s, 3);
        stream.last_event_ms = optional_integer(s, 4);
        stream.last_ingestion_ms = optional_integer(s, 5);
        stream.sequence = s.integer(6);
        streams.push_back(std::move(stream));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  if (query.by_last_event) {
    // Streams without events sort as the oldest; names break ties so pages are stable.
    std::stable_sort(streams.begin(), streams.end(), [](const LogStream& a, const LogStream& b) {
      return a.last_event_ms.value_or(0) < b.last_event_ms.value_or(0);
    });
  }
  if (query.descending) std::reverse(streams.begin(), streams.end());
  return streams;
}

}  // namespace logs
