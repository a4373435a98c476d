// Random identifiers: request ids, resource ids, access keys.
#pragma once

#include <string>
#include <string_view>

namespace common {

// RFC 4122 version-4 UUID, lower case ("8f1c0b5e-...").
std::string uuid4();
// `n` characters from `alphabet`, from a per-thread generator seeded from the OS.
std::string random_string(size_t n, std::string_view alphabet);
inline std::string random_upper_alnum(size_t n) { return random_string(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"); }
inline std::string random_alnum(size_t n) {
  return random_string(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
}
inline std::string random_hex(size_t n) { return random_string(n, "0123456789abcdef"); }

}  // namespace common
