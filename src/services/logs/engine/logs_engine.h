// CloudWatch Logs' storage: log groups (retention, class, tags), log streams, and their events
// in one SQLite table. No HTTP, wire shapes or AWS error strings: failures are logs::Error
// (model/errors.h), which api/errors.cc turns into Logs exceptions.
//
// Time: every "now" (ingestion times, the 14-day/2-hour/retention rules of PutLogEvents, the
// retention sweep) comes from the injected clock, which --clock-control moves.
//
// Producers inside hakobu (CodeBuild's build output, ECS's awslogs driver) call append():
// it creates the group and stream when needed and stores a batch of lines in one write
// transaction, without PutLogEvents' batch rules; readers see the lines as soon as it
// returns, and wait_for_events() wakes on it (README.md, "Producers").
//
// Thread-safe: every method may be called concurrently; each mutating call is one write
// transaction.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "services/logs/model/batch.h"
#include "services/logs/model/errors.h"
#include "services/logs/model/filter_pattern.h"
#include "services/logs/model/tokens.h"
#include "store/db.h"

namespace logs {

template <class T>
using Result = common::Result<T, Error>;
using Status = common::Status<Error>;

using Tags = std::map<std::string, std::string>;

struct GroupRef {
  std::string account;
  std::string region;
  std::string name;
};

struct StreamRef {
  GroupRef group;
  std::string name;
};

struct LogGroup {
  int64_t id = 0;
  std::string account;
  std::string region;
  std::string name;
  int64_t created_ms = 0;
  std::optional<int> retention_days;
  std::string log_class = "STANDARD";
  std::string kms_key;
  bool deletion_protection = false;
  int64_t stored_bytes = 0;  // UTF-8 bytes of the messages it holds
};

struct LogStream {
  int64_t id = 0;
  std::string name;
  int64_t created_ms = 0;
  std::optional<int64_t> first_event_ms;
  std::optional<int64_t> last_event_ms;
  std::optional<int64_t> last_ingestion_ms;
  int64_t sequence = 0;  // PutLogEvents calls (and appends) so far
};

struct LogEvent {
  Position position;  // (timestamp, row id)
  int64_t ingestion_ms = 0;
  std::string message;
  std::string stream;  // FilterLogEvents only
};

struct CreateGroupInput {
  GroupRef ref;
  std::string log_class = "STANDARD";
  std::string kms_key;
  bool deletion_protection = false;
  Tags tags;
};

struct GroupQuery {
  std::string prefix;              // logGroupNamePrefix
  std::string pattern;             // logGroupNamePattern: case-sensitive substring
  std::vector<std::string> names;  // logGroupIdentifiers (names)
  std::string log_class;           // "" = any
  std::string after;               // names strictly after this one (pagination)
  size_t limit = 50;
};

struct GroupPage {
  std::vector<LogGroup> groups;  // by name (byte order)
  bool more = false;
};

struct StreamQuery {
  std::string prefix;
  bool by_last_event = false;  // orderBy LastEventTime (else LogStreamName)
  bool descending = false;
};

struct PutOutcome {
  BatchVerdict verdict;
  int64_t sequence = 0;  // the stream's put counter after this call
};

struct GetQuery {
  std::optional<int64_t> start_ms;  // inclusive
  std::optional<int64_t> end_ms;    // exclusive (GetLogEvents: "equal to or later ... not included")
  std::optional<StreamToken> token;
  bool from_head = false;
  size_t limit = 10000;
};

struct EventPage {
  std::vector<LogEvent> events;  // ascending
  Position forward;              // nextForwardToken: events after it
  Position backward;             // nextBackwardToken: events before it
};

struct FilterQuery {
  std::optional<int64_t> start_ms;  // inclusive
  std::optional<int64_t> end_ms;    // inclusive (FilterLogEvents: "later than this time are not returned")
  std::vector<std::string> stream_names;
  std::string stream_prefix;
  const FilterPattern* pattern = nullptr;  // null = every event
  std::optional<Position> after;           // from a nextToken
  size_t limit = 10000;
};

struct FilterPage {
  std::vector<LogEvent> events;  // by (timestamp, id) across streams
  std::optional<Position> next;  // set when the search stopped before the end
};

constexpr size_t kMaxPageBytes = 1048576;  // GetLogEvents / FilterLogEvents: 1 MB of events a page

class LogsEngine {
 public:
  LogsEngine(store::Db& db, const common::Clock& clock);
  ~LogsEngine();
  common::Status<> migrate();
  void on_reset();  // after the database was wiped: wake waiters

  int64_t now_ms() const;

  // --- log groups -------------------------------------------------------------------------
  Result<LogGroup> create_group(const CreateGroupInput& input);
  Result<LogGroup> get_group(const GroupRef& ref) const;
  // DeletionProtected when protected. Removes its streams, events and tags.
  Status delete_group(const GroupRef& ref);
  Result<GroupPage> list_groups(const std::string& account, const std::string& region, const GroupQuery& query) const;
  // days: one of valid_retention_days (checked by the caller), or nullopt to keep forever.
  // Applying a shorter retention deletes what it expires at once.
  Status set_retention(const GroupRef& ref, std::optional<int> days);

  Result<Tags> tags(const GroupRef& ref) const;
  // TooManyTags past 50 tags on the group.
  Status tag(const GroupRef& ref, const Tags& tags);
  Status untag(const GroupRef& ref, const std::vector<std::string>& keys);

  // --- log streams ------------------------------------------------------------------------
  Result<LogStream> create_stream(const StreamRef& ref);
  Status delete_stream(const StreamRef& ref);
  Result<std::vector<LogStream>> list_streams(const GroupRef& ref, const StreamQuery& query) const;

  // --- events -----------------------------------------------------------------------------
  // PutLogEvents: the batch rules of model/batch.h against the group's retention, then the
  // accepted events stored with ingestion time "now".
  Result<PutOutcome> put_events(const StreamRef& ref, const std::vector<InputEvent>& events);
  Result<EventPage> get_events(const StreamRef& ref, const GetQuery& query) const;
  Result<FilterPage> filter_events(const GroupRef& ref, const FilterQuery& query) const;

  // --- producers (in-process) -------------------------------------------------------------
  // Creates the group and the stream when missing and stores `lines` (any order, any
  // timestamps, empty messages allowed) in one write transaction. Cheap enough per batch of
  // output lines (every 100 ms or so). Waiters on the group wake when it returns.
  Status append(const StreamRef& ref, const std::vector<InputEvent>& lines);
  // A counter that grows with every append or PutLogEvents to the group (0 before any).
  uint64_t events_version(const GroupRef& ref) const;
  // Blocks until the group's counter passes `seen` or `timeout` passes; returns the counter.
  uint64_t wait_for_events(const GroupRef& ref, uint64_t seen, std::chrono::milliseconds timeout) const;

  // --- retention --------------------------------------------------------------------------
  // Deletes every event older than its group's retention; returns how many went. Run by the
  // server's sweep every minute and after POST /_hakobu/clock.
  Result<int64_t> apply_retention();

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace logs
