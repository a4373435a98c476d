#include "services/codebuild/buildspec/glob.h"

#include <fnmatch.h>

#include "common/strings.h"

namespace buildspec {
namespace {

bool match_segments(const std::vector<std::string>& pattern, size_t pi, const std::vector<std::string_view>& path,
                    size_t si) {
  while (pi < pattern.size()) {
    if (pattern[pi] == "**") {
      // Zero directories, or one more and try again.
      for (size_t skip = si; skip <= path.size(); ++skip) {
        if (match_segments(pattern, pi + 1, path, skip)) return true;
      }
      return false;
    }
    if (si >= path.size()) return false;
    const std::string name(path[si]);
    if (::fnmatch(pattern[pi].c_str(), name.c_str(), 0) != 0) return false;
    ++pi;
    ++si;
  }
  return si == path.size();
}

}  // namespace

bool has_glob(std::string_view segment) { return segment.find_first_of("*?[") != std::string_view::npos; }

std::optional<std::vector<std::string>> pattern_segments(std::string_view pattern) {
  std::vector<std::string> out;
  for (std::string_view segment : common::split(pattern, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") return std::nullopt;
    out.emplace_back(segment);
  }
  return out;
}

bool glob_match(std::string_view pattern, std::string_view path) {
  auto segments = pattern_segments(pattern);
  if (!segments) return false;
  std::vector<std::string_view> parts;
  for (std::string_view part : common::split(path, '/')) {
    if (!part.empty()) parts.push_back(part);
  }
  return match_segments(*segments, 0, parts, 0);
}

}  // namespace buildspec
