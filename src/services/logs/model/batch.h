// PutLogEvents' batch rules, as a pure function of the batch, "now" and the group's retention.
//
// Failing the whole call (InvalidParameterException): more than 1,048,576 bytes counting each
// message's UTF-8 bytes plus 26 per event; timestamps out of chronological order; the events
// that are kept spanning more than 24 hours. Rejecting single events while the rest is stored
// (rejectedLogEventsInfo): older than 14 days (tooOld), older than the group's retention
// (expired), more than 2 hours in the future (tooNew). As the batch is chronological, the
// rejected events are a prefix (too old / expired) and a suffix (too new).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "services/logs/model/errors.h"

namespace logs {

struct InputEvent {
  int64_t timestamp = 0;  // epoch milliseconds
  std::string message;
};

constexpr int64_t kMaxBatchBytes = 1048576;
constexpr int64_t kEventOverheadBytes = 26;
constexpr size_t kMaxBatchEvents = 10000;
constexpr int64_t kMaxPastMillis = 14LL * 24 * 3600 * 1000;
constexpr int64_t kMaxFutureMillis = 2LL * 3600 * 1000;
constexpr int64_t kMaxSpanMillis = 24LL * 3600 * 1000;
constexpr int64_t kDayMillis = 24LL * 3600 * 1000;

struct BatchVerdict {
  size_t first = 0;  // events [first, last) are stored
  size_t last = 0;
  // rejectedLogEventsInfo members; unset when no event was rejected for that reason.
  std::optional<int> too_old_end;    // exclusive: events [0, too_old_end) are older than 14 days
  std::optional<int> expired_end;    // exclusive: events [0, expired_end) are older than the retention
  std::optional<int> too_new_start;  // inclusive: events [too_new_start, n) are too far in the future
  bool any_rejected() const { return too_old_end || expired_end || too_new_start; }
};

// The size of a batch as AWS counts it.
int64_t batch_bytes(const std::vector<InputEvent>& events);

common::Result<BatchVerdict, Error> check_batch(const std::vector<InputEvent>& events, int64_t now_ms,
                                                std::optional<int> retention_days);

}  // namespace logs
