#include "services/ecr/model/lifecycle.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <initializer_list>
#include <set>
#include <utility>

#include "common/json.h"
#include "services/ecr/model/wildcard.h"

namespace ecr {
namespace {

using common::Json;

// ECR validates the policy against a JSON schema and reports the validator's message inside
// this fixed wrapper, e.g. "...: 'Lifecycle policy validation failure: object has missing
// required properties (["rules"])'".
common::Unexpected<Error> invalid(std::string_view detail) {
  return common::fail(error(Errc::InvalidParameter,
                            fmt::format("Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: "
                                        "'Lifecycle policy validation failure: {}'",
                                        detail)));
}

// The JSON-schema validator's type names.
std::string_view type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "integer";
    case Json::value_t::number_float: return "number";
    case Json::value_t::string: return "string";
    case Json::value_t::array: return "array";
    case Json::value_t::object: return "object";
    case Json::value_t::binary:
    case Json::value_t::discarded: break;
  }
  return "null";
}

std::string wrong_type(const Json& value, std::string_view allowed) {
  return fmt::format("instance type ({}) does not match any allowed primitive type (allowed: [\"{}\"])",
                     type_name(value), allowed);
}

std::string quoted_list(std::initializer_list<std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    out += out.empty() ? "" : ",";
    out += fmt::format("\"{}\"", name);
  }
  return out;
}

std::string not_in_enum(const std::string& value, std::initializer_list<std::string_view> allowed) {
  return fmt::format("instance value (\"{}\") not found in enum (possible values: [{}])", value, quoted_list(allowed));
}

// Missing required members (sorted, as the validator lists them) or members the schema does
// not know; "" when the object's keys are fine.
std::string check_members(const Json& object, std::initializer_list<std::string_view> required,
                          std::initializer_list<std::string_view> optional) {
  std::string missing;
  for (std::string_view name : required) {
    if (!object.contains(name)) {
      missing += fmt::format("{}\"{}\"", missing.empty() ? "" : ",", name);
    }
  }
  if (!missing.empty()) {
    return fmt::format("object has missing required properties ([{}])", missing);
  }
  std::string unknown;
  for (const auto& [key, value] : object.items()) {
    bool known = std::find(required.begin(), required.end(), key) != required.end() ||
                 std::find(optional.begin(), optional.end(), key) != optional.end();
    if (!known) {
      unknown += fmt::format("{}\"{}\"", unknown.empty() ? "" : ",", key);
    }
  }
  if (!unknown.empty()) {
    return fmt::format("object instance has properties which are not allowed by the schema: ([{}])", unknown);
  }
  return "";
}

// An integer member >= 1 (rulePriority, countNumber).
common::Result<int64_t, Error> positive_integer(const Json& value) {
  if (!value.is_number_integer()) {
    return invalid(wrong_type(value, "integer"));
  }
  if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return invalid("numeric instance is greater than the allowed maximum");
  }
  int64_t number = value.get<int64_t>();
  if (number < 1) {
    return invalid(fmt::format("numeric instance is lower than the required minimum (minimum: 1, found: {})", number));
  }
  return number;
}

common::Result<std::vector<std::string>, Error> string_list(const Json& value, std::string_view name) {
  if (!value.is_array()) {
    return invalid(wrong_type(value, "array"));
  }
  if (value.empty()) {
    return invalid(fmt::format("{} must contain at least one entry", name));
  }
  std::vector<std::string> list;
  for (const Json& item : value) {
    if (!item.is_string()) {
      return invalid(wrong_type(item, "string"));
    }
    list.push_back(item.get<std::string>());
  }
  return list;
}

// tagStatus and the tag lists: tagged rules need exactly one list, the others none.
common::Status<Error> parse_tag_selection(const Json& selection, LifecycleRule& rule) {
  const Json& status = selection["tagStatus"];
  if (!status.is_string()) {
    return invalid(wrong_type(status, "string"));
  }
  rule.tag_status = status.get<std::string>();
  if (rule.tag_status != "tagged" && rule.tag_status != "untagged" && rule.tag_status != "any") {
    return invalid(not_in_enum(rule.tag_status, {"any", "tagged", "untagged"}));
  }
  bool has_prefixes = selection.contains("tagPrefixList");
  bool has_patterns = selection.contains("tagPatternList");
  if (rule.tag_status != "tagged") {
    if (has_prefixes || has_patterns) {
      return invalid("tagPrefixList and tagPatternList can only be used with tagStatus 'tagged'");
    }
    return common::ok();
  }
  if (has_prefixes == has_patterns) {
    return invalid("a rule with tagStatus 'tagged' requires exactly one of tagPrefixList or tagPatternList");
  }
  auto list = string_list(selection[has_prefixes ? "tagPrefixList" : "tagPatternList"],
                          has_prefixes ? "tagPrefixList" : "tagPatternList");
  if (!list) {
    return common::fail(std::move(list.error()));
  }
  if (has_prefixes) {
    rule.tag_prefixes = std::move(*list);
    return common::ok();
  }
  for (const std::string& pattern : *list) {
    if (std::count(pattern.begin(), pattern.end(), '*') > 4) {
      return invalid(fmt::format("tag pattern '{}' has more than 4 wildcards", pattern));
    }
  }
  rule.tag_patterns = std::move(*list);
  return common::ok();
}

