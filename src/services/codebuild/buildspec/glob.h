// Path globs as buildspecs use them (artifacts files, exclude-paths, base-directory, cache
// paths): '/'-separated; a "**" segment matches zero or more directories; any other segment
// matches one name with fnmatch rules (*, ?, [...]), '*' matching leading dots too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace buildspec {

// True when a segment has a glob character (*, ?, [).
bool has_glob(std::string_view segment);

// Whether `path` (relative, '/'-separated, no leading "./") matches `pattern`.
bool glob_match(std::string_view pattern, std::string_view path);

// A pattern as segments: leading "./" and "." segments and empty segments dropped; nullopt when
// a segment is ".." (patterns never leave their base directory).
std::optional<std::vector<std::string>> pattern_segments(std::string_view pattern);

}  // namespace buildspec
