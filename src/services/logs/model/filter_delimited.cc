// Space-delimited filter patterns: `[ip, user, ..., status = 4* || status = 5*, bytes > 0]`.
#include <cctype>
#include <map>

#include "services/logs/model/filter_internal.h"

namespace logs::filter {
namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; }

bool read_name(Cursor& cursor, std::string& out) {
  cursor.skip_space();
  size_t start = cursor.pos;
  while (cursor.pos < cursor.text.size() && name_char(cursor.text[cursor.pos])) ++cursor.pos;
  out = std::string(cursor.text.substr(start, cursor.pos - start));
  if (out.empty() || out == "...") return cursor.fail("a field name is missing at offset " + std::to_string(start));
  return true;
}

// The message's fields: runs of non-blanks; "quoted text" and [bracketed text] are one field
// each, without their delimiters.
std::vector<std::string_view> split_fields(std::string_view message) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < message.size()) {
    if (std::isspace(static_cast<unsigned char>(message[i]))) {
      ++i;
      continue;
    }
    char close = message[i] == '"' ? '"' : message[i] == '[' ? ']' : '\0';
    if (close != '\0') {
      size_t end = message.find(close, i + 1);
      if (end != std::string_view::npos) {
        fields.push_back(message.substr(i + 1, end - i - 1));
        i = end + 1;
        continue;
      }
    }
    size_t start = i;
    while (i < message.size() && !std::isspace(static_cast<unsigned char>(message[i]))) ++i;
    fields.push_back(message.substr(start, i - start));
  }
  return fields;
}

using Bindings = std::map<std::string, std::string_view, std::less<>>;

bool evaluate(const Condition& condition, const Bindings& fields) {
  switch (condition.kind) {
    case Condition::Kind::And:
      for (const auto& child : condition.children) {
        if (!evaluate(child, fields)) return false;
      }
      return true;
    case Condition::Kind::Or:
      for (const auto& child : condition.children) {
        if (evaluate(child, fields)) return true;
      }
      return false;
    case Condition::Kind::Compare: {
      auto it = fields.find(condition.field);
      if (it == fields.end()) return false;
      return compare_text(it->second, parse_number(it->second), condition.op, condition.value);
    }
    default: return false;
  }
}

// Binds specs [s, end) to fields [f, end): `...` takes any number of fields (tried shortest
// first), every other spec exactly one. Conditions run once all fields are bound.
bool bind_fields(const std::vector<FieldSpec>& specs, size_t s, const std::vector<std::string_view>& fields, size_t f,
                 Bindings& bound) {
  if (s == specs.size()) {
    if (f != fields.size()) return false;
    for (const auto& spec : specs) {
      if (spec.condition && !evaluate(*spec.condition, bound)) return false;
    }
    return true;
  }
  const FieldSpec& spec = specs[s];
  if (spec.ellipsis) {
    for (size_t take = f; take <= fields.size(); ++take) {
      if (bind_fields(specs, s + 1, fields, take, bound)) return true;
    }
    return false;
  }
  if (f >= fields.size()) return false;
  bound[spec.name] = fields[f];
  return bind_fields(specs, s + 1, fields, f + 1, bound);
}

}  // namespace

bool parse_delimited(Cursor& cursor, std::vector<FieldSpec>& out) {
  if (!cursor.take("[")) return cursor.fail("a space-delimited pattern starts with '['");
  if (cursor.take("]")) return true;
  do {
    FieldSpec spec;
    if (cursor.take("...")) {
      spec.ellipsis = true;
    } else {
      size_t start = cursor.pos;
      if (!read_name(cursor, spec.name)) return false;
      char next = cursor.peek();
      if (next != ',' && next != ']') {
        // A condition: it names this field first, and may name any field of the pattern.
        cursor.pos = start;
        Condition condition;
        if (!parse_condition(cursor, read_name, false, condition)) return false;
        spec.condition = std::move(condition);
      }
    }
    out.push_back(std::move(spec));
  } while (cursor.take(","));
  if (!cursor.take("]")) return cursor.fail("a space-delimited pattern ends with ']'");
  return true;
}

bool match_delimited(const std::vector<FieldSpec>& fields, std::string_view message) {
  Bindings bound;
  return bind_fields(fields, 0, split_fields(message), 0, bound);
}

}  // namespace logs::filter