// countType/countUnit/countNumber. The schema is a oneOf over the two count types (countUnit
// only with sinceImagePushed, required there), hence ECR's "matched 0 out of 2" message.
common::Status<Error> parse_count(const Json& selection, LifecycleRule& rule) {
  const Json& type = selection["countType"];
  if (!type.is_string()) {
    return invalid(wrong_type(type, "string"));
  }
  rule.count_type = type.get<std::string>();
  bool since_pushed = rule.count_type == "sinceImagePushed";
  if ((!since_pushed && rule.count_type != "imageCountMoreThan") || since_pushed != selection.contains("countUnit")) {
    return invalid("instance failed to match exactly one schema (matched 0 out of 2)");
  }
  if (since_pushed) {
    const Json& unit = selection["countUnit"];
    if (!unit.is_string()) {
      return invalid(wrong_type(unit, "string"));
    }
    rule.count_unit = unit.get<std::string>();
    if (rule.count_unit != "days") {
      return invalid(not_in_enum(rule.count_unit, {"days"}));
    }
  }
  auto number = positive_integer(selection["countNumber"]);
  if (!number) {
    return common::fail(std::move(number.error()));
  }
  rule.count_number = *number;
  return common::ok();
}

common::Status<Error> parse_selection(const Json& selection, LifecycleRule& rule) {
  if (!selection.is_object()) {
    return invalid(wrong_type(selection, "object"));
  }
  std::string members = check_members(selection, {"tagStatus", "countType", "countNumber"},
                                      {"tagPrefixList", "tagPatternList", "countUnit", "storageClass"});
  if (!members.empty()) {
    return invalid(members);
  }
  // Only the standard storage class exists here (no archive tier), so only it is accepted.
  if (selection.contains("storageClass")) {
    const Json& storage_class = selection["storageClass"];
    if (!storage_class.is_string()) {
      return invalid(wrong_type(storage_class, "string"));
    }
    if (storage_class != "standard") {
      return invalid(not_in_enum(storage_class.get<std::string>(), {"standard"}));
    }
  }
  auto tags = parse_tag_selection(selection, rule);
  if (!tags) {
    return tags;
  }
  return parse_count(selection, rule);
}

common::Status<Error> parse_action(const Json& action) {
  if (!action.is_object()) {
    return invalid(wrong_type(action, "object"));
  }
  std::string members = check_members(action, {"type"}, {});
  if (!members.empty()) {
    return invalid(members);
  }
  const Json& type = action["type"];
  if (!type.is_string()) {
    return invalid(wrong_type(type, "string"));
  }
  if (type != "expire") {
    return invalid(not_in_enum(type.get<std::string>(), {"expire"}));
  }
  return common::ok();
}

common::Result<LifecycleRule, Error> parse_rule(const Json& json) {
  if (!json.is_object()) {
    return invalid(wrong_type(json, "object"));
  }
  std::string members = check_members(json, {"rulePriority", "selection", "action"}, {"description"});
  if (!members.empty()) {
    return invalid(members);
  }
  LifecycleRule rule;
  auto priority = positive_integer(json["rulePriority"]);
  if (!priority) {
    return common::fail(std::move(priority.error()));
  }
  if (*priority > INT_MAX) {
    return invalid("rulePriority is too large");
  }
  rule.priority = static_cast<int>(*priority);
  if (json.contains("description")) {
    if (!json["description"].is_string()) {
      return invalid(wrong_type(json["description"], "string"));
    }
    rule.description = json["description"].get<std::string>();
  }
  auto selection = parse_selection(json["selection"], rule);
  if (!selection) {
    return common::fail(std::move(selection.error()));
  }
  auto action = parse_action(json["action"]);
  if (!action) {
    return common::fail(std::move(action.error()));
  }
  return rule;
}

// Rules that only make sense across the policy: unique priorities, "any" evaluated last.
common::Status<Error> check_priorities(const std::vector<LifecycleRule>& rules) {
  std::set<int> seen;
  for (const LifecycleRule& rule : rules) {
    if (!seen.insert(rule.priority).second) {
      return invalid(
          fmt::format("rulePriority {} is used by more than one rule; priorities must be unique", rule.priority));
    }
  }
  for (size_t i = 0; i + 1 < rules.size(); ++i) {
    if (rules[i].tag_status == "any") {
      return invalid("a rule with tagStatus 'any' must have the highest rulePriority");
    }
  }
  return common::ok();
}

