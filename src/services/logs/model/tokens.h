// The tokens and ids CloudWatch Logs hands out, as digit strings shaped like AWS's:
// GetLogEvents' "f/<56 digits>" and "b/<56 digits>", FilterLogEvents' eventId (56 digits), and
// PutLogEvents' nextSequenceToken. Each names a position in an event order (timestamp, then
// the event's row id), so a token stays valid while events arrive and after a restart.
// FilterLogEvents' nextToken is opaque (base64) over the same position.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace logs {

// A place in the (timestamp, id) order of events. Row ids start at 1, so {t, 0} sits just
// before every event at timestamp t.
struct Position {
  int64_t timestamp = 0;
  int64_t id = 0;
  friend bool operator==(const Position&, const Position&) = default;
};

enum class Direction { Forward, Backward };

struct StreamToken {
  Direction direction = Direction::Forward;
  Position at;  // forward: events after it; backward: events before it
};

// "f/" or "b/" followed by 56 digits: 20 for the timestamp, 36 for the id.
std::string stream_token(Direction direction, Position at);
std::optional<StreamToken> parse_stream_token(std::string_view token);

// FilteredLogEvent.eventId: 56 digits, unique per event, ordered like the events.
std::string event_id(Position at);

// Opaque nextToken of FilterLogEvents: the last position the page covered.
std::string filter_token(Position after);
std::optional<Position> parse_filter_token(std::string_view token);

// nextSequenceToken / uploadSequenceToken: 56 digits from a stream's put counter. AWS ignores
// sequence tokens on input now; clients that still send them get one back that looks right.
std::string sequence_token(int64_t sequence);

}  // namespace logs
