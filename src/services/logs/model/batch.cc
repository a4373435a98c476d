#include "services/logs/model/batch.h"

#include <fmt/format.h>

namespace logs {

int64_t batch_bytes(const std::vector<InputEvent>& events) {
  int64_t total = 0;
  for (const auto& event : events) total += static_cast<int64_t>(event.message.size()) + kEventOverheadBytes;
  return total;
}

common::Result<BatchVerdict, Error> check_batch(const std::vector<InputEvent>& events, int64_t now_ms,
                                                std::optional<int> retention_days) {
  if (int64_t bytes = batch_bytes(events); bytes > kMaxBatchBytes) {
    return common::fail(error(Errc::InvalidParameter,
                              fmt::format("Upload too large: {} bytes exceeds limit of {}", bytes, kMaxBatchBytes)));
  }
  for (size_t i = 1; i < events.size(); ++i) {
    if (events[i].timestamp < events[i - 1].timestamp) {
      return common::fail(
          error(Errc::InvalidParameter, "Log events in a single PutLogEvents request must be in chronological order."));
    }
  }
  const int64_t too_old_before = now_ms - kMaxPastMillis;
  const int64_t too_new_after = now_ms + kMaxFutureMillis;
  const int64_t expired_before = retention_days ? now_ms - *retention_days * kDayMillis : INT64_MIN;
  BatchVerdict verdict;
  size_t n = events.size();
  size_t old_end = 0;
  while (old_end < n && events[old_end].timestamp < too_old_before) ++old_end;
  size_t expired_end = 0;
  while (expired_end < n && events[expired_end].timestamp < expired_before) ++expired_end;
  size_t new_start = n;
  while (new_start > 0 && events[new_start - 1].timestamp > too_new_after) --new_start;
  if (old_end > 0) verdict.too_old_end = static_cast<int>(old_end);
  if (expired_end > 0) verdict.expired_end = static_cast<int>(expired_end);
  if (new_start < n) verdict.too_new_start = static_cast<int>(new_start);
  verdict.first = std::max(old_end, expired_end);
  verdict.last = std::max(new_start, verdict.first);
  if (verdict.last > verdict.first &&
      events[verdict.last - 1].timestamp - events[verdict.first].timestamp > kMaxSpanMillis) {
    return common::fail(error(Errc::InvalidParameter,
                              "The batch of log events in a single PutLogEvents request cannot span more than 24 "
                              "hours."));
  }
  return verdict;
}

}  // namespace logs
