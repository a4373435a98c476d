// What the filter pattern parsers share: a cursor over the pattern text, literal values
// (strings with '*' wildcards, numbers, %regex%), comparison operators and the condition tree
// of JSON and space-delimited patterns. Internal to model/filter_*.cc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "services/logs/model/regex.h"

namespace logs::filter {

// Reads the pattern left to right; `error` holds the first problem found.
struct Cursor {
  std::string_view text;
  size_t pos = 0;
  std::string error;

  void skip_space();
  bool at_end() { return skip_space(), pos >= text.size(); }
  char peek() { return at_end() ? '\0' : text[pos]; }
  // Consumes `token` (after blanks) when it is next.
  bool take(std::string_view token);
  // Consumes a keyword (IS, NOT, TRUE...) matched without regard to case, when next and whole.
  bool take_word(std::string_view word);
  bool fail(std::string message) {
    if (error.empty()) error = std::move(message);
    return false;
  }
};

enum class Op { Eq, Ne, Lt, Gt, Le, Ge };

// A literal on the right of an operator.
struct Value {
  std::string text;              // unquoted text; '*' is a wildcard in string comparisons
  std::optional<double> number;  // set when the literal is an unquoted number
  std::optional<Regex> regex;    // %...%
};

// Reads `"quoted"` (\" and \\ escapes), `%regex%` or a bare word up to a blank or one of
// `stops`. False (cursor error set) when there is none.
bool read_value(Cursor& cursor, std::string_view stops, Value& out);
// Reads = != < > <= >=.
bool read_op(Cursor& cursor, Op& out);
// A `*` wildcard pattern against the whole of `text`.
bool wildcard_match(std::string_view pattern, std::string_view text);
// Number parsing as filter patterns read field values ("404", "-1.5e3"); whole text only.
std::optional<double> parse_number(std::string_view text);

// `field op value` against a field's text (and its number, when it has one).
bool compare_text(std::string_view field, std::optional<double> field_number, Op op, const Value& value);

struct Condition {
  enum class Kind { And, Or, Compare, IsTrue, IsFalse, IsNull, NotExists };
  Kind kind = Kind::Compare;
  std::vector<Condition> children;  // And, Or
  std::string field;                // JSON selector ("$.a[0]") or delimited field name
  Op op = Op::Eq;
  Value value;
};

// expression := and ('||' and)* ; and := unary ('&&' unary)* ; unary := '(' expression ')' |
// field test. `read_field` reads a field name at the cursor (selector or identifier);
// `allow_is` admits IS TRUE/FALSE/NULL and NOT EXISTS (JSON only).
using FieldReader = bool (*)(Cursor&, std::string&);
bool parse_condition(Cursor& cursor, FieldReader read_field, bool allow_is, Condition& out);

// --- JSON patterns (filter_json.cc) -------------------------------------------------------
bool read_selector(Cursor& cursor, std::string& out);
bool valid_selector(std::string_view selector);
bool evaluate_json(const Condition& condition, const common::Json& document);

// --- space-delimited patterns (filter_delimited.cc) ---------------------------------------
struct FieldSpec {
  bool ellipsis = false;
  std::string name;
  std::optional<Condition> condition;
};
bool parse_delimited(Cursor& cursor, std::vector<FieldSpec>& out);
bool match_delimited(const std::vector<FieldSpec>& fields, std::string_view message);

}  // namespace logs::filter
