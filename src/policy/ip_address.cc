// CIDR matching for the IpAddress / NotIpAddress condition operators (aws:SourceIp).
#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "common/strings.h"
#include "policy/internal.h"

namespace policy::internal {
namespace {

struct Address {
  int family = 0;  // AF_INET or AF_INET6
  std::array<uint8_t, 16> bytes{};
  int bits() const { return family == AF_INET ? 32 : 128; }
};

// inet_pton needs a NUL-terminated string; copy into a stack buffer instead of a std::string.
bool parse_address(std::string_view text, Address& out) {
  std::array<char, INET6_ADDRSTRLEN + 1> buffer{};
  if (text.empty() || text.size() >= buffer.size()) {
    return false;
  }
  std::memcpy(buffer.data(), text.data(), text.size());
  if (inet_pton(AF_INET, buffer.data(), out.bytes.data()) == 1) {
    out.family = AF_INET;
    return true;
  }
  if (inet_pton(AF_INET6, buffer.data(), out.bytes.data()) == 1) {
    out.family = AF_INET6;
    return true;
  }
  return false;
}

}  // namespace

bool ip_in_range(std::string_view range, std::string_view address) {
  range = common::trim(range);
  size_t slash = range.find('/');
  Address network;
  if (!parse_address(range.substr(0, slash), network)) {
    return false;
  }
  int prefix = network.bits();
  if (slash != std::string_view::npos) {
    std::string_view digits = range.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 || prefix > network.bits()) {
      return false;
    }
  }
  Address candidate;
  if (!parse_address(common::trim(address), candidate) || candidate.family != network.family) {
    return false;
  }
  int full_bytes = prefix / 8;
  if (std::memcmp(network.bytes.data(), candidate.bytes.data(), static_cast<size_t>(full_bytes)) != 0) {
    return false;
  }
  int rest = prefix % 8;
  if (rest == 0) {
    return true;
  }
  auto mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (network.bytes[full_bytes] & mask) == (candidate.bytes[full_bytes] & mask);
}

}  // namespace policy::internal
