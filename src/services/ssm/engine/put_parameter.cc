// PutParameter: validation of the request against the existing parameter, tier choice,
// the 100-version window, encryption and the write itself, in one transaction.
#include <fmt/format.h>

#include <regex>

#include "common/json.h"
#include "services/ssm/engine/ssm_engine.h"
#include "services/ssm/model/allowed_pattern.h"
#include "services/ssm/model/name.h"

namespace ssm {
namespace {

Error invalid(std::string message) { return make_error(Reason::InvalidInput, std::move(message)); }

bool valid_key_id(std::string_view key_id) {
  static const std::regex kKeyId(
      "alias/[a-zA-Z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|"
      "arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key/[a-zA-Z0-9-]+|alias/[a-zA-Z0-9/_-]+)");
  return std::regex_match(key_id.begin(), key_id.end(), kKeyId);
}

// Policies are stored as given ([{Type, Version, Attributes}]) and reported with status Pending;
// hakobu does not act on them (no expiry), which is noted in the README.
Result<std::string> parse_policies(const std::string& text) {
  common::Json policies = common::Json::parse(text, nullptr, false);
  if (policies.is_discarded() || !policies.is_array()) {
    return common::fail(make_error(Reason::BadPolicyAttribute, "The policies are not valid JSON: " + text));
  }
  if (policies.size() > 10) {
    return common::fail(make_error(Reason::TooManyPolicies,
                                   "You specified more than the maximum number of "
                                   "allowed policies for the parameter (10)."));
  }
  common::Json out = common::Json::array();
  int expirations = 0;
  for (const common::Json& policy : policies) {
    std::string type = policy.is_object() ? policy.value("Type", "") : "";
    if (type != "Expiration" && type != "ExpirationNotification" && type != "NoChangeNotification") {
      return common::fail(make_error(Reason::BadPolicyType,
                                     "The policy type is not supported. Parameter Store supports the following "
                                     "policy types: Expiration, ExpirationNotification, and NoChangeNotification."));
    }
    if (!policy.contains("Attributes") || !policy["Attributes"].is_object()) {
      return common::fail(make_error(Reason::BadPolicyAttribute, "A policy attribute or its value is invalid."));
    }
    if (type == "Expiration" && ++expirations > 1) {
      return common::fail(make_error(Reason::IncompatiblePolicy,
                                     "There is a conflict in the policies specified for this parameter. You can't, "
                                     "for example, specify two Expiration policies for a parameter."));
    }
    out.push_back({{"PolicyText", policy.dump()}, {"PolicyType", type}, {"PolicyStatus", "Pending"}});
  }
  return out.dump();
}

// Standard/Advanced from the request, the existing version and the value.
Result<std::string> choose_tier(const std::optional<std::string>& requested, const ParameterVersion* existing,
                                size_t value_size, bool has_policies) {
  bool was_advanced = existing != nullptr && existing->tier == "Advanced";
  std::string tier = requested.value_or(existing != nullptr ? existing->tier : "Standard");
  if (tier == "Intelligent-Tiering") {
    tier = (was_advanced || value_size > kStandardValueLimit || has_policies) ? "Advanced" : "Standard";
  }
  if (tier == "Standard" && was_advanced) {
    return common::fail(invalid(
        "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the "
        "advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter "
        "and recreate it as a standard parameter."));
  }
  if (tier == "Standard" && value_size > kStandardValueLimit) {
    return common::fail(invalid(
        "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger "
        "parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see "
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html"));
  }
  if (tier == "Advanced" && value_size > kAdvancedValueLimit) {
    return common::fail(invalid("Advanced tier parameters support a maximum parameter value of 8192 characters."));
  }
  if (tier == "Standard" && has_policies) {
    return common::fail(make_error(Reason::IncompatiblePolicy,
                                   "Parameter policies are supported only for the advanced-parameter tier. Use "
                                   "Tier=Advanced or Tier=Intelligent-Tiering."));
  }
  return tier;
}

}  // namespace

Result<PutParameterOutput> SsmEngine::put_parameter(const Scope& scope, PutParameterInput&& input) {
  std::string name(trim_name(input.name));
  if (auto r = check_parameter_name(name, scope.region, scope.account); !r.ok()) return common::fail(r.error());
  if (input.value.empty()) {
    return common::fail(
        invalid("1 validation error detected: Value at 'value' failed to satisfy constraint: Member "
                "must have length greater than or equal to 1"));
  }
  if (input.overwrite && input.tags && !input.tags->empty()) {
    return common::fail(invalid(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove "
        "overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or "
        "RemoveTagsFromResource."));
  }
  if (input.data_type && !is_data_type(*input.data_type)) {
    return common::fail(
        invalid(fmt::format("The following data type is not supported: {} (Data type names are all "
                            "lowercase.)",
                            *input.data_type)));
  }
  if (input.tags && input.tags->size() > kMaxTagsPerResource) {
    return common::fail(make_error(Reason::TooManyTags, "A parameter can have at most 50 tags."));
  }
  std::string policies;
  if (input.policies) {
    auto parsed = parse_policies(*input.policies);
    if (!parsed.ok()) return common::fail(parsed.error());
    policies = std::move(*parsed);
  }
  if (input.key_id && !valid_key_id(*input.key_id)) {
    return common::fail(make_error(Reason::BadKeyId, "Invalid keyId " + *input.key_id));
  }
  // The key is committed on its own, before this write, so a rollback never strands it.
  if (input.type.value_or("SecureString") == "SecureString") {
    if (auto r = secure_.ensure_key(scope); !r.ok()) return common::fail(r.error());
  }

  std::string key(name_key(name));
  store::Transaction tx(db_, store::Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(storage_error(tx.error()));
  auto existing_row = repo_.latest(scope, key);
  if (!existing_row.ok()) return common::fail(existing_row.error());
  const ParameterVersion* existing = existing_row->has_value() ? &**existing_row : nullptr;
  if (existing != nullptr && !input.overwrite) {
    return common::fail(make_error(Reason::AlreadyExists,
                                   "The parameter already exists. To overwrite this value, set "
                                   "the overwrite option in the request to true."));
  }
  if (existing == nullptr && !input.type) {
    return common::fail(invalid("A parameter type is required when you create a parameter."));
  }

  ParameterVersion next;
  next.name = existing != nullptr ? existing->name : name;
  next.version = existing != nullptr ? existing->version + 1 : 1;
  next.type = input.type ? *input.type : existing->type;
  next.last_modified = common::to_epoch_seconds(clock_.now());
  next.last_modified_user = std::move(input.user);
  next.description = input.description ? *input.description : (existing != nullptr ? existing->description : "");
  next.allowed_pattern =
      input.allowed_pattern ? *input.allowed_pattern : (existing != nullptr ? existing->allowed_pattern : "");
  next.data_type = input.data_type ? *input.data_type : (existing != nullptr ? existing->data_type : "text");
  next.policies = input.policies ? policies : (existing != nullptr ? existing->policies : "");
  if (next.type == "SecureString") {
    bool keep = existing != nullptr && existing->type == "SecureString";
    next.key_id = input.key_id ? *input.key_id : (keep ? existing->key_id : std::string(kDefaultKeyId));
  }
  bool has_policies = !next.policies.empty() && next.policies != "[]";
  auto tier = choose_tier(input.tier, existing, input.value.size(), has_policies);
  if (!tier.ok()) return common::fail(tier.error());
  next.tier = std::move(*tier);

  if (next.data_type == "aws:ec2:image") {
    if (next.type != "String") {
      return common::fail(make_error(Reason::UnsupportedType,
                                     "The aws:ec2:image data type is supported only for "
                                     "String parameters."));
    }
    static const std::regex kAmi("ami-([0-9a-f]{8}|[0-9a-f]{17})");
    if (!std::regex_match(input.value, kAmi)) {
      return common::fail(
          invalid(fmt::format("Parameter value, {}, is not a valid Amazon Machine Image (AMI) ID. "
                              "The format is ami-12345678 or ami-1234567890abcdef0.",
                              input.value)));
    }
  }
  if (!next.allowed_pattern.empty()) {
    auto matched = allowed_pattern_matches(next.allowed_pattern, input.value);
    if (!matched) {
      return common::fail(make_error(Reason::BadAllowedPattern, "The allowed pattern " + next.allowed_pattern +
                                                                    " is not a valid regular "
                                                                    "expression."));
    }
    if (!*matched) {
      return common::fail(make_error(Reason::PatternMismatch,
                                     "Parameter value, cannot be validated against "
                                     "allowedPattern: " +
                                         next.allowed_pattern));
    }
  }

  if (existing == nullptr) {
    bool advanced = next.tier == "Advanced";
    auto count = repo_.count(scope, next.tier);
    if (!count.ok()) return common::fail(count.error());
    if (*count >= (advanced ? kMaxAdvancedParameters : kMaxStandardParameters)) {
      return common::fail(make_error(Reason::TooManyParameters,
                                     "You have exceeded the number of parameters for this AWS account. Delete "
                                     "unnecessary parameters and try again."));
    }
  } else {
    auto kept = repo_.version_count(scope, key);
    if (!kept.ok()) return common::fail(kept.error());
    if (*kept >= kMaxVersions) {
      auto oldest = repo_.oldest_version(scope, key);
      if (!oldest.ok()) return common::fail(oldest.error());
      auto labels = repo_.labels_of(scope, key, *oldest);
      if (!labels.ok()) return common::fail(labels.error());
      if (!labels->empty()) {
        return common::fail(make_error(
            Reason::VersionLimit,
            fmt::format("You attempted to create a new version of {} by calling the PutParameter API with the "
                        "overwrite flag. Version {}, the oldest version, can't be deleted because it has a label "
                        "associated with it. Move the label to another version of the parameter, and try creating a "
                        "new version again.",
                        next.name, *oldest)));
      }
      if (auto r = repo_.delete_version(scope, key, *oldest); !r.ok()) return common::fail(r.error());
    }
  }

  if (next.type == "SecureString") {
    auto sealed = secure_.encrypt(scope, next.key_id, key, input.value);
    if (!sealed.ok()) return common::fail(sealed.error());
    next.value = std::move(*sealed);
  } else {
    next.value = std::move(input.value);
  }
  if (auto r = repo_.insert_version(scope, key, next); !r.ok()) return common::fail(r.error());
  auto linked = existing != nullptr ? repo_.set_latest(scope, key, next.version)
                                    : repo_.insert_parameter(scope, key, next.name, next.version);
  if (!linked.ok()) return common::fail(linked.error());
  if (existing == nullptr && input.tags) {
    for (const Tag& tag : *input.tags) {
      if (auto r = repo_.put_tag(scope, key, tag); !r.ok()) return common::fail(r.error());
    }
  }
  if (auto r = tx.commit(); !r.ok()) return common::fail(storage_error(r.error()));
  latest_.invalidate();
  return PutParameterOutput{next.version, next.tier};
}

}  // namespace ssm
