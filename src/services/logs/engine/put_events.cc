// Writing events: PutLogEvents (with its batch rules) and the in-process append() producers
// use (creating the group and stream on the way).
#include <algorithm>

#include "services/logs/engine/internal.h"

namespace logs {

Result<int64_t> insert_events(store::Db& db, int64_t group_id, int64_t stream_id, const std::vector<InputEvent>& events,
                              size_t first, size_t last, int64_t now_ms) {
  int64_t bytes = 0;
  std::optional<int64_t> earliest;
  std::optional<int64_t> latest;
  for (size_t i = first; i < last; ++i) {
    const InputEvent& event = events[i];
    auto r = Sql::execute(
        db,
        "INSERT INTO logs_events (group_id, stream_id, timestamp, ingestion, bytes, message) VALUES (?, ?, ?, ?, ?, ?)",
        [&](store::Statement& s) {
          s.bind(1, group_id).bind(2, stream_id).bind(3, event.timestamp).bind(4, now_ms);
          s.bind(5, static_cast<int64_t>(event.message.size())).bind(6, event.message);
        });
    if (!r.ok()) return common::fail(r.error());
    bytes += static_cast<int64_t>(event.message.size());
    earliest = std::min(earliest.value_or(event.timestamp), event.timestamp);
    latest = std::max(latest.value_or(event.timestamp), event.timestamp);
  }
  // The put counter moves even when every event was rejected: AWS hands out a new
  // nextSequenceToken for every accepted call.
  auto r =
      Sql::execute(db,
                   "UPDATE logs_streams SET sequence = sequence + 1, "
                   "first_event = CASE WHEN ?1 IS NULL THEN first_event ELSE MIN(COALESCE(first_event, ?1), ?1) END, "
                   "last_event = CASE WHEN ?2 IS NULL THEN last_event ELSE MAX(COALESCE(last_event, ?2), ?2) END, "
                   "last_ingestion = CASE WHEN ?1 IS NULL THEN last_ingestion ELSE ?3 END WHERE id = ?4",
                   [&](store::Statement& s) {
                     bind_optional(s, 1, earliest);
                     bind_optional(s, 2, latest);
                     s.bind(3, now_ms).bind(4, stream_id);
                   });
  if (!r.ok()) return common::fail(r.error());
  if (bytes > 0) {
    r = Sql::execute(db, "UPDATE logs_groups SET stored_bytes = stored_bytes + ? WHERE id = ?",
                     [&](store::Statement& s) { s.bind(1, bytes).bind(2, group_id); });
    if (!r.ok()) return common::fail(r.error());
  }
  int64_t sequence = 0;
  auto read = Sql::query(
      db, "SELECT sequence FROM logs_streams WHERE id = ?", [&](store::Statement& s) { s.bind(1, stream_id); },
      [&](store::Statement& s) {
        sequence = s.integer(0);
        return false;
      });
  if (!read.ok()) return common::fail(read.error());
  return sequence;
}

Result<PutOutcome> LogsEngine::put_events(const StreamRef& ref, const std::vector<InputEvent>& events) {
  store::Db& db = state_->db;
  int64_t now = now_ms();
  PutOutcome outcome;
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    auto group = find_group(db, ref.group);
    if (!group.ok()) return common::fail(group.error());
    auto stream = find_stream(db, group->id, ref.name);
    if (!stream.ok()) return common::fail(stream.error());
    auto verdict = check_batch(events, now, group->retention_days);
    if (!verdict.ok()) return common::fail(verdict.error());
    outcome.verdict = *verdict;
    auto sequence = insert_events(db, group->id, stream->id, events, verdict->first, verdict->last, now);
    if (!sequence.ok()) return common::fail(sequence.error());
    outcome.sequence = *sequence;
    if (auto r = Sql::commit(tx); !r.ok()) return common::fail(r.error());
  }
  if (outcome.verdict.last > outcome.verdict.first) state_->notifier.bump(ref.group);
  return outcome;
}

Status LogsEngine::append(const StreamRef& ref, const std::vector<InputEvent>& lines) {
  store::Db& db = state_->db;
  int64_t now = now_ms();
  {
    store::Transaction tx(db, store::Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(internal_error(tx.error()));
    // INSERT OR IGNORE: the group and the stream are created by whichever call comes first.
    auto r = Sql::execute(
        db,
        "INSERT OR IGNORE INTO logs_groups (account, region, name, created, retention_days, log_class, kms_key, "
        "deletion_protection, stored_bytes) VALUES (?, ?, ?, ?, NULL, 'STANDARD', '', 0, 0)",
        [&](store::Statement& s) {
          s.bind(1, ref.group.account).bind(2, ref.group.region).bind(3, ref.group.name).bind(4, now);
        });
    if (!r.ok()) return r;
    auto group = find_group(db, ref.group);
    if (!group.ok()) return common::fail(group.error());
    r = Sql::execute(db, "INSERT OR IGNORE INTO logs_streams (group_id, name, created, sequence) VALUES (?, ?, ?, 0)",
                     [&](store::Statement& s) { s.bind(1, group->id).bind(2, ref.name).bind(3, now); });
    if (!r.ok()) return r;
    auto stream = find_stream(db, group->id, ref.name);
    if (!stream.ok()) return common::fail(stream.error());
    if (!lines.empty()) {
      auto inserted = insert_events(db, group->id, stream->id, lines, 0, lines.size(), now);
      if (!inserted.ok()) return common::fail(inserted.error());
    }
    if (auto c = Sql::commit(tx); !c.ok()) return c;
  }
  if (!lines.empty()) state_->notifier.bump(ref.group);
  return common::ok();
}

}  // namespace logs
