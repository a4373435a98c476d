// Policy documents: JSON -> Policy, validated the way IAM validates them, with IAM's
// MalformedPolicyDocument messages.
#include <string>
#include <string_view>
#include <utility>

#include "common/json.h"
#include "common/result.h"
#include "policy/internal.h"
#include "policy/policy.h"

namespace policy {
namespace {

using common::Json;
using Status = common::Status<>;

constexpr std::string_view kSyntaxErrors = "Syntax errors in policy.";
constexpr std::string_view kLegacyParsing = "The policy failed legacy parsing";
constexpr std::string_view kMissingEffect = "Missing required field Effect";
constexpr std::string_view kNoPrincipalAllowed = "Policy document should not specify a principal.";
constexpr std::string_view kMissingPrincipal = "Missing required field Principal";
constexpr std::string_view kMustContainActions = "Policy statement must contain actions.";
constexpr std::string_view kMustContainResources = "Policy statement must contain resources.";
constexpr std::string_view kVendorPrefix = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";

constexpr std::string_view kStatementKeys[] = {"Sid",         "Effect",    "Action",       "NotAction", "Resource",
                                               "NotResource", "Principal", "NotPrincipal", "Condition"};
constexpr std::string_view kPrincipalTypes[] = {"AWS", "Service", "Federated", "CanonicalUser"};

common::Unexpected<common::Error> malformed(std::string_view message) {
  return common::fail(common::make_error(common::ErrorKind::InvalidArgument, std::string(message)));
}

template <size_t N>
bool is_one_of(std::string_view name, const std::string_view (&names)[N]) {
  for (std::string_view candidate : names) {
    if (candidate == name) {
      return true;
    }
  }
  return false;
}

// A string or an array of strings; false for any other shape.
bool read_strings(const Json& value, std::vector<std::string>& out) {
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
    return true;
  }
  if (!value.is_array()) {
    return false;
  }
  for (const auto& item : value) {
    if (!item.is_string()) {
      return false;
    }
    out.push_back(item.get<std::string>());
  }
  return true;
}

// Condition values may be strings, numbers or booleans (alone or in an array); all become
// strings ("10", "true").
bool read_condition_values(const Json& value, std::vector<std::string>& out) {
  auto read_one = [&out](const Json& item) {
    if (item.is_string()) {
      out.push_back(item.get<std::string>());
      return true;
    }
    if (item.is_number() || item.is_boolean()) {
      out.push_back(item.dump());
      return true;
    }
    return false;
  };
  if (!value.is_array()) {
    return read_one(value);
  }
  for (const auto& item : value) {
    if (!read_one(item)) {
      return false;
    }
  }
  return true;
}

// "service:action" or "*"; condition keys use the same "vendor:" rule.
bool has_vendor_prefix(std::string_view name) {
  size_t colon = name.find(':');
  return colon != std::string_view::npos && colon > 0;
}

common::Result<PrincipalSet> parse_principal(const Json& value) {
  PrincipalSet set;
  if (value.is_string()) {
    if (value.get_ref<const std::string&>() != "*") {
      return malformed(kSyntaxErrors);
    }
    set.any = true;
    return set;
  }
  if (!value.is_object() || value.empty()) {
    return malformed(kSyntaxErrors);
  }
  for (const auto& [type, names] : value.items()) {
    std::vector<std::string> list;
    if (!is_one_of(type, kPrincipalTypes) || !read_strings(names, list) || list.empty()) {
      return malformed(kSyntaxErrors);
    }
    if (type == "AWS") {
      for (const auto& name : list) {
        set.any = set.any || name == "*";
      }
    }
    set.values.emplace(type, std::move(list));
  }
  return set;
}

Status parse_conditions(const Json& value, std::vector<Condition>& out) {
  if (!value.is_object()) {
    return malformed(kSyntaxErrors);
  }
  for (const auto& [op, entries] : value.items()) {
    internal::Operator parsed;
    if (!internal::parse_operator(op, parsed) || !entries.is_object()) {
      return malformed(kSyntaxErrors);
    }
    for (const auto& [key, values] : entries.items()) {
      if (!has_vendor_prefix(key)) {
        return malformed(kVendorPrefix);
      }
      Condition condition{op, key, {}};
      if (!read_condition_values(values, condition.values)) {
        return malformed(kSyntaxErrors);
      }
      out.push_back(std::move(condition));
    }
  }
  return common::ok();
}

Status parse_effect(const Json& statement, Statement& out) {
  auto effect = statement.find("Effect");
  if (effect == statement.end()) {
    return malformed(kMissingEffect);
  }
  // IAM rejects anything but the exact words (even "allow") with this legacy-parser message;
  // see hashicorp/terraform#10057.
  if (!effect->is_string()) {
    return malformed(kSyntaxErrors);
  }
  const auto& text = effect->get_ref<const std::string&>();
  if (text == "Allow") {
    out.effect = Effect::Allow;
  } else if (text == "Deny") {
    out.effect = Effect::Deny;
  } else {
    return malformed(kLegacyParsing);
  }
  return common::ok();
}

Status parse_principals(const Json& statement, PolicyKind kind, Statement& out) {
  auto principal = statement.find("Principal");
  auto not_principal = statement.find("NotPrincipal");
  bool has_principal = principal != statement.end();
  bool has_not_principal = not_principal != statement.end();
  if (kind == PolicyKind::Identity) {
    return (has_principal || has_not_principal) ? Status(malformed(kNoPrincipalAllowed)) : Status(common::ok());
  }
  if (has_principal && has_not_principal) {
    return malformed(kSyntaxErrors);
  }
  if (!has_principal && !has_not_principal) {
    return malformed(kMissingPrincipal);
  }
  auto parsed = parse_principal(has_principal ? *principal : *not_principal);
  if (!parsed) {
    return common::fail(std::move(parsed).error());
  }
  (has_principal ? out.principal : out.not_principal) = std::move(parsed).value();
  return common::ok();
}

Status parse_actions(const Json& statement, Statement& out) {
  auto action = statement.find("Action");
  auto not_action = statement.find("NotAction");
  if (action != statement.end() && not_action != statement.end()) {
    return malformed(kSyntaxErrors);
  }
  if (action == statement.end() && not_action == statement.end()) {
    return malformed(kMustContainActions);
  }
  out.not_action = not_action != statement.end();
  if (!read_strings(out.not_action ? *not_action : *action, out.actions)) {
    return malformed(kSyntaxErrors);
  }
  if (out.actions.empty()) {
    return malformed(kMustContainActions);
  }
  for (const auto& name : out.actions) {
    if (name != "*" && !has_vendor_prefix(name)) {
      return malformed(kVendorPrefix);
    }
  }
  return common::ok();
}

Status parse_resources(const Json& statement, PolicyKind kind, Statement& out) {
  auto resource = statement.find("Resource");
  auto not_resource = statement.find("NotResource");
  bool has_resource = resource != statement.end();
  bool has_not_resource = not_resource != statement.end();
  if (kind == PolicyKind::Trust) {
    if (has_resource) {
      return malformed("Has prohibited field Resource");
    }
    return has_not_resource ? Status(malformed("Has prohibited field NotResource")) : Status(common::ok());
  }
  if (has_resource && has_not_resource) {
    return malformed(kSyntaxErrors);
  }
  if (!has_resource && !has_not_resource) {
    // Resource policies may omit Resource: they apply to the resource they are attached to.
    return kind == PolicyKind::Identity ? Status(malformed(kMustContainResources)) : Status(common::ok());
  }
  out.has_resource = true;
  out.not_resource = has_not_resource;
  if (!read_strings(has_resource ? *resource : *not_resource, out.resources)) {
    return malformed(kSyntaxErrors);
  }
  return out.resources.empty() ? Status(malformed(kMustContainResources)) : Status(common::ok());
}

common::Result<Statement> parse_statement(const Json& value, PolicyKind kind) {
  if (!value.is_object()) {
    return malformed(kSyntaxErrors);
  }
  for (const auto& [key, item] : value.items()) {
    if (!is_one_of(key, kStatementKeys)) {
      return malformed(kSyntaxErrors);
    }
  }
  Statement statement;
  if (auto sid = value.find("Sid"); sid != value.end()) {
    if (!sid->is_string()) {
      return malformed(kSyntaxErrors);
    }
    statement.sid = sid->get<std::string>();
  }
  if (auto status = parse_effect(value, statement); !status) {
    return common::fail(std::move(status).error());
  }
  if (auto status = parse_principals(value, kind, statement); !status) {
    return common::fail(std::move(status).error());
  }
  if (auto status = parse_actions(value, statement); !status) {
    return common::fail(std::move(status).error());
  }
  if (auto status = parse_resources(value, kind, statement); !status) {
    return common::fail(std::move(status).error());
  }
  if (auto condition = value.find("Condition"); condition != value.end()) {
    if (auto status = parse_conditions(*condition, statement.conditions); !status) {
      return common::fail(std::move(status).error());
    }
  }
  return statement;
}

}  // namespace

