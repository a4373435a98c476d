// The merge plan: every path of the merge base, source and destination, merged when at most one
// side changed it (or both the same way), else — at FILE_LEVEL always, at LINE_LEVEL when git
// merge-file cannot combine the texts — a conflict; then the strategy (ACCEPT_SOURCE /
// ACCEPT_DESTINATION) and the caller's conflictResolution settle conflicts. Paths are compared
// without rename detection: CodeCommit reports conflicts per file.
#include <algorithm>
#include <set>

#include "services/codecommit/engine/merge_internal.h"

namespace codecommit::merge_detail {
namespace {

// CodeCommit's limits on a conflictResolution: entries, one file's content, all the content.
constexpr size_t kMaxResolutionEntries = 100;
constexpr size_t kMaxFileContent = 6 * 1024 * 1024;
constexpr size_t kMaxTotalContent = 7 * 1024 * 1024;

const TreeEntry* find(const PathMap& paths, const std::string& path) {
  auto it = paths.find(path);
  return it == paths.end() ? nullptr : &it->second;
}

bool same(const TreeEntry* a, const TreeEntry* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return a->id == b->id && a->mode == b->mode;
}

std::string operation(const TreeEntry* base, const TreeEntry* side) {
  if (same(base, side)) return "";
  if (base == nullptr) return "A";
  return side == nullptr ? "D" : "M";
}

bool regular_file(const TreeEntry* entry) {
  return entry != nullptr && entry->type == "blob" && entry->mode != "120000";
}

// The mode the two sides' changes give, "" when both changed it differently.
std::string merged_mode(const TreeEntry* base, const TreeEntry& source, const TreeEntry& destination) {
  if (source.mode == destination.mode) return source.mode;
  if (base != nullptr && source.mode == base->mode) return destination.mode;
  if (base != nullptr && destination.mode == base->mode) return source.mode;
  return "";
}

// The contents the two sides' changes give when at most one changed them, "" otherwise.
std::string unchanged_or_one_side(const TreeEntry* base, const TreeEntry& source, const TreeEntry& destination) {
  if (source.id == destination.id) return source.id;
  if (base != nullptr && source.id == base->id) return destination.id;
  if (base != nullptr && destination.id == base->id) return source.id;
  return "";
}

// Blob contents read once per path.
class Blobs {
 public:
  explicit Blobs(const Repository& repo) : repo_(repo) {}
  Result<const std::string*> get(const TreeEntry* entry) {
    static const std::string kEmpty;
    if (entry == nullptr || entry->type != "blob") return &kEmpty;
    auto it = cache_.find(entry->id);
    if (it == cache_.end()) {
      auto content = read_blob(repo_, entry->id);
      if (!content.ok()) return common::fail(content.error());
      it = cache_.emplace(entry->id, std::move(*content)).first;
    }
    return &it->second;
  }

