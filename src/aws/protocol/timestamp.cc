#include "aws/protocol/timestamp.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace aws::protocol {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Civil{y + (m <= 2), m, d};
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool digits(size_t count, int& out) {
    if (pos_ + count > s_.size()) {
      return false;
    }
    int value = 0;
    for (size_t i = 0; i < count; ++i) {
      char c = s_[pos_ + i];
      if (c < '0' || c > '9') {
        return false;
      }
      value = value * 10 + (c - '0');
    }
    pos_ += count;
    out = value;
    return true;
  }
  bool accept(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool accept_any(std::string_view chars) {
    if (pos_ < s_.size() && chars.find(s_[pos_]) != std::string_view::npos) {
      ++pos_;
      return true;
    }
    return false;
  }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  bool done() const { return pos_ == s_.size(); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

std::optional<double> parse_iso8601(std::string_view text) {
  Scanner in(text);
  int year = 0;
  int month = 0;
  int day = 0;
  if (!in.digits(4, year) || !in.accept('-') || !in.digits(2, month) || !in.accept('-') || !in.digits(2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  int hour = 0;
  int minute = 0;
  int second = 0;
  double fraction = 0;
  int offset_seconds = 0;
  if (!in.done()) {
    if (!in.accept_any("Tt ")) {
      return std::nullopt;
    }
    if (!in.digits(2, hour) || !in.accept(':') || !in.digits(2, minute)) {
      return std::nullopt;
    }
    if (in.accept(':') && !in.digits(2, second)) {
      return std::nullopt;
    }
    if (hour > 23 || minute > 59 || second > 60) {
      return std::nullopt;
    }
    if (in.accept('.') || in.accept(',')) {
      double scale = 0.1;
      int digit = 0;
      bool any = false;
      while (in.digits(1, digit)) {
        fraction += digit * scale;
        scale /= 10;
        any = true;
      }
      if (!any) {
        return std::nullopt;
      }
    }
    if (in.accept_any("Zz")) {
      // UTC
    } else if (in.peek() == '+' || in.peek() == '-') {
      const int sign = in.peek() == '-' ? -1 : 1;
      in.accept_any("+-");
      int oh = 0;
      int om = 0;
      if (!in.digits(2, oh)) {
        return std::nullopt;
      }
      in.accept(':');
      if (!in.done() && !in.digits(2, om)) {
        return std::nullopt;
      }
      offset_seconds = sign * (oh * 3600 + om * 60);
    }
    if (!in.done()) {
      return std::nullopt;
    }
  }
  const int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return static_cast<double>(seconds) + fraction;
}

}  // namespace

std::optional<double> parse_timestamp(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  if (auto iso = parse_iso8601(text)) {
    return iso;
  }
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::fixed);
  if (ec == std::errc() && ptr == end && std::isfinite(value)) {
    return value;
  }
  return std::nullopt;
}

namespace {

struct Split {
  Civil date;
  int64_t second_of_day;
  int millis;
};

Split split(double epoch_seconds) {
  int64_t millis_total = static_cast<int64_t>(std::llround(epoch_seconds * 1000.0));
  int64_t seconds = millis_total / 1000;
  int millis = static_cast<int>(millis_total % 1000);
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  return Split{civil_from_days(days), rem, millis};
}

}  // namespace

namespace {

// "Jan" -> 1 ... "Dec" -> 12 (case-insensitive); 0 when unknown.
int month_number(std::string_view name) {
  static constexpr const char* kNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                           "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() != 3) {
    return 0;
  }
  for (int i = 0; i < 12; ++i) {
    bool same = true;
    for (size_t j = 0; j < 3 && same; ++j) {
      char c = name[j];
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
      same = c == kNames[i][j];
    }
    if (same) {
      return i + 1;
    }
  }
  return 0;
}

// Splits on spaces, dropping empty pieces (asctime pads the day: "Jan  2").
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') {
      ++i;
    }
    size_t start = i;
    while (i < text.size() && text[i] != ' ') {
      ++i;
    }
    if (i > start) {
      out.push_back(text.substr(start, i - start));
    }
  }
  return out;
}

