// LogsEngine: construction, start-up, reset, the notifier and the row readers the other
// files share.
#include "services/logs/engine/logs_engine.h"

#include "services/logs/engine/internal.h"
#include "services/logs/engine/migrations.h"

namespace logs {

void Notifier::bump(const GroupRef& ref) {
  {
    std::lock_guard lock(mutex_);
    ++versions_[key(ref)];
  }
  changed_.notify_all();
}

uint64_t Notifier::version(const GroupRef& ref) const {
  std::lock_guard lock(mutex_);
  auto it = versions_.find(key(ref));
  return it == versions_.end() ? 0 : it->second;
}

uint64_t Notifier::wait(const GroupRef& ref, uint64_t seen, std::chrono::milliseconds timeout) const {
  std::string k = key(ref);
  std::unique_lock lock(mutex_);
  uint64_t generation = generation_;
  auto current = [&] {
    auto it = versions_.find(k);
    return it == versions_.end() ? uint64_t{0} : it->second;
  };
  changed_.wait_for(lock, timeout, [&] { return current() != seen || generation_ != generation; });
  return current();
}

void Notifier::wake_all() {
  {
    std::lock_guard lock(mutex_);
    versions_.clear();
    ++generation_;
  }
  changed_.notify_all();
}

LogGroup read_group(const store::Statement& s) {
  LogGroup group;
  group.id = s.integer(0);
  group.account = s.text(1);
  group.region = s.text(2);
  group.name = s.text(3);
  group.created_ms = s.integer(4);
  if (!s.is_null(5)) group.retention_days = static_cast<int>(s.integer(5));
  group.log_class = s.text(6);
  group.kms_key = s.text(7);
  group.deletion_protection = s.integer(8) != 0;
  group.stored_bytes = s.integer(9);
  return group;
}

Error group_not_found() { return error(Errc::GroupNotFound, "The specified log group does not exist."); }
Error stream_not_found() { return error(Errc::StreamNotFound, "The specified log stream does not exist."); }

Result<LogGroup> find_group(store::Db& db, const GroupRef& ref) {
  std::optional<LogGroup> found;
  auto r = Sql::query(
      db, std::string("SELECT ") + kGroupColumns + " FROM logs_groups WHERE account = ? AND region = ? AND name = ?",
      [&](store::Statement& s) { s.bind(1, ref.account).bind(2, ref.region).bind(3, ref.name); },
      [&](store::Statement& s) {
        found = read_group(s);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  if (!found) return common::fail(group_not_found());
  return std::move(*found);
}

Result<LogStream> find_stream(store::Db& db, int64_t group_id, const std::string& name) {
  std::optional<LogStream> found;
  auto r = Sql::query(
      db,
      "SELECT id, name, created, first_event, last_event, last_ingestion, sequence FROM logs_streams "
      "WHERE group_id = ? AND name = ?",
      [&](store::Statement& s) { s.bind(1, group_id).bind(2, name); },
      [&](store::Statement& s) {
        LogStream stream;
        stream.id = s.integer(0);
        stream.name = s.text(1);
        stream.created_ms = s.integer(2);
        stream.first_event_ms = optional_integer(s, 3);
        stream.last_event_ms = optional_integer(s, 4);
        stream.last_ingestion_ms = optional_integer(s, 5);
        stream.sequence = s.integer(6);
        found = std::move(stream);
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  if (!found) return common::fail(stream_not_found());
  return std::move(*found);
}

LogsEngine::LogsEngine(store::Db& db, const common::Clock& clock) : state_(std::make_unique<State>(db, clock)) {}

LogsEngine::~LogsEngine() = default;

common::Status<> LogsEngine::migrate() { return state_->db.migrate("logs", migrations()); }

void LogsEngine::on_reset() { state_->notifier.wake_all(); }

int64_t LogsEngine::now_ms() const { return common::to_epoch_millis(state_->clock.now()); }

uint64_t LogsEngine::events_version(const GroupRef& ref) const { return state_->notifier.version(ref); }

uint64_t LogsEngine::wait_for_events(const GroupRef& ref, uint64_t seen, std::chrono::milliseconds timeout) const {
  return state_->notifier.wait(ref, seen, timeout);
}

}  // namespace logs
