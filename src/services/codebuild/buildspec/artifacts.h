// Artifact selection: which files of a finished build go into an artifact, and where each sits
// in the archive (aws-behaviour.md §3.6):
//   1. base-directory, if set, is a path whose segments may be globs ('my-build*'); the
//      matched directories are not in the archive, only what `files` selects inside them.
//   2. Each `files` pattern is relative to the base: 'file', 'dir/file', 'dir/*' (the files
//      directly in dir), 'dir/**/*' and '**/*' (recursive). A pattern without wildcards that
//      names a directory selects every file under it. Wildcards select files, not directories.
//      A pattern starting with '/' is absolute (cache paths such as '/root/.m2/**/*').
//   3. exclude-paths (globs relative to the base) remove a file when they match it or one of
//      its directories.
//   4. discard-paths keeps only file names; of two files with one name the later pattern wins.
//   5. No file at all: UPLOAD_ARTIFACTS fails with CLIENT_ERROR "no matching artifact paths found".
// Symbolic links are followed (the archive holds their targets' content, loops are cut) unless
// enable-symlinks is set: then a link whose target stays inside the root is kept as a link.
// Directories are never entries of their own.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "services/codebuild/buildspec/buildspec.h"

namespace buildspec {

struct ArtifactFile {
  std::string source_path;   // absolute path on this machine
  std::string archive_path;  // path inside the archive ('/'-separated, relative)
  bool symlink = false;      // enable-symlinks: store a link to `link_target`, not content
  std::string link_target;
};

// Selects `spec`'s files under `root` (the build's CODEBUILD_SRC_DIR as the runner sees it),
// sorted by archive path. `log`, when given, receives the agent messages AWS prints while it
// assembles the list ("Expanding base directory path:  .", "Expanding **/*", "Found 3 file(s)").
common::Result<std::vector<ArtifactFile>, PhaseError> select_artifacts(const std::string& root,
                                                                       const ArtifactSpec& spec,
                                                                       std::vector<std::string>* log = nullptr);

}  // namespace buildspec