 private:
  const Repository& repo_;
  std::map<std::string, std::string> cache_;
};

MergeSide side_of(const TreeEntry* entry, const std::string* content) {
  MergeSide side;
  if (entry == nullptr) return side;
  side.exists = true;
  side.object_type = object_type_of(*entry);
  if (entry->type == "blob") {
    side.mode = mode_name(entry->mode);
    if (content != nullptr) {
      side.size = static_cast<int64_t>(content->size());
      side.binary = looks_binary(*content);
    }
  }
  return side;
}

struct Versions {
  const TreeEntry* base;
  const TreeEntry* source;
  const TreeEntry* destination;
};

// A path both sides changed differently: merged into plan.merged when the settings allow, else
// a pending conflict.
Status evaluate(const Repository& repo, MergePlan& plan, const std::string& path, Versions v) {
  Blobs blobs(repo);
  auto base = blobs.get(v.base);
  auto source = blobs.get(v.source);
  auto destination = blobs.get(v.destination);
  if (!base.ok()) return common::fail(base.error());
  if (!source.ok()) return common::fail(source.error());
  if (!destination.ok()) return common::fail(destination.error());
  PendingConflict c;
  c.base = v.base;
  c.source = v.source;
  c.destination = v.destination;
  MergeConflict& m = c.metadata;
  m.path = path;
  m.base = side_of(v.base, *base);
  m.source = side_of(v.source, *source);
  m.destination = side_of(v.destination, *destination);
  m.source_operation = operation(v.base, v.source);
  m.destination_operation = operation(v.base, v.destination);
  const bool both = v.source != nullptr && v.destination != nullptr;
  m.object_type_conflict = both && m.source.object_type != m.destination.object_type;
  std::string mode;
  if (both && !m.object_type_conflict) {
    mode = merged_mode(v.base, *v.source, *v.destination);
    m.file_mode_conflict = v.source->type == "blob" && mode.empty();
    c.merged_blob = unchanged_or_one_side(v.base, *v.source, *v.destination);
  }
  const bool text = both && regular_file(v.source) && regular_file(v.destination) && !m.source.binary &&
                    !m.destination.binary && !(v.base != nullptr && (!regular_file(v.base) || m.base.binary));
  c.line_mergeable = text;
  int hunks = 0;
  if (text && c.merged_blob.empty()) {
    auto merged = merge_lines(**destination, **base, **source, Favor::None);
    if (!merged.ok()) return common::fail(merged.error());
    hunks = merged->conflicts;
    if (hunks == 0) {
      auto blob = write_blob(repo, std::move(merged->content));
      if (!blob.ok()) return common::fail(blob.error());
      c.merged_blob = *blob;
    }
  }
  const bool contents_merged = both && !m.object_type_conflict && !c.merged_blob.empty();
  if (plan.settings.line_level) {
    if (contents_merged && !m.file_mode_conflict) {
      plan.merged[path] = TreeEntry{mode, v.source->type, c.merged_blob, path};
      return common::ok();
    }
    m.content_conflict = both ? !m.object_type_conflict && !contents_merged : true;
  } else {
    // FILE_LEVEL: a file changed on both sides is in conflict whatever changed in it; it is a
    // content conflict unless only the type or only the mode explains it.
    m.content_conflict =
        !both || (!m.object_type_conflict &&
                  (unchanged_or_one_side(v.base, *v.source, *v.destination).empty() || !m.file_mode_conflict));
  }
  m.number_of_conflicts =
      (m.content_conflict ? std::max(hunks, 1) : 0) + (m.file_mode_conflict ? 1 : 0) + (m.object_type_conflict ? 1 : 0);
  plan.conflicts.push_back(std::move(c));
  return common::ok();
}

bool has_folder(const PathMap& paths, const std::string& path) {
  auto below = paths.lower_bound(path + "/");
  return below != paths.end() && below->first.rfind(path + "/", 0) == 0;
}

MergeSide folder_side(const PathMap& paths, const std::string& path) {
  MergeSide side;
  side.exists = has_folder(paths, path);
  if (side.exists) side.object_type = "DIRECTORY";
  return side;
}

bool pending(const MergePlan& plan, const std::string& path) {
  for (const auto& c : plan.conflicts) {
    if (c.metadata.path == path) return true;
  }
  return false;
}

// A file and a folder of one name in the result (one side added a file where the other has a
// folder): a conflict on the file's path.
Status find_folder_conflicts(const Repository& repo, MergePlan& plan) {
  PathMap result = plan.merged;
  for (const auto& c : plan.conflicts) {
    const TreeEntry* any = c.destination != nullptr ? c.destination : c.source;
    if (any != nullptr) result.emplace(c.metadata.path, *any);
  }
  std::vector<std::string> found;
  for (const auto& [path, entry] : result) {
    if (has_folder(result, path) && !pending(plan, path)) found.push_back(path);
  }
  for (const auto& path : found) {
    PendingConflict c;
    c.base = find(plan.base, path);
    c.source = find(plan.source, path);
    c.destination = find(plan.destination, path);
    MergeConflict& m = c.metadata;
    m.path = path;
    auto base = describe_side(repo, c.base);
    auto source = describe_side(repo, c.source);
    auto destination = describe_side(repo, c.destination);
    if (!base.ok() || !source.ok() || !destination.ok()) {
      return common::fail(!base.ok() ? base.error() : !source.ok() ? source.error() : destination.error());
    }
    m.base = c.base != nullptr ? *base : folder_side(plan.base, path);
    m.source = c.source != nullptr ? *source : folder_side(plan.source, path);
    m.destination = c.destination != nullptr ? *destination : folder_side(plan.destination, path);
    m.source_operation = operation(c.base, c.source);
    m.destination_operation = operation(c.base, c.destination);
    m.object_type_conflict = true;
    m.number_of_conflicts = 1;
    plan.merged.erase(path);
    plan.conflicts.push_back(std::move(c));
  }
  std::sort(plan.conflicts.begin(), plan.conflicts.end(),
            [](const PendingConflict& a, const PendingConflict& b) { return a.metadata.path < b.metadata.path; });
  return common::ok();
}

// `c` settled in favour of one side: its whole version, or for two texts a line merge whose
// conflicting regions take that side's lines.
Status favour(const Repository& repo, MergePlan& plan, const PendingConflict& c, Favor favor) {
  const TreeEntry* side = favor == Favor::Source ? c.source : c.destination;
  const std::string& path = c.metadata.path;
  if (!(plan.settings.line_level && c.line_mergeable)) {
    if (side != nullptr) plan.merged[path] = *side;
    return common::ok();
  }
  std::string mode = merged_mode(c.base, *c.source, *c.destination);
  if (mode.empty()) mode = side->mode;
  std::string blob = c.merged_blob;
  if (blob.empty()) {
    Blobs blobs(repo);
    auto base = blobs.get(c.base);
    auto source = blobs.get(c.source);
    auto destination = blobs.get(c.destination);
    if (!base.ok() || !source.ok() || !destination.ok()) {
      return common::fail(!base.ok() ? base.error() : !source.ok() ? source.error() : destination.error());
    }
    auto merged = merge_lines(**destination, **base, **source, favor);
    if (!merged.ok()) return common::fail(merged.error());
    auto written = write_blob(repo, std::move(merged->content));
    if (!written.ok()) return common::fail(written.error());
    blob = *written;
  }
  plan.merged[path] = TreeEntry{mode, "blob", blob, path};
  return common::ok();
}

}  // namespace

Result<MergeSide> describe_side(const Repository& repo, const TreeEntry* entry) {
  if (entry == nullptr || entry->type != "blob") return side_of(entry, nullptr);
  auto content = read_blob(repo, entry->id);
  if (!content.ok()) return common::fail(content.error());
  return side_of(entry, &*content);
}

Status plan_merge(const Repository& repo, const MergeCommits& commits, const MergeSettings& settings, MergePlan& plan) {
  plan.commits = commits;
  plan.settings = settings;
  auto base = read_paths(repo, commits.base_commit_id);
  auto source = read_paths(repo, commits.source_commit_id);
  auto destination = read_paths(repo, commits.destination_commit_id);
  if (!base.ok()) return common::fail(base.error());
  if (!source.ok()) return common::fail(source.error());
  if (!destination.ok()) return common::fail(destination.error());
  plan.base = std::move(*base);
  plan.source = std::move(*source);
  plan.destination = std::move(*destination);
  std::set<std::string> paths;
  for (const PathMap* map : {&plan.base, &plan.source, &plan.destination}) {
    for (const auto& entry : *map) paths.insert(entry.first);
  }
  for (const auto& path : paths) {
    Versions v{find(plan.base, path), find(plan.source, path), find(plan.destination, path)};
    const TreeEntry* result = nullptr;
    if (same(v.source, v.destination) || same(v.base, v.source)) {
      result = v.destination;
    } else if (same(v.base, v.destination)) {
      result = v.source;
    } else {
      if (auto r = evaluate(repo, plan, path, v); !r.ok()) return r;
      continue;
    }
    if (result != nullptr) plan.merged.emplace(path, *result);
  }
  return common::ok();
}

Status apply_strategy(const Repository& repo, MergePlan& plan) {
  const std::string& strategy = plan.settings.strategy;
  if (strategy == "ACCEPT_SOURCE" || strategy == "ACCEPT_DESTINATION") {
    Favor favor = strategy == "ACCEPT_SOURCE" ? Favor::Source : Favor::Destination;
    for (const auto& c : plan.conflicts) {
      if (auto r = favour(repo, plan, c, favor); !r.ok()) return r;
    }
    plan.conflicts.clear();
  }
  return find_folder_conflicts(repo, plan);
}

namespace {

Result<std::string> resolution_path(const std::string& raw) {
  if (raw.empty()) return common::fail(error(Errc::PathRequired, "The file path is required but was not specified."));
  auto path = normalize_path(raw);
  if (!path || path->empty()) {
    return common::fail(error(Errc::InvalidPath, "The specified path is not valid: " + raw));
  }
  return *path;
}

Result<std::string> checked_mode(const std::string& name) {
  std::string mode = mode_octal(name);
  if (mode.empty())
    return common::fail(error(Errc::InvalidFileMode, "The specified file mode permission is not valid."));
  return mode;
}

Status check_limits(const ConflictResolution& resolution) {
  size_t entries =
      resolution.replace_contents.size() + resolution.delete_files.size() + resolution.set_file_modes.size();
  if (entries > kMaxResolutionEntries) {
    return common::fail(error(Errc::MaximumConflictResolutionEntriesExceeded,
                              "The number of allowed conflict resolution entries was exceeded."));
  }
  size_t total = 0;
  for (const auto& entry : resolution.replace_contents) {
    size_t size = entry.content ? entry.content->size() : 0;
    total += size;
    if (size > kMaxFileContent || total > kMaxTotalContent) {
      return common::fail(error(Errc::FileContentSizeLimitExceeded,
                                "The file cannot be added because it is too large. The maximum file size is 6 MB, and "
                                "the combined file content change size is 7 MB. Consider making these changes using a "
                                "Git client."));
    }
  }
  return common::ok();
}

// The version a replaceContents entry picks (nullopt: the file goes).
Result<std::optional<TreeEntry>> replacement(const Repository& repo, const PendingConflict& c,
                                             const ReplaceContent& entry) {
  const std::string& type = entry.replacement_type;
  if (type.empty()) return common::fail(error(Errc::ReplacementTypeRequired, "A replacement type is required."));
  const TreeEntry* kept = nullptr;
  std::optional<TreeEntry> chosen;
  if (type == "KEEP_BASE") {
    kept = c.base;
  } else if (type == "KEEP_SOURCE") {
    kept = c.source;
  } else if (type == "KEEP_DESTINATION") {
    kept = c.destination;
  } else if (type == "USE_NEW_CONTENT") {
    if (!entry.content) {
      return common::fail(error(Errc::ReplacementContentRequired,
                                "USE_NEW_CONTENT was specified, but no replacement content has been provided."));
    }
    auto blob = write_blob(repo, *entry.content);
    if (!blob.ok()) return common::fail(blob.error());
    const TreeEntry* like = regular_file(c.destination) ? c.destination : regular_file(c.source) ? c.source : nullptr;
    chosen = TreeEntry{like != nullptr ? like->mode : "100644", "blob", *blob, c.metadata.path};
  } else {
    return common::fail(error(Errc::InvalidReplacementType,
                              "Automerge was specified for resolving the conflict, but the specified replacement type "
                              "is not valid: " +
                                  type));
  }
  if (kept != nullptr) chosen = *kept;
  if (!entry.file_mode.empty() && chosen && chosen->type == "blob") {
    auto mode = checked_mode(entry.file_mode);
    if (!mode.ok()) return common::fail(mode.error());
    chosen->mode = *mode;
  }
  return chosen;
}

// setFileModes on a conflict whose contents merged (a mode conflict).
Result<TreeEntry> with_mode(const PendingConflict& c, const std::string& mode_name_in) {
  if (mode_name_in.empty()) {
    return common::fail(error(Errc::FileModeRequired,
                              "The commit cannot be created because no file mode has been specified. A file mode is "
                              "required to update mode permissions for a file."));
  }
  auto mode = checked_mode(mode_name_in);
  if (!mode.ok()) return common::fail(mode.error());
  if (c.merged_blob.empty() || c.source == nullptr || c.destination == nullptr) {
    return common::fail(error(Errc::InvalidConflictResolution,
                              "The specified conflict resolution list is not valid: the contents of " +
                                  c.metadata.path + " are in conflict; replace them instead of setting a file mode."));
  }
  return TreeEntry{*mode, "blob", c.merged_blob, c.metadata.path};
}

}  // namespace

Status apply_resolution(const Repository& repo, MergePlan& plan, const ConflictResolution& resolution) {
  if (auto r = check_limits(resolution); !r.ok()) return r;
  std::map<std::string, std::optional<TreeEntry>> settled;
  auto claim = [&](const std::string& raw) -> Result<const PendingConflict*> {
    auto path = resolution_path(raw);
    if (!path.ok()) return common::fail(path.error());
    if (settled.count(*path) != 0) {
      return common::fail(error(Errc::MultipleConflictResolutionEntries,
                                "More than one conflict resolution entries exists for the conflict: " + *path));
    }
    for (const auto& c : plan.conflicts) {
      if (c.metadata.path == *path) return &c;
    }
    return common::fail(error(Errc::InvalidConflictResolution, "The specified conflict resolution list is not valid: " +
                                                                   *path + " is not in conflict."));
  };
  for (const auto& entry : resolution.replace_contents) {
    auto c = claim(entry.path);
    if (!c.ok()) return common::fail(c.error());
    auto chosen = replacement(repo, **c, entry);
    if (!chosen.ok()) return common::fail(chosen.error());
    settled[(*c)->metadata.path] = std::move(*chosen);
  }
  for (const auto& raw : resolution.delete_files) {
    auto c = claim(raw);
    if (!c.ok()) return common::fail(c.error());
    settled[(*c)->metadata.path] = std::nullopt;
  }
  for (const auto& [raw, mode] : resolution.set_file_modes) {
    auto c = claim(raw);
    if (!c.ok()) return common::fail(c.error());
    auto entry = with_mode(**c, mode);
    if (!entry.ok()) return common::fail(entry.error());
    settled[(*c)->metadata.path] = std::move(*entry);
  }
  if (settled.empty()) return common::ok();
  std::vector<PendingConflict> left;
  for (auto& c : plan.conflicts) {
    auto it = settled.find(c.metadata.path);
    if (it == settled.end()) {
      left.push_back(std::move(c));
    } else if (it->second) {
      plan.merged[it->first] = *it->second;
    }
  }
  plan.conflicts = std::move(left);
  return find_folder_conflicts(repo, plan);
}

Status keep_empty_folders(const Repository& repo, MergePlan& plan) {
  std::string empty_blob;
  for (const auto& [path, entry] : plan.destination) {
    size_t slash = path.rfind('/');
    if (slash == std::string::npos || plan.merged.count(path) != 0) continue;
    std::string folder = path.substr(0, slash);
    if (has_folder(plan.merged, folder)) continue;
    if (empty_blob.empty()) {
      auto blob = write_blob(repo, "");
      if (!blob.ok()) return common::fail(blob.error());
      empty_blob = *blob;
    }
    plan.merged[folder + "/.gitkeep"] = TreeEntry{"100644", "blob", empty_blob, folder + "/.gitkeep"};
  }
  return common::ok();
}

}  // namespace codecommit::merge_detail
