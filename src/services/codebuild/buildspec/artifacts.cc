#include "services/codebuild/buildspec/artifacts.h"

#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

#include "services/codebuild/buildspec/glob.h"

namespace buildspec {
namespace {

namespace fs = std::filesystem;

std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (name.empty()) return dir;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

// Walks a directory tree in name order, reporting files (and kept symlinks) by path relative
// to the walk's start. Symlinked directories are followed unless kept; `chain` holds the
// (device, inode) of the directories being walked so a link back up cannot loop.
class Walker {
 public:
  Walker(std::string root_real, bool keep_symlinks) : root_real_(std::move(root_real)), keep_symlinks_(keep_symlinks) {}

  struct Found {
    std::string rel;
    std::string abs;
    bool symlink = false;
    std::string target;
  };

  // Everything under `abs_dir`, as `rel_dir`/..., at most `depth` levels down (-1: unlimited).
  void walk(const std::string& abs_dir, const std::string& rel_dir, int depth, std::vector<Found>& out) {
    struct stat st {};
    if (::stat(abs_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return;
    const auto key = std::make_pair(st.st_dev, st.st_ino);
    if (!chain_.insert(key).second) return;
    std::error_code ec;
    std::vector<std::string> names;
    for (fs::directory_iterator it(abs_dir, ec), end; !ec && it != end; it.increment(ec)) {
      names.push_back(it->path().filename().string());
    }
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) visit(join(abs_dir, name), join(rel_dir, name), depth, out);
    chain_.erase(key);
  }

  // One path: a file, a directory to descend into, or a symlink to keep or follow.
  void visit(const std::string& abs, const std::string& rel, int depth, std::vector<Found>& out) {
    struct stat lst {};
    if (::lstat(abs.c_str(), &lst) != 0) return;
    if (S_ISLNK(lst.st_mode)) {
      std::error_code ec;
      const std::string target = fs::read_symlink(abs, ec).string();
      if (keep_symlinks_ && !ec && internal(abs, target)) {
        out.push_back({rel, abs, true, target});
        return;
      }
    }
    struct stat st {};
    if (::stat(abs.c_str(), &st) != 0) return;  // a dangling link
    if (S_ISDIR(st.st_mode)) {
      if (depth != 0) walk(abs, rel, depth < 0 ? -1 : depth - 1, out);
    } else if (S_ISREG(st.st_mode)) {
      out.push_back({rel, abs, false, ""});
    }
  }

 private:
  // A link is internal when its target, resolved from the link's directory, is inside the root.
  bool internal(const std::string& link, const std::string& target) const {
    std::error_code ec;
    const fs::path resolved = fs::weakly_canonical(fs::path(link).parent_path() / target, ec);
    if (ec) return false;
    const std::string path = resolved.string();
    return path == root_real_ || path.rfind(root_real_ + "/", 0) == 0;
  }

  std::string root_real_;
  bool keep_symlinks_;
  std::set<std::pair<dev_t, ino_t>> chain_;
};

// Directories under `root` that a base-directory pattern names, relative to root ("" = root).
std::vector<std::string> expand_base(const std::string& root, const std::string& base) {
  auto segments = pattern_segments(base);
  if (!segments) return {};
  std::vector<std::string> current{""};
  for (const std::string& segment : *segments) {
    std::vector<std::string> next;
    for (const std::string& dir : current) {
      const std::string abs = join(root, dir);
      if (!has_glob(segment)) {
        if (fs::is_directory(join(abs, segment))) next.push_back(join(dir, segment));
        continue;
      }
      std::error_code ec;
      std::vector<std::string> names;
      for (fs::directory_iterator it(abs, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (::fnmatch(segment.c_str(), name.c_str(), 0) == 0 && fs::is_directory(it->path())) names.push_back(name);
      }
      std::sort(names.begin(), names.end());
      for (const auto& name : names) next.push_back(join(dir, name));
    }
    current = std::move(next);
  }
  return current;
}

// The files one pattern selects under `base_abs` (paths relative to base_abs).
std::vector<Walker::Found> expand_pattern(Walker& walker, const std::string& base_abs, const std::string& pattern) {
  std::vector<Walker::Found> found;
  const bool absolute = !pattern.empty() && pattern[0] == '/';
  const std::string start = absolute ? "" : base_abs;
  auto segments = pattern_segments(pattern);
  if (!segments || segments->empty()) return found;
  // The literal directories before the first wildcard: where the walk can start.
  size_t literal = 0;
  while (literal < segments->size() && !has_glob((*segments)[literal]) && (*segments)[literal] != "**") ++literal;
  std::string rel_prefix;
  for (size_t i = 0; i < literal; ++i) rel_prefix = join(rel_prefix, (*segments)[i]);
  const std::string abs_prefix = absolute ? "/" + rel_prefix : join(start, rel_prefix);
  if (literal == segments->size()) {
    walker.visit(abs_prefix, rel_prefix, -1, found);  // a file, or every file under a directory
    return found;
  }
  bool recursive = false;
  for (size_t i = literal; i < segments->size(); ++i) recursive = recursive || (*segments)[i] == "**";
  const int depth = recursive ? -1 : static_cast<int>(segments->size() - literal) - 1;
  std::vector<Walker::Found> candidates;
  walker.walk(abs_prefix, rel_prefix, depth, candidates);
  std::string normalized;
  for (const auto& s : *segments) normalized = join(normalized, s);
  for (auto& candidate : candidates) {
    if (glob_match(normalized, candidate.rel)) found.push_back(std::move(candidate));
  }
  return found;
}

bool excluded(const std::vector<std::string>& excludes, const std::string& rel) {
  for (const std::string& pattern : excludes) {
    // The file itself, or any directory above it.
    for (size_t slash = rel.find('/');; slash = rel.find('/', slash + 1)) {
      const std::string prefix = slash == std::string::npos ? rel : rel.substr(0, slash);
      if (glob_match(pattern, prefix)) return true;
      if (slash == std::string::npos) break;
    }
  }
  return false;
}

std::string basename_of(const std::string& rel) {
  const size_t slash = rel.rfind('/');
  return slash == std::string::npos ? rel : rel.substr(slash + 1);
}

}  // namespace

common::Result<std::vector<ArtifactFile>, PhaseError> select_artifacts(const std::string& root,
                                                                       const ArtifactSpec& spec,
                                                                       std::vector<std::string>* log) {
  auto note = [&](std::string message) {
    if (log != nullptr) log->push_back(std::move(message));
  };
  std::error_code ec;
  const std::string root_real = fs::weakly_canonical(root, ec).string();
  const std::string base = spec.base_directory.value_or(".");
  note("Expanding base directory path:  " + base);
  note("Assembling file list");
  note("Expanding " + base);
  const std::vector<std::string> bases =
      spec.base_directory ? expand_base(root_real, *spec.base_directory) : std::vector<std::string>{""};
  Walker walker(root_real, spec.enable_symlinks);
  // Archive path -> file; a later match for the same path replaces the earlier one.
  std::map<std::string, ArtifactFile> selected;
  for (const std::string& dir : bases) {
    const std::string base_abs = join(root_real, dir);
    note("Expanding file paths for base directory " + (dir.empty() ? std::string(".") : dir));
    note("Assembling file list");
    for (const std::string& pattern : spec.files) {
      note("Expanding " + pattern);
      const std::vector<Walker::Found> found = expand_pattern(walker, base_abs, pattern);
      if (found.empty()) note("Skipping invalid file path " + pattern);
      for (const Walker::Found& f : found) {
        if (excluded(spec.exclude_paths, f.rel)) continue;
        ArtifactFile file{f.abs, spec.discard_paths ? basename_of(f.rel) : f.rel, f.symlink, f.target};
        selected.insert_or_assign(file.archive_path, std::move(file));
      }
    }
  }
  if (selected.empty()) return common::fail(PhaseError{kClientError, "no matching artifact paths found"});
  note("Found " + std::to_string(selected.size()) + " file(s)");
  std::vector<ArtifactFile> files;
  files.reserve(selected.size());
  for (auto& [path, file] : selected) files.push_back(std::move(file));
  return files;
}

}  // namespace buildspec
