// JSON filter patterns: `{ $.a.b = "x*" && ($.n > 3 || $.list[*].id = %^a%) }`.
#include <cctype>

#include "services/logs/model/filter_internal.h"

namespace logs::filter {
namespace {

using Json = common::Json;

bool selector_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '@' || c == '$' || c == '.' ||
         c == '[' || c == ']' || c == '*' || c == ':';
}

// One step of a selector: a member, an index, or every element ([*]).
struct Step {
  enum class Kind { Member, Index, Every } kind = Kind::Member;
  std::string name;
  size_t index = 0;
};

bool split_selector(std::string_view selector, std::vector<Step>& steps) {
  if (selector.empty() || selector[0] != '$') return false;
  size_t i = 1;
  while (i < selector.size()) {
    if (selector[i] == '.') {
      size_t start = ++i;
      while (i < selector.size() && selector[i] != '.' && selector[i] != '[') ++i;
      if (i == start) return false;
      steps.push_back(Step{Step::Kind::Member, std::string(selector.substr(start, i - start)), 0});
    } else if (selector[i] == '[') {
      size_t close = selector.find(']', i);
      if (close == std::string_view::npos || close == i + 1) return false;
      std::string_view inside = selector.substr(i + 1, close - i - 1);
      Step step;
      if (inside == "*") {
        step.kind = Step::Kind::Every;
      } else {
        step.kind = Step::Kind::Index;
        for (char c : inside) {
          if (!std::isdigit(static_cast<unsigned char>(c))) return false;
          step.index = step.index * 10 + static_cast<size_t>(c - '0');
        }
      }
      steps.push_back(step);
      i = close + 1;
    } else {
      return false;
    }
  }
  return true;
}

// Every value `selector` names in `document` (several through [*]).
void select(const Json& document, const std::vector<Step>& steps, size_t at, std::vector<const Json*>& out) {
  if (at == steps.size()) {
    out.push_back(&document);
    return;
  }
  const Step& step = steps[at];
  switch (step.kind) {
    case Step::Kind::Member:
      if (document.is_object()) {
        if (auto it = document.find(step.name); it != document.end()) select(*it, steps, at + 1, out);
      }
      return;
    case Step::Kind::Index:
      if (document.is_array() && step.index < document.size()) select(document[step.index], steps, at + 1, out);
      return;
    case Step::Kind::Every:
      if (document.is_array()) {
        for (const auto& element : document) select(element, steps, at + 1, out);
      }
      return;
  }
}

// A JSON value's text for string comparisons: strings as they are, the rest as JSON.
std::string text_of(const Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

bool compare(const Json& field, Op op, const Value& value) {
  if (field.is_object() || field.is_array()) return false;
  std::optional<double> number;
  if (field.is_number()) number = field.get<double>();
  // A quoted or wildcard literal compares with strings only; a number literal with numbers
  // (and with a string spelling that number: "404" = 404).
  if (field.is_string() && value.number && !value.regex) number = parse_number(field.get_ref<const std::string&>());
  if (op == Op::Lt || op == Op::Gt || op == Op::Le || op == Op::Ge) {
    if (!field.is_number()) return false;
  }
  return compare_text(text_of(field), number, op, value);
}

}  // namespace

bool read_selector(Cursor& cursor, std::string& out) {
  cursor.skip_space();
  size_t start = cursor.pos;
  // "$.a=1": the operator ends the selector even without blanks around it.
  while (cursor.pos < cursor.text.size() && selector_char(cursor.text[cursor.pos])) ++cursor.pos;
  out = std::string(cursor.text.substr(start, cursor.pos - start));
  if (!valid_selector(out)) return cursor.fail("invalid JSON selector '" + out + "' (selectors start with '$.')");
  return true;
}

bool valid_selector(std::string_view selector) {
  std::vector<Step> steps;
  return split_selector(selector, steps) && !steps.empty();
}

bool evaluate_json(const Condition& condition, const Json& document) {
  switch (condition.kind) {
    case Condition::Kind::And:
      for (const auto& child : condition.children) {
        if (!evaluate_json(child, document)) return false;
      }
      return true;
    case Condition::Kind::Or:
      for (const auto& child : condition.children) {
        if (evaluate_json(child, document)) return true;
      }
      return false;
    default: break;
  }
  std::vector<Step> steps;
  split_selector(condition.field, steps);
  std::vector<const Json*> values;
  select(document, steps, 0, values);
  if (condition.kind == Condition::Kind::NotExists) return values.empty();
  for (const Json* value : values) {
    switch (condition.kind) {
      case Condition::Kind::IsTrue:
        if (value->is_boolean() && value->get<bool>()) return true;
        break;
      case Condition::Kind::IsFalse:
        if (value->is_boolean() && !value->get<bool>()) return true;
        break;
      case Condition::Kind::IsNull:
        if (value->is_null()) return true;
        break;
      case Condition::Kind::Compare:
        if (compare(*value, condition.op, condition.value)) return true;
        break;
      default: break;
    }
  }
  return false;
}

}  // namespace logs::filter
