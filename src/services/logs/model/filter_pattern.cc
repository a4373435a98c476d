// FilterPattern: picks the form by the first character and matches term patterns; JSON and
// space-delimited patterns are in filter_json.cc and filter_delimited.cc.
#include "services/logs/model/filter_pattern.h"

#include <cctype>
#include <variant>
#include <vector>

#include "services/logs/model/filter_internal.h"

namespace logs {
namespace {

using filter::Cursor;

// One term of an unstructured pattern: a substring (or %regex%) that must, may or must not
// appear.
struct Term {
  enum class Role { Required, Optional, Excluded } role = Role::Required;
  std::string text;
  std::optional<Regex> regex;

  bool found_in(std::string_view message) const {
    return regex ? regex->search(message) : message.find(text) != std::string_view::npos;
  }
};

struct Terms {
  std::vector<Term> terms;
};

struct JsonPattern {
  filter::Condition condition;
};

struct DelimitedPattern {
  std::vector<filter::FieldSpec> fields;
};

bool parse_terms(Cursor& cursor, Terms& out) {
  while (!cursor.at_end()) {
    Term term;
    char lead = cursor.peek();
    // "?" and "-" mark a term only when a term follows them; alone they are the term.
    if ((lead == '?' || lead == '-') && cursor.pos + 1 < cursor.text.size() &&
        !std::isspace(static_cast<unsigned char>(cursor.text[cursor.pos + 1]))) {
      term.role = lead == '?' ? Term::Role::Optional : Term::Role::Excluded;
      ++cursor.pos;
    }
    filter::Value value;
    if (!filter::read_value(cursor, "", value)) return false;
    term.text = std::move(value.text);
    term.regex = std::move(value.regex);
    out.terms.push_back(std::move(term));
  }
  return true;
}

bool matches_terms(const Terms& pattern, std::string_view message) {
  bool has_optional = false;
  bool optional_found = false;
  for (const Term& term : pattern.terms) {
    switch (term.role) {
      case Term::Role::Required:
        if (!term.found_in(message)) return false;
        break;
      case Term::Role::Excluded:
        if (term.found_in(message)) return false;
        break;
      case Term::Role::Optional:
        has_optional = true;
        optional_found = optional_found || term.found_in(message);
        break;
    }
  }
  return !has_optional || optional_found;
}

}  // namespace

struct FilterPattern::Impl {
  std::variant<Terms, JsonPattern, DelimitedPattern> form;
};

common::Result<FilterPattern, std::string> FilterPattern::parse(std::string_view text) {
  Cursor cursor;
  cursor.text = text;
  auto impl = std::make_shared<Impl>();
  bool ok = true;
  char first = cursor.peek();
  if (first == '{') {
    cursor.take("{");
    JsonPattern pattern;
    ok = filter::parse_condition(cursor, filter::read_selector, true, pattern.condition) &&
         (cursor.take("}") || cursor.fail("a JSON pattern ends with '}'"));
    impl->form = std::move(pattern);
  } else if (first == '[') {
    DelimitedPattern pattern;
    ok = filter::parse_delimited(cursor, pattern.fields);
    impl->form = std::move(pattern);
  } else {
    Terms pattern;
    ok = parse_terms(cursor, pattern);
    impl->form = std::move(pattern);
  }
  if (ok && !cursor.at_end()) ok = cursor.fail("unexpected text at offset " + std::to_string(cursor.pos));
  if (!ok) return common::fail("Invalid filter pattern: " + cursor.error);
  return FilterPattern(std::move(impl));
}

bool FilterPattern::matches_everything() const {
  const auto* terms = std::get_if<Terms>(&impl_->form);
  return terms != nullptr && terms->terms.empty();
}

bool FilterPattern::matches(std::string_view message) const {
  if (const auto* terms = std::get_if<Terms>(&impl_->form)) return matches_terms(*terms, message);
  if (const auto* delimited = std::get_if<DelimitedPattern>(&impl_->form)) {
    return filter::match_delimited(delimited->fields, message);
  }
  const auto& json = std::get<JsonPattern>(impl_->form);
  size_t start = message.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || (message[start] != '{' && message[start] != '[')) return false;
  auto document = common::Json::parse(message.substr(start), nullptr, /*allow_exceptions=*/false);
  return !document.is_discarded() && filter::evaluate_json(json.condition, document);
}

}  // namespace logs
