#include "common/clock.h"

#include <cstdio>
#include <cstring>
#include <ctime>

namespace common {

static std::tm to_tm(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

std::string format_iso8601(TimePoint t, bool millis) {
  std::tm tm = to_tm(t);
  char buf[64];
  if (millis) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
    if (ms < 0) ms += 1000;
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  } else {
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  }
  return buf;
}

std::string format_amz_date(TimePoint t) {
  std::tm tm = to_tm(t);
  char buf[20];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string format_http_date(TimePoint t) {
  std::tm tm = to_tm(t);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

static bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

static std::optional<TimePoint> from_fields(int y, int mo, int d, int h, int mi, int sec, double frac,
                                            int offset_seconds) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  std::time_t secs = timegm(&tm);
  auto tp = std::chrono::system_clock::from_time_t(secs - offset_seconds);
  return tp + std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(frac));
}

std::optional<TimePoint> parse_timestamp(std::string_view s) {
  int y, mo, d, h = 0, mi = 0, sec = 0;
  // Basic form: 20240102T030405Z
  if (s.size() == 16 && s[8] == 'T' && s[15] == 'Z') {
    if (digits(s, 0, 4, y) && digits(s, 4, 2, mo) && digits(s, 6, 2, d) && digits(s, 9, 2, h) && digits(s, 11, 2, mi) &&
        digits(s, 13, 2, sec)) {
      return from_fields(y, mo, d, h, mi, sec, 0, 0);
    }
    return std::nullopt;
  }
  // Extended ISO-8601: 2024-01-02[T03:04:05[.fff][Z|+hh:mm]]
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    if (!digits(s, 0, 4, y) || !digits(s, 5, 2, mo) || !digits(s, 8, 2, d)) return std::nullopt;
    size_t pos = 10;
    double frac = 0;
    int offset = 0;
    if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
      if (!digits(s, pos + 1, 2, h) || s.size() < pos + 6 || s[pos + 3] != ':' || !digits(s, pos + 4, 2, mi)) {
        return std::nullopt;
      }
      pos += 6;
      if (pos < s.size() && s[pos] == ':') {
        if (!digits(s, pos + 1, 2, sec)) return std::nullopt;
        pos += 3;
      }
      if (pos < s.size() && s[pos] == '.') {
        size_t start = pos;
        ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        frac = std::strtod(std::string(s.substr(start, pos - start)).c_str(), nullptr);
      }
      if (pos < s.size()) {
        if (s[pos] == 'Z' || s[pos] == 'z') {
          ++pos;
        } else if (s[pos] == '+' || s[pos] == '-') {
          int oh, om;
          if (!digits(s, pos + 1, 2, oh)) return std::nullopt;
          size_t mpos = pos + 3;
          if (mpos < s.size() && s[mpos] == ':') ++mpos;
          if (!digits(s, mpos, 2, om)) return std::nullopt;
          offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
          pos = mpos + 2;
        }
      }
    }
    if (pos != s.size()) return std::nullopt;
    return from_fields(y, mo, d, h, mi, sec, frac, offset);
  }
  // RFC 1123: Tue, 02 Jan 2024 03:04:05 GMT
  std::tm tm{};
  std::string copy(s);
  const char* end = strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end != nullptr && *end == '\0') {
    return std::chrono::system_clock::from_time_t(timegm(&tm));
  }
  return std::nullopt;
}

}  // namespace common
