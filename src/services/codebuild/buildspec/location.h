// Where a build's buildspec comes from. A project's source.buildspec (or StartBuild's
// buildspecOverride) is one of: empty (buildspec.yml at the source root), the buildspec's YAML
// text itself, an S3 object ARN (arn:aws:s3:::bucket/key), or a path relative to
// CODEBUILD_SRC_DIR. AWS does not say how it tells them apart; this is the heuristic of
// aws-behaviour.md §3.2.
#pragma once

#include <string>
#include <string_view>

namespace buildspec {

enum class LocationKind { Inline, S3Object, SourcePath };

struct Location {
  LocationKind kind = LocationKind::SourcePath;
  std::string text;    // Inline: the YAML text
  std::string path;    // SourcePath: relative to CODEBUILD_SRC_DIR ("buildspec.yml" by default)
  std::string bucket;  // S3Object
  std::string key;     // S3Object
};

// Multi-line text, or one line that parses as a YAML mapping, is inline; "arn:<partition>:s3:::"
// names an S3 object; anything else (and nothing) is a path in the source.
Location locate_buildspec(std::string_view field);

}  // namespace buildspec