bool number(std::string_view text, int& out) {
  if (text.empty() || text.size() > 4) {
    return false;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// "03:04:05" -> seconds of the day.
bool clock_time(std::string_view text, int& out) {
  Scanner in(text);
  int h = 0;
  int m = 0;
  int s = 0;
  if (!in.digits(2, h) || !in.accept(':') || !in.digits(2, m) || !in.accept(':') || !in.digits(2, s) || !in.done() ||
      h > 23 || m > 59 || s > 60) {
    return false;
  }
  out = h * 3600 + m * 60 + s;
  return true;
}

std::optional<double> civil_time(int year, int month, int day, int seconds_of_day) {
  if (month < 1 || day < 1 || day > 31) {
    return std::nullopt;
  }
  const int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return static_cast<double>(days * 86400 + seconds_of_day);
}

}  // namespace

std::optional<double> parse_http_date(std::string_view text) {
  const std::vector<std::string_view> w = words(text);
  int day = 0;
  int year = 0;
  int seconds = 0;
  if (w.size() == 6 && !w[0].empty() && w[0].back() == ',' && (w[5] == "GMT" || w[5] == "UTC" || w[5] == "Z")) {
    // RFC 822 / 1123: "Tue, 02 Jan 2024 03:04:05 GMT" (two-digit years read as 19xx/20xx)
    if (!number(w[1], day) || !number(w[3], year) || !clock_time(w[4], seconds)) {
      return std::nullopt;
    }
    if (w[3].size() == 2) {
      year += year < 50 ? 2000 : 1900;
    }
    return civil_time(year, month_number(w[2]), day, seconds);
  }
  if (w.size() == 4 && !w[0].empty() && w[0].back() == ',' && w[3] == "GMT") {
    // RFC 850: "Tuesday, 02-Jan-24 03:04:05 GMT"
    std::string_view date = w[1];
    if (date.size() != 9 || date[2] != '-' || date[6] != '-' || !number(date.substr(0, 2), day) ||
        !number(date.substr(7, 2), year) || !clock_time(w[2], seconds)) {
      return std::nullopt;
    }
    year += year < 50 ? 2000 : 1900;
    return civil_time(year, month_number(date.substr(3, 3)), day, seconds);
  }
  if (w.size() == 5) {
    // asctime: "Tue Jan  2 03:04:05 2024"
    if (!number(w[2], day) || !clock_time(w[3], seconds) || !number(w[4], year) || w[4].size() != 4) {
      return std::nullopt;
    }
    return civil_time(year, month_number(w[1]), day, seconds);
  }
  return std::nullopt;
}

std::optional<double> parse_any_timestamp(std::string_view text) {
  if (auto seconds = parse_timestamp(text)) {
    return seconds;
  }
  return parse_http_date(text);
}

std::string format_iso8601_millis(double epoch_seconds) {
  std::string out = format_iso8601(epoch_seconds);
  if (out.size() == 20) {  // "YYYY-MM-DDTHH:MM:SSZ" without a fraction
    out.insert(19, ".000");
  }
  return out;
}

std::string format_iso8601(double epoch_seconds) {
  const Split t = split(epoch_seconds);
  char buffer[64];
  int n =
      std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lld", static_cast<long long>(t.date.year),
                    t.date.month, t.date.day, static_cast<long long>(t.second_of_day / 3600),
                    static_cast<long long>(t.second_of_day / 60 % 60), static_cast<long long>(t.second_of_day % 60));
  std::string out(buffer, static_cast<size_t>(n));
  if (t.millis != 0) {
    std::snprintf(buffer, sizeof buffer, ".%03d", t.millis);
    out += buffer;
  }
  out += 'Z';
  return out;
}

std::string format_rfc822(double epoch_seconds) {
  static constexpr const char* kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const Split t = split(std::floor(epoch_seconds));
  const int64_t days = static_cast<int64_t>(std::floor(epoch_seconds / 86400.0));
  const int64_t weekday = ((days % 7) + 7) % 7;
  char buffer[64];
  int n = std::snprintf(
      buffer, sizeof buffer, "%s, %02u %s %04lld %02lld:%02lld:%02lld GMT", kDays[weekday], t.date.day,
      kMonths[t.date.month - 1], static_cast<long long>(t.date.year), static_cast<long long>(t.second_of_day / 3600),
      static_cast<long long>(t.second_of_day / 60 % 60), static_cast<long long>(t.second_of_day % 60));
  return std::string(buffer, static_cast<size_t>(n));
}

}  // namespace aws::protocol
