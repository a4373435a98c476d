// Model "pattern" constraints: Java regular expressions, matched against the whole value
// (Java's Matcher.matches()) with PCRE2 in UTF mode.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aws::protocol {

// True/false when `value` does (not) match `java_pattern` entirely; nullopt when PCRE2
// cannot compile the pattern (logged once per pattern; callers skip the constraint).
// Compiled patterns are cached for the life of the process. Thread-safe.
std::optional<bool> pattern_matches(std::string_view java_pattern, std::string_view value);

// Java regex syntax -> PCRE2 syntax: \uXXXX (and surrogate pairs) -> \x{...}, Java's POSIX
// classes (\p{Alpha}, \p{Punct}, ...) -> PCRE2's. Exposed for tests.
std::string translate_java_pattern(std::string_view java_pattern);

}  // namespace aws::protocol
