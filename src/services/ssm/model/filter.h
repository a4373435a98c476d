// ParameterFilters of DescribeParameters and GetParametersByPath: validation per operation
// (AWS accepts different keys and options for each) and matching, as pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/ssm/model/errors.h"

namespace ssm {

struct Tag {
  std::string key;
  std::string value;
};

struct ParameterFilter {
  std::string key;                  // Name | Type | KeyId | Path | Label | Tier | DataType | tag:<key>
  std::string option;               // normalized by check_filters: Equals, BeginsWith, Contains, OneLevel, Recursive
  std::vector<std::string> values;  // ORed
};

enum class FilterUse { DescribeParameters, GetParametersByPath };

// Validates keys, options and values for `use` and fills in default options. Errors carry
// Reason::BadFilterKey / BadFilterOption / BadFilterValue.
Status check_filters(std::vector<ParameterFilter>& filters, FilterUse use);

// The latest version's metadata that filters look at.
struct FilterSubject {
  std::string_view name;
  std::string_view type;
  std::string_view key_id;
  std::string_view tier;
  std::string_view data_type;
};

bool is_tag_filter(const ParameterFilter& filter);
// Whether a name lies beneath a path (OneLevel: directly; Recursive: at any depth).
bool under_path(std::string_view name, std::string_view path, bool recursive);
// Filters other than Label (resolved against versions by the engine). `tags` is consulted
// only by tag: filters.
bool matches(const ParameterFilter& filter, const FilterSubject& subject, const std::vector<Tag>& tags);

// Opaque pagination tokens: base64 of a marker and the last key returned.
std::string encode_page_token(std::string_view last_key);
// False when the token was not made by encode_page_token.
bool decode_page_token(std::string_view token, std::string& last_key);

}  // namespace ssm
