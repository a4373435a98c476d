// How list-valued columns are stored: a sequence of "<decimal length>:<bytes>" fields, so any
// byte string (metadata from HTTP headers need not be UTF-8) round-trips without escaping and
// a version's whole description stays in its one row (GET is one indexed lookup).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/s3/engine/s3_engine.h"

namespace s3 {

void append_field(std::string& out, std::string_view field);
// Splits an encoded column back into its fields (stops at the first malformed field).
std::vector<std::string> decode_fields(std::string_view encoded);

std::string encode_headers(const ObjectHeaders& headers);
ObjectHeaders decode_headers(std::string_view encoded);
std::string encode_pairs(const std::vector<std::pair<std::string, std::string>>& pairs);
std::vector<std::pair<std::string, std::string>> decode_pairs(std::string_view encoded);
std::string encode_tags(const std::vector<Tag>& tags);
std::vector<Tag> decode_tags(std::string_view encoded);
std::string encode_map(const std::map<std::string, std::string>& map);
std::map<std::string, std::string> decode_map(std::string_view encoded);
std::string encode_sizes(const std::vector<uint64_t>& sizes);
std::vector<uint64_t> decode_sizes(std::string_view encoded);

}  // namespace s3