// Every listed prefix/pattern must match at least one of the image's tags: AWS documents
// "If you specify multiple tags, only the images with all specified tags are selected".
bool matches_tags(const LifecycleRule& rule, const std::vector<std::string>& tags) {
  if (rule.tag_status == "any") {
    return true;
  }
  if (rule.tag_status == "untagged") {
    return tags.empty();
  }
  if (tags.empty()) {
    return false;
  }
  auto some_tag = [&](auto&& predicate) { return std::any_of(tags.begin(), tags.end(), predicate); };
  for (const std::string& prefix : rule.tag_prefixes) {
    if (!some_tag([&](const std::string& tag) { return tag.starts_with(prefix); })) {
      return false;
    }
  }
  for (const std::string& pattern : rule.tag_patterns) {
    if (!some_tag([&](const std::string& tag) { return wildcard_match(pattern, tag); })) {
      return false;
    }
  }
  return true;
}

// Indexes (into images) of the rule's selection that its count criterion expires.
std::vector<size_t> expired_by(const LifecycleRule& rule, const std::vector<size_t>& selected,
                               const std::vector<LifecycleCandidate>& images, common::TimePoint now) {
  std::vector<size_t> expired;
  if (rule.count_type == "sinceImagePushed") {
    auto max_age = std::chrono::hours(24) * rule.count_number;
    for (size_t index : selected) {
      if (now - images[index].pushed_at > max_age) {
        expired.push_back(index);
      }
    }
    return expired;
  }
  std::vector<size_t> newest_first = selected;
  std::stable_sort(newest_first.begin(), newest_first.end(),
                   [&](size_t a, size_t b) { return images[a].pushed_at > images[b].pushed_at; });
  for (size_t i = static_cast<size_t>(std::min<int64_t>(rule.count_number, static_cast<int64_t>(newest_first.size())));
       i < newest_first.size(); ++i) {
    expired.push_back(newest_first[i]);
  }
  return expired;
}

}  // namespace

common::Result<LifecyclePolicy, Error> parse_lifecycle_policy(std::string_view text) {
  Json document = Json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    return invalid("Could not map policyString into LifecyclePolicy.");
  }
  std::string members = check_members(document, {"rules"}, {});
  if (!members.empty()) {
    return invalid(members);
  }
  const Json& rules = document["rules"];
  if (!rules.is_array()) {
    return invalid(wrong_type(rules, "array"));
  }
  if (rules.empty()) {
    return invalid("array is too short: must have at least 1 elements but instance has 0 elements");
  }
  LifecyclePolicy policy;
  for (const Json& json : rules) {
    auto rule = parse_rule(json);
    if (!rule) {
      return common::fail(std::move(rule.error()));
    }
    policy.rules.push_back(std::move(*rule));
  }
  std::stable_sort(policy.rules.begin(), policy.rules.end(),
                   [](const LifecycleRule& a, const LifecycleRule& b) { return a.priority < b.priority; });
  auto priorities = check_priorities(policy.rules);
  if (!priorities) {
    return common::fail(std::move(priorities.error()));
  }
  return policy;
}

// AWS's evaluator ("Lifecycle policy evaluation rules"): every rule identifies the images matching
// its tag selection as if nothing had been expired yet, and applies its count to all of them;
// but an image that matched a higher-priority rule (kept or expired) can never be expired by a
// lower-priority one. See the docs' "Filtering on multiple rules", example A.
std::vector<LifecycleAction> evaluate_lifecycle(const LifecyclePolicy& policy,
                                                const std::vector<LifecycleCandidate>& images, common::TimePoint now) {
  std::vector<int> expired_by_rule(images.size(), 0);
  std::vector<bool> claimed(images.size(), false);
  for (const LifecycleRule& rule : policy.rules) {
    std::vector<size_t> selected;
    for (size_t i = 0; i < images.size(); ++i) {
      if (matches_tags(rule, images[i].tags)) {
        selected.push_back(i);
      }
    }
    for (size_t index : expired_by(rule, selected, images, now)) {
      if (!claimed[index]) {
        expired_by_rule[index] = rule.priority;
      }
    }
    for (size_t index : selected) {
      claimed[index] = true;
    }
  }
  std::vector<LifecycleAction> actions;
  for (size_t i = 0; i < images.size(); ++i) {
    if (expired_by_rule[i] != 0) {
      actions.push_back(LifecycleAction{images[i].digest, images[i].tags, images[i].pushed_at, expired_by_rule[i]});
    }
  }
  return actions;
}

}  // namespace ecr
