#include "oci/digest.h"

#include "common/crypto.h"

namespace oci {
namespace {

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool is_tag_char(char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
    return true;
  }
  return !first && (c == '.' || c == '-');
}

// Hex length of each algorithm we recognise; 0 for anything else.
size_t hex_length(std::string_view algorithm) {
  if (algorithm == "sha256") {
    return 64;
  }
  if (algorithm == "sha512") {
    return 128;
  }
  return 0;
}

}  // namespace

std::optional<Digest> parse_digest(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view algorithm = text.substr(0, colon);
  std::string_view hex = text.substr(colon + 1);
  size_t expected = hex_length(algorithm);
  if (expected == 0 || hex.size() != expected) {
    return std::nullopt;
  }
  for (char c : hex) {
    // The image spec allows only lower-case hex for the registered algorithms.
    if (!is_lower_hex(c)) {
      return std::nullopt;
    }
  }
  return Digest{std::string(algorithm), std::string(hex)};
}

bool valid_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 128) {
    return false;
  }
  for (size_t i = 0; i < tag.size(); ++i) {
    if (!is_tag_char(tag[i], i == 0)) {
      return false;
    }
  }
  return true;
}

std::string sha256_digest(std::string_view bytes) { return "sha256:" + common::sha256_hex(bytes); }

}  // namespace oci
