// Internal seams of the policy module, shared by its .cc files and its tests. Not part of the
// contract in policy.h: other modules include policy.h only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.h"

namespace policy::internal {

// Wildcard match ('*' any run, '?' one character). When `escaped`, a backslash makes the next
// character literal; substituted policy variables (${*}, user names) are escaped that way.
bool pattern_match(std::string_view pattern, std::string_view value, bool case_insensitive, bool escaped);
// Component-wise ARN match (partition, service, region, account, resource); see arn_like().
bool arn_match(std::string_view pattern, std::string_view arn, bool escaped);

// IpAddress: whether `address` lies in `range` ("10.0.0.0/8", "2001:db8::/32", or a bare
// address meaning /32 or /128). False when either does not parse or the families differ.
bool ip_in_range(std::string_view range, std::string_view address);

// Case-insensitive lookup of a condition key; nullptr when the request does not carry it.
const std::vector<std::string>* find_key(const EvalContext& context, std::string_view key);

enum class Resolution { Unchanged, Substituted, Unresolved };
// Replaces ${key}, ${key, 'default'}, ${*}, ${?} and ${$} in `text`. Unchanged: `text` has no
// variable and `out` is untouched (the common case, no allocation). Substituted: `out` holds
// the result, with substituted '*', '?' and '\' (and the text's own '\') backslash-escaped
// when `for_pattern`. Unresolved: a key is missing and has no default.
Resolution substitute(std::string_view text, const EvalContext& context, bool for_pattern, std::string& out);

// Condition operators, parsed from their written form.
enum class OperatorFamily { String, StringIgnoreCase, StringLike, Numeric, Date, Bool, Binary, Ip, Arn, Null };
enum class Comparison { Equals, LessThan, LessThanEquals, GreaterThan, GreaterThanEquals };
enum class SetQualifier { None, ForAnyValue, ForAllValues };

struct Operator {
  OperatorFamily family = OperatorFamily::String;
  Comparison comparison = Comparison::Equals;
  bool negated = false;  // StringNotEquals, NotIpAddress, ArnNotLike, NumericNotEquals, ...
  bool if_exists = false;
  SetQualifier set = SetQualifier::None;
};

// False when `written` is not an operator IAM knows (names compared case-insensitively).
bool parse_operator(std::string_view written, Operator& out);

// One condition entry against the request; `variables` enables ${...} in its values.
bool condition_matches(const Condition& condition, const EvalContext& context, bool variables);

// Whether the caller is one of the principals named in `set`.
bool principal_matches(const PrincipalSet& set, const EvalContext& context);

}  // namespace policy::internal
