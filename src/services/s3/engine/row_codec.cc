#include "services/s3/engine/row_codec.h"

#include <charconv>

namespace s3 {

void append_field(std::string& out, std::string_view field) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, field.size());
  (void)ec;
  out.append(digits, end);
  out.push_back(':');
  out.append(field);
}

std::vector<std::string> decode_fields(std::string_view encoded) {
  std::vector<std::string> fields;
  while (!encoded.empty()) {
    size_t colon = encoded.find(':');
    if (colon == std::string_view::npos) break;
    size_t length = 0;
    auto [ptr, ec] = std::from_chars(encoded.data(), encoded.data() + colon, length);
    if (ec != std::errc() || ptr != encoded.data() + colon || encoded.size() - colon - 1 < length) break;
    fields.emplace_back(encoded.substr(colon + 1, length));
    encoded.remove_prefix(colon + 1 + length);
  }
  return fields;
}

std::string encode_headers(const ObjectHeaders& h) {
  std::string out;
  for (const std::string* field : {&h.content_type, &h.content_encoding, &h.content_disposition, &h.content_language,
                                   &h.cache_control, &h.expires, &h.website_redirect_location}) {
    append_field(out, *field);
  }
  return out;
}

ObjectHeaders decode_headers(std::string_view encoded) {
  std::vector<std::string> f = decode_fields(encoded);
  f.resize(7);
  ObjectHeaders h;
  h.content_type = std::move(f[0]);
  h.content_encoding = std::move(f[1]);
  h.content_disposition = std::move(f[2]);
  h.content_language = std::move(f[3]);
  h.cache_control = std::move(f[4]);
  h.expires = std::move(f[5]);
  h.website_redirect_location = std::move(f[6]);
  return h;
}

std::string encode_pairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [first, second] : pairs) {
    append_field(out, first);
    append_field(out, second);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> decode_pairs(std::string_view encoded) {
  std::vector<std::string> f = decode_fields(encoded);
  std::vector<std::pair<std::string, std::string>> pairs;
  pairs.reserve(f.size() / 2);
  for (size_t i = 0; i + 1 < f.size(); i += 2) pairs.emplace_back(std::move(f[i]), std::move(f[i + 1]));
  return pairs;
}

std::string encode_tags(const std::vector<Tag>& tags) {
  std::string out;
  for (const Tag& tag : tags) {
    append_field(out, tag.key);
    append_field(out, tag.value);
  }
  return out;
}

std::vector<Tag> decode_tags(std::string_view encoded) {
  std::vector<Tag> tags;
  for (auto& [key, value] : decode_pairs(encoded)) tags.push_back(Tag{std::move(key), std::move(value)});
  return tags;
}

std::string encode_map(const std::map<std::string, std::string>& map) {
  std::string out;
  for (const auto& [key, value] : map) {
    append_field(out, key);
    append_field(out, value);
  }
  return out;
}

std::map<std::string, std::string> decode_map(std::string_view encoded) {
  std::map<std::string, std::string> map;
  for (auto& [key, value] : decode_pairs(encoded)) map.emplace(std::move(key), std::move(value));
  return map;
}

std::string encode_sizes(const std::vector<uint64_t>& sizes) {
  std::string out;
  for (uint64_t size : sizes) append_field(out, std::to_string(size));
  return out;
}

std::vector<uint64_t> decode_sizes(std::string_view encoded) {
  std::vector<uint64_t> sizes;
  for (const std::string& field : decode_fields(encoded)) {
    uint64_t v = 0;
    std::from_chars(field.data(), field.data() + field.size(), v);
    sizes.push_back(v);
  }
  return sizes;
}

}  // namespace s3
