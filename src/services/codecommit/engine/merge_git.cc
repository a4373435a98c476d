// The git plumbing only merges use: binary detection, object types, and git merge-file on three
// texts (trees and blobs are in files.h).
#include <fstream>

#include "common/temp_dir.h"
#include "services/codecommit/engine/merge_internal.h"

namespace codecommit::merge_detail {

bool looks_binary(std::string_view content) { return content.substr(0, 8000).find('\0') != std::string_view::npos; }

std::string object_type_of(const TreeEntry& entry) {
  if (entry.type == "commit") return "GIT_LINK";
  if (entry.type == "tree") return "DIRECTORY";
  if (entry.mode == "120000") return "SYMBOLIC_LINK";
  return "FILE";
}

namespace {

bool write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return static_cast<bool>(out);
}

}  // namespace

Result<LineMerge> merge_lines(const std::string& destination, const std::string& base, const std::string& source,
                              Favor favor) {
  common::TempDir dir("hakobu-merge-file");
  if (!dir.ok()) return common::fail(error(Errc::Internal, "cannot create a temporary directory"));
  const std::string ours = dir.path() + "/destination", ancestor = dir.path() + "/base",
                    theirs = dir.path() + "/source";
  if (!write_file(ours, destination) || !write_file(ancestor, base) || !write_file(theirs, source)) {
    return common::fail(error(Errc::Internal, "cannot write the files to merge"));
  }
  std::vector<std::string> args{"merge-file", "-p", "-L", "destination", "-L", "base", "-L", "source"};
  if (favor == Favor::Destination) args.emplace_back("--ours");
  if (favor == Favor::Source) args.emplace_back("--theirs");
  args.insert(args.end(), {ours, ancestor, theirs});
  auto r = git::run(args);
  if (!r.ok()) return common::fail(internal_error(r.error()));
  // The exit code counts the conflicts (capped at 127); negative (255) is an error.
  if (r->exit_code < 0 || r->exit_code > 127) {
    return common::fail(error(Errc::Internal, "git merge-file: " + r->err));
  }
  return LineMerge{std::move(r->out), r->exit_code};
}

}  // namespace codecommit::merge_detail
