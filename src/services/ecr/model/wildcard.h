// ECR's wildcard patterns: a lifecycle rule's tagPatternList and the WILDCARD filters of
// imageTagMutabilityExclusionFilters. '*' matches any run of characters (also none); every other
// character matches itself (no '?', no escapes).
#pragma once

#include <string_view>

namespace ecr {

bool wildcard_match(std::string_view pattern, std::string_view text);

}  // namespace ecr
