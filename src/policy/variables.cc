// Policy variables (${aws:username}, ${key, 'default'}, ${*}) and condition-key lookup.
#include <string>
#include <string_view>

#include "common/strings.h"
#include "policy/internal.h"

namespace policy::internal {
namespace {

void append_literal(std::string& out, std::string_view text, bool for_pattern) {
  for (char c : text) {
    if (for_pattern && (c == '*' || c == '?' || c == '\\')) {
      out.push_back('\\');
    }
    out.push_back(c);
  }
}

// The text of a pattern the author wrote: wildcards stay wildcards, a literal '\' is escaped
// because the substituted result is matched in escaped mode.
void append_pattern_text(std::string& out, std::string_view text, bool for_pattern) {
  for (char c : text) {
    if (for_pattern && c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
}

// Parses the inside of ${...}. `name` gets the key (or "*", "?", "$"); `fallback` the
// default when one is given. False when the default is not a single-quoted string.
bool parse_variable(std::string_view inside, std::string_view& name, std::string_view& fallback, bool& has_default) {
  size_t comma = inside.find(',');
  has_default = comma != std::string_view::npos;
  name = common::trim(inside.substr(0, comma));
  if (!has_default) {
    return !name.empty();
  }
  std::string_view quoted = common::trim(inside.substr(comma + 1));
  if (quoted.size() < 2 || quoted.front() != '\'' || quoted.back() != '\'') {
    return false;
  }
  fallback = quoted.substr(1, quoted.size() - 2);
  return !name.empty();
}

}  // namespace

const std::vector<std::string>* find_key(const EvalContext& context, std::string_view key) {
  // Context keys are few (tens at most) and stored lower-case; a linear case-insensitive scan
  // avoids lower-casing `key` into a temporary string.
  for (const auto& [name, values] : context.keys) {
    if (common::iequals(name, key)) {
      return &values;
    }
  }
  return nullptr;
}

Resolution substitute(std::string_view text, const EvalContext& context, bool for_pattern, std::string& out) {
  size_t start = text.find("${");
  if (start == std::string_view::npos) {
    return Resolution::Unchanged;
  }
  out.clear();
  out.reserve(text.size() + 16);
  while (start != std::string_view::npos) {
    size_t end = text.find('}', start + 2);
    if (end == std::string_view::npos) {
      break;  // an unterminated "${" is plain text
    }
    append_pattern_text(out, text.substr(0, start), for_pattern);
    std::string_view inside = text.substr(start + 2, end - start - 2);
    std::string_view name;
    std::string_view fallback;
    bool has_default = false;
    if (!parse_variable(inside, name, fallback, has_default)) {
      append_pattern_text(out, text.substr(start, end - start + 1), for_pattern);
    } else if (name == "*" || name == "?" || name == "$") {
      append_literal(out, name, for_pattern);
    } else if (const auto* values = find_key(context, name); values && !values->empty()) {
      // A multi-valued key used as a variable contributes its first value.
      append_literal(out, values->front(), for_pattern);
    } else if (has_default) {
      append_literal(out, fallback, for_pattern);
    } else {
      return Resolution::Unresolved;
    }
    text.remove_prefix(end + 1);
    start = text.find("${");
  }
  append_pattern_text(out, text, for_pattern);
  return Resolution::Substituted;
}

}  // namespace policy::internal
