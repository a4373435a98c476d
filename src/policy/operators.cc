// Condition operator names: "ForAnyValue:StringLikeIfExists" -> Operator.
#include <array>
#include <string_view>

#include "common/strings.h"
#include "policy/internal.h"

namespace policy::internal {
namespace {

struct BaseOperator {
  std::string_view name;
  OperatorFamily family;
  Comparison comparison;
  bool negated;
};

constexpr std::array<BaseOperator, 27> kBaseOperators{{
    {"StringEquals", OperatorFamily::String, Comparison::Equals, false},
    {"StringNotEquals", OperatorFamily::String, Comparison::Equals, true},
    {"StringEqualsIgnoreCase", OperatorFamily::StringIgnoreCase, Comparison::Equals, false},
    {"StringNotEqualsIgnoreCase", OperatorFamily::StringIgnoreCase, Comparison::Equals, true},
    {"StringLike", OperatorFamily::StringLike, Comparison::Equals, false},
    {"StringNotLike", OperatorFamily::StringLike, Comparison::Equals, true},
    {"NumericEquals", OperatorFamily::Numeric, Comparison::Equals, false},
    {"NumericNotEquals", OperatorFamily::Numeric, Comparison::Equals, true},
    {"NumericLessThan", OperatorFamily::Numeric, Comparison::LessThan, false},
    {"NumericLessThanEquals", OperatorFamily::Numeric, Comparison::LessThanEquals, false},
    {"NumericGreaterThan", OperatorFamily::Numeric, Comparison::GreaterThan, false},
    {"NumericGreaterThanEquals", OperatorFamily::Numeric, Comparison::GreaterThanEquals, false},
    {"DateEquals", OperatorFamily::Date, Comparison::Equals, false},
    {"DateNotEquals", OperatorFamily::Date, Comparison::Equals, true},
    {"DateLessThan", OperatorFamily::Date, Comparison::LessThan, false},
    {"DateLessThanEquals", OperatorFamily::Date, Comparison::LessThanEquals, false},
    {"DateGreaterThan", OperatorFamily::Date, Comparison::GreaterThan, false},
    {"DateGreaterThanEquals", OperatorFamily::Date, Comparison::GreaterThanEquals, false},
    {"Bool", OperatorFamily::Bool, Comparison::Equals, false},
    {"BinaryEquals", OperatorFamily::Binary, Comparison::Equals, false},
    {"IpAddress", OperatorFamily::Ip, Comparison::Equals, false},
    {"NotIpAddress", OperatorFamily::Ip, Comparison::Equals, true},
    // AWS documents ArnEquals as behaving exactly like ArnLike (wildcards per field).
    {"ArnEquals", OperatorFamily::Arn, Comparison::Equals, false},
    {"ArnLike", OperatorFamily::Arn, Comparison::Equals, false},
    {"ArnNotEquals", OperatorFamily::Arn, Comparison::Equals, true},
    {"ArnNotLike", OperatorFamily::Arn, Comparison::Equals, true},
    {"Null", OperatorFamily::Null, Comparison::Equals, false},
}};

constexpr std::string_view kForAnyValue = "ForAnyValue:";
constexpr std::string_view kForAllValues = "ForAllValues:";
constexpr std::string_view kIfExists = "IfExists";

bool ends_with_icase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && common::iequals(s.substr(s.size() - suffix.size()), suffix);
}

}  // namespace

// Names are compared case-insensitively: lenient where IAM's own rule is undocumented.
bool parse_operator(std::string_view written, Operator& out) {
  Operator op;
  if (common::starts_with_icase(written, kForAnyValue)) {
    op.set = SetQualifier::ForAnyValue;
    written.remove_prefix(kForAnyValue.size());
  } else if (common::starts_with_icase(written, kForAllValues)) {
    op.set = SetQualifier::ForAllValues;
    written.remove_prefix(kForAllValues.size());
  }
  if (ends_with_icase(written, kIfExists)) {
    op.if_exists = true;
    written.remove_suffix(kIfExists.size());
  }
  for (const auto& base : kBaseOperators) {
    if (!common::iequals(base.name, written)) {
      continue;
    }
    // Null tests presence itself: neither IfExists nor a set qualifier makes sense on it.
    if (base.family == OperatorFamily::Null && (op.if_exists || op.set != SetQualifier::None)) {
      return false;
    }
    op.family = base.family;
    op.comparison = base.comparison;
    op.negated = base.negated;
    out = op;
    return true;
  }
  return false;
}

}  // namespace policy::internal
