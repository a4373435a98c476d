#include "services/ssm/model/filter.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "common/crypto.h"
#include "services/ssm/model/name.h"

namespace ssm {
namespace {

constexpr std::string_view kTokenMarker = "hakobu-ssm-v1:";

bool one_of(std::string_view value, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

Error bad_option(const ParameterFilter& filter, std::string_view valid) {
  return make_error(Reason::BadFilterOption, fmt::format("The following filter option is not valid: {}. Valid "
                                                         "options include: [{}].",
                                                         filter.option, valid));
}

Status check_values(const ParameterFilter& filter) {
  if (filter.values.empty()) {
    if (is_tag_filter(filter)) return common::ok();  // a tag key alone matches its presence
    return common::fail(
        make_error(Reason::BadFilterValue,
                   fmt::format("The following filter values are missing : null for filter key {}.", filter.key)));
  }
  for (const std::string& value : filter.values) {
    bool ok = true;
    if (filter.key == "Type") {
      ok = one_of(value, {"String", "StringList", "SecureString"});
    } else if (filter.key == "Tier") {
      ok = one_of(value, {"Standard", "Advanced", "Intelligent-Tiering"});
    } else if (filter.key == "DataType") {
      ok = one_of(value, {"text", "aws:ec2:image", "aws:ssm:integration"});
    } else if (filter.key == "Path") {
      ok = is_valid_path(value);
    } else if (filter.key == "Label") {
      ok = !value.empty();
    }
    if (!ok) {
      return common::fail(
          make_error(Reason::BadFilterValue,
                     fmt::format("The following filter value is not valid: {}. Check the value for the filter key {}.",
                                 value, filter.key)));
    }
  }
  return common::ok();
}

}  // namespace

bool is_tag_filter(const ParameterFilter& filter) { return filter.key.starts_with("tag:"); }

Status check_filters(std::vector<ParameterFilter>& filters, FilterUse use) {
  std::set<std::string> seen;
  for (ParameterFilter& filter : filters) {
    const std::string& key = filter.key;
    bool known = is_tag_filter(filter) || one_of(key, {"Name", "Type", "KeyId", "Path", "Label", "Tier", "DataType"});
    bool allowed = use == FilterUse::DescribeParameters
                       ? key != "Label"
                       : (one_of(key, {"Type", "KeyId", "Label"}) || is_tag_filter(filter));
    if (!known || !allowed) {
      std::string_view valid = use == FilterUse::DescribeParameters
                                   ? "Name, Type, KeyId, Path, Tier, DataType, tag:<key>"
                                   : "Type, KeyId, Label, tag:<key>";
      return common::fail(
          make_error(Reason::BadFilterKey, fmt::format("The following filter key is not valid: {}. Valid filter keys "
                                                       "include: [{}].",
                                                       key, valid)));
    }
    if (!seen.insert(key).second) {
      return common::fail(make_error(Reason::BadFilterKey,
                                     fmt::format("The following filter is duplicated in the request: {}. A request "
                                                 "can contain only one occurrence of a specific filter.",
                                                 key)));
    }
    if (key == "Path") {
      if (filter.option.empty()) filter.option = "OneLevel";
      if (!one_of(filter.option, {"OneLevel", "Recursive"}))
        return common::fail(bad_option(filter, "Recursive, OneLevel"));
    } else if (key == "Label") {
      if (filter.option.empty()) filter.option = "Equals";
      if (filter.option != "Equals") return common::fail(bad_option(filter, "Equals"));
    } else if (key == "Name" && use == FilterUse::DescribeParameters) {
      if (filter.option.empty()) filter.option = "Equals";
      if (!one_of(filter.option, {"Equals", "BeginsWith", "Contains"})) {
        return common::fail(bad_option(filter, "Equals, BeginsWith, Contains"));
      }
    } else {
      if (filter.option.empty()) filter.option = "Equals";
      if (!one_of(filter.option, {"Equals", "BeginsWith"}))
        return common::fail(bad_option(filter, "Equals, BeginsWith"));
    }
    if (auto r = check_values(filter); !r.ok()) return r;
  }
  return common::ok();
}

bool under_path(std::string_view name, std::string_view path, bool recursive) {
  std::string prefix = path_prefix(path);
  std::string_view key = name_key(name);
  if (!key.starts_with(prefix) || key.size() == prefix.size()) return false;
  return recursive || key.find('/', prefix.size()) == std::string_view::npos;
}

bool matches(const ParameterFilter& filter, const FilterSubject& subject, const std::vector<Tag>& tags) {
  auto compare = [&](std::string_view actual, std::string_view wanted) {
    if (filter.option == "BeginsWith") return actual.starts_with(wanted);
    if (filter.option == "Contains") return actual.find(wanted) != std::string_view::npos;
    return actual == wanted;
  };
  if (is_tag_filter(filter)) {
    std::string_view tag_key = std::string_view(filter.key).substr(4);
    for (const Tag& tag : tags) {
      if (tag.key != tag_key) continue;
      if (filter.values.empty()) return true;
      for (const std::string& v : filter.values) {
        if (compare(tag.value, v)) return true;
      }
    }
    return false;
  }
  for (const std::string& v : filter.values) {
    bool hit = false;
    if (filter.key == "Name") {
      hit = filter.option == "Contains" ? compare(subject.name, v) : compare(name_key(subject.name), name_key(v));
    } else if (filter.key == "Path") {
      hit = under_path(subject.name, v, filter.option == "Recursive");
    } else if (filter.key == "Type") {
      hit = compare(subject.type, v);
    } else if (filter.key == "KeyId") {
      hit = compare(subject.key_id, v);
    } else if (filter.key == "Tier") {
      hit = compare(subject.tier, v);
    } else if (filter.key == "DataType") {
      hit = compare(subject.data_type, v);
    } else if (filter.key == "Label") {
      hit = true;  // resolved by the engine against the parameter's versions
    }
    if (hit) return true;
  }
  return false;
}

std::string encode_page_token(std::string_view last_key) {
  std::string raw(kTokenMarker);
  raw.append(last_key);
  return common::base64_encode(raw);
}

bool decode_page_token(std::string_view token, std::string& last_key) {
  std::string raw;
  if (!common::base64_decode(token, raw) || !std::string_view(raw).starts_with(kTokenMarker)) return false;
  last_key = raw.substr(kTokenMarker.size());
  return true;
}

}  // namespace ssm
