#include "services/ssm/api/wire.h"

#include "services/ssm/model/name.h"

namespace ssm {
namespace {

common::Json policies_json(const std::string& stored) {
  if (stored.empty()) return common::Json::array();
  common::Json policies = common::Json::parse(stored, nullptr, false);
  return policies.is_array() ? policies : common::Json::array();
}

}  // namespace

common::Json parameter_json(const ParameterVersion& p, const dispatch::RequestContext& context) {
  common::Json out = {
      {"Name", p.name},
      {"Type", p.type},
      {"Value", p.value},
      {"Version", p.version},
      {"LastModifiedDate", p.last_modified},
      {"ARN", parameter_arn(context.region, context.account_id(), p.name)},
      {"DataType", p.data_type},
  };
  if (!p.selector.empty()) out["Selector"] = p.selector;
  return out;
}

// Members AWS leaves out when they were never set.
static void add_optional_metadata(const ParameterVersion& p, common::Json& out) {
  if (!p.key_id.empty()) out["KeyId"] = p.key_id;
  if (!p.description.empty()) out["Description"] = p.description;
  if (!p.allowed_pattern.empty()) out["AllowedPattern"] = p.allowed_pattern;
}

common::Json metadata_json(const ParameterVersion& p, const dispatch::RequestContext& context) {
  common::Json out = {
      {"Name", p.name},
      {"ARN", parameter_arn(context.region, context.account_id(), p.name)},
      {"Type", p.type},
      {"LastModifiedDate", p.last_modified},
      {"LastModifiedUser", p.last_modified_user},
      {"Version", p.version},
      {"Tier", p.tier},
      {"Policies", policies_json(p.policies)},
      {"DataType", p.data_type},
  };
  add_optional_metadata(p, out);
  return out;
}

common::Json history_json(const ParameterVersion& p) {
  common::Json out = {
      {"Name", p.name},
      {"Type", p.type},
      {"LastModifiedDate", p.last_modified},
      {"LastModifiedUser", p.last_modified_user},
      {"Value", p.value},
      {"Version", p.version},
      {"Labels", json_list(p.labels)},
      {"Tier", p.tier},
      {"Policies", policies_json(p.policies)},
      {"DataType", p.data_type},
  };
  add_optional_metadata(p, out);
  return out;
}

std::vector<std::string> string_list(const common::Json& input, const char* member) {
  std::vector<std::string> out;
  auto it = input.find(member);
  if (it == input.end() || !it->is_array()) return out;
  out.reserve(it->size());
  for (const auto& value : *it) out.push_back(value.get<std::string>());
  return out;
}

common::Json json_list(const std::vector<std::string>& values) {
  common::Json out = common::Json::array();
  for (const auto& v : values) out.push_back(v);
  return out;
}

std::vector<Tag> tags_from(const common::Json& input, const char* member) {
  std::vector<Tag> out;
  auto it = input.find(member);
  if (it == input.end() || !it->is_array()) return out;
  for (const auto& tag : *it) out.push_back(Tag{tag.value("Key", ""), tag.value("Value", "")});
  return out;
}

std::vector<ParameterFilter> filters_from(const common::Json& input, const char* member) {
  std::vector<ParameterFilter> out;
  auto it = input.find(member);
  if (it == input.end() || !it->is_array()) return out;
  for (const auto& f : *it)
    out.push_back(ParameterFilter{f.value("Key", ""), f.value("Option", ""), string_list(f, "Values")});
  return out;
}

}  // namespace ssm
