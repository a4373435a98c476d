// The pieces JSON and space-delimited filter patterns share: reading literals and operators,
// comparing a field with a literal, and the && / || condition grammar.
#include <cctype>
#include <cstdlib>

#include "services/logs/model/filter_internal.h"

namespace logs::filter {

void Cursor::skip_space() {
  while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
}

bool Cursor::take(std::string_view token) {
  skip_space();
  if (text.substr(pos, token.size()) != token) return false;
  pos += token.size();
  return true;
}

bool Cursor::take_word(std::string_view word) {
  skip_space();
  if (text.size() - pos < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[pos + i])) != word[i]) return false;
  }
  size_t end = pos + word.size();
  if (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) return false;
  pos = end;
  return true;
}

std::optional<double> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::string copy(text);
  char* end = nullptr;
  double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  // strtod also reads "inf", "nan" and hex; log fields that look like those are words.
  for (char c : copy) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
      return std::nullopt;
    }
  }
  return value;
}

bool read_value(Cursor& cursor, std::string_view stops, Value& out) {
  cursor.skip_space();
  std::string_view text = cursor.text;
  size_t& pos = cursor.pos;
  if (pos >= text.size()) return cursor.fail("a value is missing at the end of the pattern");
  if (text[pos] == '"') {
    ++pos;
    std::string value;
    while (pos < text.size() && text[pos] != '"') {
      if (text[pos] == '\\' && pos + 1 < text.size()) ++pos;
      value += text[pos++];
    }
    if (pos >= text.size()) return cursor.fail("a quoted value is not closed");
    ++pos;
    out.text = std::move(value);
    return true;
  }
  if (text[pos] == '%') {
    size_t close = text.find('%', pos + 1);
    if (close == std::string_view::npos) return cursor.fail("a regular expression is not closed with '%'");
    std::string error;
    auto regex = Regex::compile(text.substr(pos + 1, close - pos - 1), error);
    if (!regex) return cursor.fail("invalid regular expression: " + error);
    out.text = std::string(text.substr(pos + 1, close - pos - 1));
    out.regex = std::move(regex);
    pos = close + 1;
    return true;
  }
  size_t start = pos;
  while (pos < text.size() && !std::isspace(static_cast<unsigned char>(text[pos])) &&
         stops.find(text[pos]) == std::string_view::npos) {
    ++pos;
  }
  if (pos == start) return cursor.fail("a value is missing at offset " + std::to_string(start));
  out.text = std::string(text.substr(start, pos - start));
  out.number = parse_number(out.text);
  return true;
}

bool read_op(Cursor& cursor, Op& out) {
  // Two-character operators first, so "<=" is not read as "<".
  if (cursor.take("!=")) return out = Op::Ne, true;
  if (cursor.take("<=")) return out = Op::Le, true;
  if (cursor.take(">=")) return out = Op::Ge, true;
  if (cursor.take("=")) return out = Op::Eq, true;
  if (cursor.take("<")) return out = Op::Lt, true;
  if (cursor.take(">")) return out = Op::Gt, true;
  return false;
}

bool wildcard_match(std::string_view pattern, std::string_view text) {
  // Greedy matching with backtracking to the last '*': linear in practice, no recursion.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool compare_text(std::string_view field, std::optional<double> field_number, Op op, const Value& value) {
  switch (op) {
    case Op::Eq:
    case Op::Ne: {
      bool equal = false;
      if (value.regex) {
        equal = value.regex->search(field);
      } else if (value.number && field_number) {
        equal = *field_number == *value.number;
      } else {
        equal = wildcard_match(value.text, field);
      }
      return op == Op::Eq ? equal : !equal;
    }
    case Op::Lt:
    case Op::Gt:
    case Op::Le:
    case Op::Ge: {
      if (!value.number || !field_number) return false;
      double a = *field_number;
      double b = *value.number;
      return op == Op::Lt ? a < b : op == Op::Gt ? a > b : op == Op::Le ? a <= b : a >= b;
    }
  }
  return false;
}

namespace {

bool parse_or(Cursor& cursor, FieldReader read_field, bool allow_is, Condition& out);

// A field's test: `field op value`, or (JSON) `field IS TRUE|FALSE|NULL`, `field NOT EXISTS`.
bool parse_test(Cursor& cursor, FieldReader read_field, bool allow_is, Condition& out) {
  if (!read_field(cursor, out.field)) return false;
  if (allow_is) {
    if (cursor.take_word("IS")) {
      if (cursor.take_word("TRUE")) return out.kind = Condition::Kind::IsTrue, true;
      if (cursor.take_word("FALSE")) return out.kind = Condition::Kind::IsFalse, true;
      if (cursor.take_word("NULL")) return out.kind = Condition::Kind::IsNull, true;
      return cursor.fail("IS must be followed by TRUE, FALSE or NULL");
    }
    if (cursor.take_word("NOT")) {
      if (cursor.take_word("EXISTS")) return out.kind = Condition::Kind::NotExists, true;
      return cursor.fail("NOT must be followed by EXISTS");
    }
  }
  if (!read_op(cursor, out.op)) return cursor.fail("an operator (=, !=, <, >, <=, >=) must follow " + out.field);
  out.kind = Condition::Kind::Compare;
  return read_value(cursor, "(){}[],&|", out.value);
}

bool parse_unary(Cursor& cursor, FieldReader read_field, bool allow_is, Condition& out) {
  if (cursor.take("(")) {
    if (!parse_or(cursor, read_field, allow_is, out)) return false;
    if (!cursor.take(")")) return cursor.fail("a '(' is not closed");
    return true;
  }
  return parse_test(cursor, read_field, allow_is, out);
}

// One level of the grammar: operands joined by `joiner` into a node of `kind`.
template <class Operand>
bool parse_joined(Cursor& cursor, std::string_view joiner, Condition::Kind kind, Condition& out, Operand operand) {
  Condition first;
  if (!operand(first)) return false;
  if (!cursor.take(joiner)) {
    out = std::move(first);
    return true;
  }
  out = Condition{};
  out.kind = kind;
  out.children.push_back(std::move(first));
  do {
    Condition next;
    if (!operand(next)) return false;
    out.children.push_back(std::move(next));
  } while (cursor.take(joiner));
  return true;
}

bool parse_and(Cursor& cursor, FieldReader read_field, bool allow_is, Condition& out) {
  return parse_joined(cursor, "&&", Condition::Kind::And, out,
                      [&](Condition& c) { return parse_unary(cursor, read_field, allow_is, c); });
}

bool parse_or(Cursor& cursor, FieldReader read_field, bool allow_is, Condition& out) {
  return parse_joined(cursor, "||", Condition::Kind::Or, out,
                      [&](Condition& c) { return parse_and(cursor, read_field, allow_is, c); });
}

}  // namespace

bool parse_condition(Cursor& cursor, FieldReader read_field, bool allow_is, Condition& out) {
  return parse_or(cursor, read_field, allow_is, out);
}

}  // namespace logs::filter
