// What the LogsEngine's .cc files share: its state (database, clock, the event notifier) and
// the row readers several operations use. Groups are in groups.cc, streams in streams.cc,
// writes of events in put_events.cc, reads in read_events.cc, the sweep in retention.cc.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "services/logs/engine/logs_engine.h"
#include "services/logs/engine/sql.h"

namespace logs {

// Per-group counters of appended batches, so readers can wait for new events without
// polling the database.
class Notifier {
 public:
  void bump(const GroupRef& ref);
  uint64_t version(const GroupRef& ref) const;
  uint64_t wait(const GroupRef& ref, uint64_t seen, std::chrono::milliseconds timeout) const;
  void wake_all();  // after a reset: waiters re-read

 private:
  static std::string key(const GroupRef& ref) { return ref.account + "\n" + ref.region + "\n" + ref.name; }
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::map<std::string, uint64_t> versions_;
  uint64_t generation_ = 0;  // grows on wake_all
};

struct LogsEngine::State {
  State(store::Db& d, const common::Clock& c) : db(d), clock(c) {}
  store::Db& db;
  const common::Clock& clock;
  Notifier notifier;
};

// The columns read_group() expects, in order.
inline constexpr const char* kGroupColumns =
    "id, account, region, name, created, retention_days, log_class, kms_key, deletion_protection, stored_bytes";
LogGroup read_group(const store::Statement& s);

// The group `ref` names, read inside the caller's transaction; GroupNotFound when absent.
Result<LogGroup> find_group(store::Db& db, const GroupRef& ref);
// The stream of a group, inside the caller's transaction; StreamNotFound when absent.
Result<LogStream> find_stream(store::Db& db, int64_t group_id, const std::string& name);

Error group_not_found();
Error stream_not_found();

// Stores `events` [first, last) in the stream with ingestion time `now_ms`, and moves the
// stream's first/last event times, last ingestion time and put counter and the group's
// stored bytes. Inside the caller's write transaction; returns the new put counter.
Result<int64_t> insert_events(store::Db& db, int64_t group_id, int64_t stream_id, const std::vector<InputEvent>& events,
                              size_t first, size_t last, int64_t now_ms);

// Deletes a group's events older than `before_ms`, fixing its stored bytes. Inside the caller's
// write transaction; returns how many went.
Result<int64_t> expire_events(store::Db& db, int64_t group_id, int64_t before_ms);

}  // namespace logs
