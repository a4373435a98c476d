#include "services/s3/model/names.h"

#include "common/ids.h"

namespace s3 {
namespace {

bool lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Four dot-separated decimal numbers: "192.168.5.4".
bool looks_like_ipv4(std::string_view name) {
  int parts = 0;
  size_t start = 0;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    std::string_view part = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty() || part.size() > 3) return false;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
    }
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

}  // namespace

bool valid_bucket_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  for (char c : name) {
    if (!lower_or_digit(c) && c != '.' && c != '-') return false;
  }
  if (!lower_or_digit(name.front()) || !lower_or_digit(name.back())) return false;
  if (name.find("..") != std::string_view::npos) return false;
  if (looks_like_ipv4(name)) return false;
  for (std::string_view prefix : {"xn--", "sthree-", "amzn-s3-demo-"}) {
    if (name.substr(0, prefix.size()) == prefix) return false;
  }
  for (std::string_view suffix : {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}) {
    if (ends_with(name, suffix)) return false;
  }
  return true;
}

bool valid_version_id(std::string_view id) {
  if (id == "null") return true;
  if (id.size() != kVersionIdLength) return false;
  for (char c : id) {
    if (kIdAlphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

std::string new_version_id() { return common::random_string(kVersionIdLength, kIdAlphabet); }
std::string new_upload_id() { return common::random_string(kUploadIdLength, kIdAlphabet); }

std::optional<Error> check_key(std::string_view key) {
  if (key.empty()) return make_error(Reason::InvalidArgument, "A key must not be empty");
  if (key.size() > kMaxKeyBytes) return make_error(Reason::KeyTooLong, "Your key is too long");
  return std::nullopt;
}

std::optional<Error> check_metadata(const std::vector<std::pair<std::string, std::string>>& metadata) {
  size_t total = 0;
  for (const auto& [name, value] : metadata) total += name.size() + value.size();
  if (total > kMaxMetadataBytes) {
    return make_error(Reason::MetadataTooLarge, "Your metadata headers exceed the maximum allowed metadata size.");
  }
  return std::nullopt;
}

std::string prefix_successor(std::string_view prefix) {
  std::string next(prefix);
  while (!next.empty() && static_cast<unsigned char>(next.back()) == 0xff) next.pop_back();
  if (next.empty()) return next;
  next.back() = static_cast<char>(static_cast<unsigned char>(next.back()) + 1);
  return next;
}

}  // namespace s3
