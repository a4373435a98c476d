// Injected time: engines and the SigV4 verifier read the clock through this interface so
// tests can drive it (FakeClock in testing/).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace common {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// The system clock moved forward by an offset a test can grow (POST /_hakobu/clock when the
// server runs with --clock-control): the engines' notion of "now" (image ages, token expiry)
// without touching the clock SigV4 checks requests against.
class AdjustableClock final : public Clock {
 public:
  TimePoint now() const override {
    return std::chrono::system_clock::now() + std::chrono::milliseconds(offset_ms_.load());
  }
  void advance(std::chrono::milliseconds by) { offset_ms_ += by.count(); }
  std::chrono::milliseconds offset() const { return std::chrono::milliseconds(offset_ms_.load()); }

 private:
  std::atomic<int64_t> offset_ms_{0};
};

inline double to_epoch_seconds(TimePoint t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }
inline int64_t to_epoch_millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline TimePoint from_epoch_seconds(double s) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(s)));
}

// "2024-01-02T03:04:05Z" (or with ".123Z" when `millis`).
std::string format_iso8601(TimePoint t, bool millis = false);
// "20240102T030405Z" (SigV4 X-Amz-Date).
std::string format_amz_date(TimePoint t);
// RFC 1123 "Tue, 02 Jan 2024 03:04:05 GMT".
std::string format_http_date(TimePoint t);

// Parses ISO-8601 ("2024-01-02T03:04:05Z", fractional seconds, "+hh:mm" offsets), the
// basic form "20240102T030405Z", and RFC 1123 dates. nullopt when malformed.
std::optional<TimePoint> parse_timestamp(std::string_view s);

}  // namespace common
