// Reading events: GetLogEvents (one stream, by tokens in either direction) and
// FilterLogEvents (a group's streams merged by time, through a filter pattern).
#include <algorithm>
#include <limits>
#include <unordered_map>

#include "services/logs/engine/internal.h"

namespace logs {
namespace {

constexpr int64_t kNoLowerBound = std::numeric_limits<int64_t>::min();
constexpr int64_t kNoUpperBound = std::numeric_limits<int64_t>::max();
// FilterLogEvents stops after scanning this many rows and hands out a nextToken, as AWS
// returns partial pages for long searches: a request never holds the database for long.
constexpr size_t kMaxScannedRows = 100000;

size_t page_cost(const LogEvent& event) { return event.message.size() + kEventOverheadBytes; }

LogEvent read_event(const store::Statement& s) {
  LogEvent event;
  event.position = Position{s.integer(0), s.integer(1)};
  event.ingestion_ms = s.integer(2);
  event.message = s.text(3);
  return event;
}

// Reads stream events in [lo, hi) after (ascending) or before (descending) `bound`, stopping
// at the count or 1 MB limit.
Status read_stream_page(store::Db& db, int64_t stream_id, int64_t lo, int64_t hi, bool ascending, Position bound,
                        size_t limit, std::vector<LogEvent>& out) {
  std::string sql =
      "SELECT timestamp, id, ingestion, message FROM logs_events WHERE stream_id = ? AND timestamp >= ? AND "
      "timestamp < ? AND ";
  sql += ascending ? "(timestamp, id) > (?, ?) ORDER BY timestamp, id"
                   : "(timestamp, id) < (?, ?) ORDER BY timestamp DESC, id DESC";
  size_t bytes = 0;
  auto r = Sql::query(
      db, sql,
      [&](store::Statement& s) {
        s.bind(1, stream_id).bind(2, lo).bind(3, hi).bind(4, bound.timestamp).bind(5, bound.id);
      },
      [&](store::Statement& s) {
        LogEvent event = read_event(s);
        if (!out.empty() && bytes + page_cost(event) > kMaxPageBytes) return false;
        bytes += page_cost(event);
        out.push_back(std::move(event));
        return out.size() < limit;
      });
  if (!ascending) std::reverse(out.begin(), out.end());
  return r;
}

}  // namespace

Result<EventPage> LogsEngine::get_events(const StreamRef& ref, const GetQuery& query) const {
  store::Db& db = state_->db;
  store::Transaction tx(db, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto group = find_group(db, ref.group);
  if (!group.ok()) return common::fail(group.error());
  auto stream = find_stream(db, group->id, ref.name);
  if (!stream.ok()) return common::fail(stream.error());
  int64_t lo = query.start_ms.value_or(kNoLowerBound);
  int64_t hi = query.end_ms.value_or(kNoUpperBound);
  // Without a token: from the start of the range (head) or back from its end (tail).
  Position start{query.start_ms.value_or(0), 0};
  bool ascending = query.token ? query.token->direction == Direction::Forward : query.from_head;
  Position bound = query.token ? query.token->at : ascending ? Position{kNoLowerBound, 0} : Position{kNoUpperBound, 0};
  EventPage page;
  if (auto r = read_stream_page(db, stream->id, lo, hi, ascending, bound, query.limit, page.events); !r.ok()) {
    return common::fail(r.error());
  }
  if (!page.events.empty()) {
    page.forward = page.events.back().position;
    page.backward = page.events.front().position;
  } else {
    // Nothing there: the token comes back unchanged (a follower keeps polling it).
    page.forward = page.backward = query.token ? query.token->at : start;
  }
  return page;
}

Result<FilterPage> LogsEngine::filter_events(const GroupRef& ref, const FilterQuery& query) const {
  store::Db& db = state_->db;
  store::Transaction tx(db, store::Transaction::Mode::Read);
  if (!tx.ok()) return common::fail(internal_error(tx.error()));
  auto group = find_group(db, ref);
  if (!group.ok()) return common::fail(group.error());
  FilterPage page;
  std::unordered_map<int64_t, std::string> streams;  // the streams searched, by id
  auto listed = Sql::query(
      db, "SELECT id, name FROM logs_streams WHERE group_id = ?", [&](store::Statement& s) { s.bind(1, group->id); },
      [&](store::Statement& s) {
        std::string name = s.text(1);
        bool named = query.stream_names.empty() ||
                     std::find(query.stream_names.begin(), query.stream_names.end(), name) != query.stream_names.end();
        if (named && name.compare(0, query.stream_prefix.size(), query.stream_prefix) == 0) {
          streams.emplace(s.integer(0), std::move(name));
        }
        return true;
      });
  if (!listed.ok()) return common::fail(listed.error());
  if (streams.empty()) return page;

  Position after = query.after.value_or(Position{kNoLowerBound, 0});
  size_t bytes = 0;
  size_t scanned = 0;
  std::optional<Position> last_seen;
  bool full = false;
  auto r = Sql::query(
      db,
      "SELECT timestamp, id, ingestion, message, stream_id FROM logs_events WHERE group_id = ? AND timestamp >= ? AND "
      "timestamp <= ? AND (timestamp, id) > (?, ?) ORDER BY timestamp, id",
      [&](store::Statement& s) {
        s.bind(1, group->id)
            .bind(2, query.start_ms.value_or(kNoLowerBound))
            .bind(3, query.end_ms.value_or(kNoUpperBound));
        s.bind(4, after.timestamp).bind(5, after.id);
      },
      [&](store::Statement& s) {
        if (full || scanned == kMaxScannedRows) {
          // Another row exists past where this page stops: the caller gets a nextToken.
          page.next = last_seen;
          return false;
        }
        ++scanned;
        last_seen = Position{s.integer(0), s.integer(1)};
        auto stream = streams.find(s.integer(4));
        if (stream == streams.end()) return true;
        LogEvent event = read_event(s);
        if (query.pattern != nullptr && !query.pattern->matches(event.message)) return true;
        if (!page.events.empty() && bytes + page_cost(event) > kMaxPageBytes) {
          // This one goes on the next page.
          page.next = page.events.back().position;
          return false;
        }
        bytes += page_cost(event);
        event.stream = stream->second;
        page.events.push_back(std::move(event));
        full = page.events.size() >= query.limit;
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return page;
}

}  // namespace logs
