// Condition evaluation: one (operator, key, values) entry against the request context.
#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/strings.h"
#include "policy/internal.h"

namespace policy::internal {
namespace {

bool parse_number(std::string_view text, double& out) {
  text = common::trim(text);
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  if (text.empty()) {
    return false;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Date operators accept ISO-8601 (and the other forms parse_timestamp knows) or epoch seconds.
bool parse_date(std::string_view text, double& out) {
  if (parse_number(text, out)) {
    return true;
  }
  auto time = common::parse_timestamp(common::trim(text));
  if (!time) {
    return false;
  }
  out = common::to_epoch_seconds(*time);
  return true;
}

bool compare(Comparison comparison, double request, double policy) {
  switch (comparison) {
    case Comparison::Equals: return request == policy;
    case Comparison::LessThan: return request < policy;
    case Comparison::LessThanEquals: return request <= policy;
    case Comparison::GreaterThan: return request > policy;
    case Comparison::GreaterThanEquals: return request >= policy;
  }
  return false;
}

// The policy holds base64. The request side may carry either the raw bytes or base64 of
// them (callers differ), so both are accepted.
bool binary_equals(std::string_view policy, std::string_view request) {
  if (policy == request) {
    return true;
  }
  std::string decoded;
  return common::base64_decode(policy, decoded) && decoded == request;
}

// The positive (non-negated) test of one request value against one policy value.
bool value_matches(const Operator& op, std::string_view request, std::string_view policy, bool escaped) {
  double request_number = 0;
  double policy_number = 0;
  switch (op.family) {
    case OperatorFamily::String: return request == policy;
    case OperatorFamily::StringIgnoreCase: return common::iequals(request, policy);
    case OperatorFamily::StringLike: return pattern_match(policy, request, false, escaped);
    case OperatorFamily::Numeric:
      return parse_number(request, request_number) && parse_number(policy, policy_number) &&
             compare(op.comparison, request_number, policy_number);
    case OperatorFamily::Date:
      return parse_date(request, request_number) && parse_date(policy, policy_number) &&
             compare(op.comparison, request_number, policy_number);
    case OperatorFamily::Bool: return common::iequals(request, policy);
    case OperatorFamily::Binary: return binary_equals(policy, request);
    case OperatorFamily::Ip: return ip_in_range(policy, request);
    case OperatorFamily::Arn: return arn_match(policy, request, escaped);
    case OperatorFamily::Null: return false;  // handled before values are compared
  }
  return false;
}

// Policy values with their ${...} variables resolved lazily into one scratch buffer, so a
// condition without variables never allocates.
struct PolicyValues {
  const std::vector<std::string>& values;
  const EvalContext& context;
  bool variables;
  bool for_pattern;
  std::string& scratch;
};

bool any_policy_value_matches(const Operator& op, std::string_view request, const PolicyValues& policy) {
  for (const auto& written : policy.values) {
    std::string_view value = written;
    bool escaped = false;
    if (policy.variables) {
      Resolution resolution = substitute(written, policy.context, policy.for_pattern, policy.scratch);
      if (resolution == Resolution::Unresolved) {
        continue;
      }
      if (resolution == Resolution::Substituted) {
        value = policy.scratch;
        escaped = policy.for_pattern;
      }
    }
    if (value_matches(op, request, value, escaped)) {
      return true;
    }
  }
  return false;
}

bool has_unresolved_variable(const PolicyValues& policy) {
  for (const auto& written : policy.values) {
    if (substitute(written, policy.context, policy.for_pattern, policy.scratch) == Resolution::Unresolved) {
      return true;
    }
  }
  return false;
}

// "Null": {"k": "true"} holds when k is absent, "false" when present; listed values are ORed.
bool null_matches(const std::vector<std::string>& values, bool absent) {
  return std::any_of(values.begin(), values.end(), [absent](const std::string& value) {
    return common::iequals(value, "true") ? absent : (common::iequals(value, "false") && !absent);
  });
}

}  // namespace

bool condition_matches(const Condition& condition, const EvalContext& context, bool variables) {
  Operator op;
  if (!parse_operator(condition.op, op)) {
    return false;
  }
  const std::vector<std::string>* request = find_key(context, condition.key);
  bool absent = request == nullptr || request->empty();
  if (op.family == OperatorFamily::Null) {
    return null_matches(condition.values, absent);
  }
  if (absent) {
    if (op.if_exists) {
      return true;
    }
    switch (op.set) {
      case SetQualifier::ForAnyValue: return false;
      case SetQualifier::ForAllValues: return true;  // vacuously: no request value fails (AWS pairs it with Null:false)
      case SetQualifier::None: return op.negated;    // "differs from every listed value" holds for a missing key
    }
  }

  std::string scratch;
  PolicyValues policy{condition.values, context, variables,
                      op.family == OperatorFamily::StringLike || op.family == OperatorFamily::Arn, scratch};
  // A variable whose key is missing (and has no default) makes the condition false rather
  // than letting the value silently drop out of the list.
  if (variables && has_unresolved_variable(policy)) {
    return false;
  }
  auto single = [&](const std::string& value) { return any_policy_value_matches(op, value, policy) != op.negated; };
  switch (op.set) {
    case SetQualifier::ForAnyValue: return std::any_of(request->begin(), request->end(), single);
    case SetQualifier::ForAllValues: return std::all_of(request->begin(), request->end(), single);
    case SetQualifier::None:
      // A plain operator on a multi-valued key is not defined by AWS (aws-behaviour.md 2.5).
      // Positive operators hold when any request value matches any policy value, so a push
      // touching main and feature together still hits a deny on main. Negated operators hold
      // when no request value matches any policy value, which keeps "StringNotEquals" meaning
      // "differs from every listed value" for each value the request carries.
      return op.negated ? std::all_of(request->begin(), request->end(), single)
                        : std::any_of(request->begin(), request->end(), single);
  }
  return false;
}

}  // namespace policy::internal