common::Result<Policy> parse(std::string_view document, PolicyKind kind) {
  Json root = Json::parse(document, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return malformed(kSyntaxErrors);
  }
  Policy policy;
  for (const auto& [key, item] : root.items()) {
    if (key == "Version") {
      if (!item.is_string() || (item != "2012-10-17" && item != "2008-10-17")) {
        return malformed(kLegacyParsing);
      }
      policy.version = item.get<std::string>();
    } else if (key == "Id") {
      if (!item.is_string()) {
        return malformed(kSyntaxErrors);
      }
    } else if (key != "Statement") {
      return malformed(kSyntaxErrors);
    }
  }
  auto statements = root.find("Statement");
  if (statements == root.end() || (!statements->is_object() && !statements->is_array()) ||
      (statements->is_array() && statements->empty())) {
    return malformed(kSyntaxErrors);
  }
  if (statements->is_object()) {
    auto statement = parse_statement(*statements, kind);
    if (!statement) {
      return common::fail(std::move(statement).error());
    }
    policy.statements.push_back(std::move(statement).value());
    return policy;
  }
  for (const auto& item : *statements) {
    auto statement = parse_statement(item, kind);
    if (!statement) {
      return common::fail(std::move(statement).error());
    }
    policy.statements.push_back(std::move(statement).value());
  }
  return policy;
}

}  // namespace policy
