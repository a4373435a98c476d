#include "services/logs/model/tokens.h"

#include <fmt/format.h>

#include <charconv>

#include "common/crypto.h"

namespace logs {
namespace {

constexpr size_t kTimestampDigits = 20;
constexpr size_t kIdDigits = 36;

std::string digits(Position at) { return fmt::format("{:020}{:036}", at.timestamp, at.id); }

bool parse_number(std::string_view text, int64_t& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size() && out >= 0;
}

std::optional<Position> parse_digits(std::string_view text) {
  if (text.size() != kTimestampDigits + kIdDigits) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  Position at;
  if (!parse_number(text.substr(0, kTimestampDigits), at.timestamp)) return std::nullopt;
  if (!parse_number(text.substr(kTimestampDigits), at.id)) return std::nullopt;
  return at;
}

}  // namespace

std::string stream_token(Direction direction, Position at) {
  return (direction == Direction::Forward ? "f/" : "b/") + digits(at);
}

std::optional<StreamToken> parse_stream_token(std::string_view token) {
  if (token.size() < 2 || token[1] != '/' || (token[0] != 'f' && token[0] != 'b')) return std::nullopt;
  auto at = parse_digits(token.substr(2));
  if (!at) return std::nullopt;
  return StreamToken{token[0] == 'f' ? Direction::Forward : Direction::Backward, *at};
}

std::string event_id(Position at) { return digits(at); }

std::string filter_token(Position after) { return common::base64_encode("hkl1:" + digits(after)); }

std::optional<Position> parse_filter_token(std::string_view token) {
  std::string text;
  if (!common::base64_decode(token, text) || text.rfind("hkl1:", 0) != 0) return std::nullopt;
  return parse_digits(std::string_view(text).substr(5));
}

std::string sequence_token(int64_t sequence) { return fmt::format("{:056}", sequence); }

}  // namespace logs
