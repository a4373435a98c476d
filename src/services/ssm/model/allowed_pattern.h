// AllowedPattern: a regular expression the whole value must match (Java's matches()).
#pragma once

#include <optional>
#include <string_view>

namespace ssm {

// nullopt when the pattern does not compile (InvalidAllowedPatternException).
std::optional<bool> allowed_pattern_matches(std::string_view pattern, std::string_view value);

}  // namespace ssm
