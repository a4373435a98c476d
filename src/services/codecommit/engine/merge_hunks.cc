// DescribeMergeConflicts' merge hunks: what each side changed against the merge base (git diff
// -U0 of the blobs), aligned on the base's lines the way a three-way merge does — changes of the
// two sides that overlap or touch form one hunk, a conflict when the two sides' lines differ.
// Line numbers count from 0 in each side's own file; a hunk's end is one past its last line.
#include <algorithm>
#include <charconv>

#include "services/codecommit/engine/merge_internal.h"

namespace codecommit::merge_detail {
namespace {

struct Change {
  int64_t base_start = 0, base_length = 0, side_start = 0, side_length = 0;
  bool source = false;
};

// "12" or "12,3" (a missing length is 1); a zero-length range lies after line `start`.
bool parse_range(std::string_view text, int64_t& start, int64_t& length) {
  size_t comma = text.find(',');
  std::string_view first = text.substr(0, comma);
  length = 1;
  if (std::from_chars(first.data(), first.data() + first.size(), start).ec != std::errc()) return false;
  if (comma != std::string_view::npos) {
    std::string_view second = text.substr(comma + 1);
    if (std::from_chars(second.data(), second.data() + second.size(), length).ec != std::errc()) return false;
  }
  if (length > 0) --start;
  return true;
}

// "@@ -a,b +c,d @@ ..." lines of a -U0 diff.
std::vector<Change> parse_changes(const std::string& diff, bool source) {
  std::vector<Change> changes;
  size_t pos = 0;
  while (pos < diff.size()) {
    size_t end = diff.find('\n', pos);
    if (end == std::string::npos) end = diff.size();
    std::string_view line(diff.data() + pos, end - pos);
    pos = end + 1;
    if (line.rfind("@@ -", 0) != 0) continue;
    size_t plus = line.find(" +", 4);
    size_t close = line.find(" @@", plus == std::string_view::npos ? 4 : plus);
    if (plus == std::string_view::npos || close == std::string_view::npos) continue;
    Change c;
    c.source = source;
    if (parse_range(line.substr(4, plus - 4), c.base_start, c.base_length) &&
        parse_range(line.substr(plus + 2, close - plus - 2), c.side_start, c.side_length)) {
      changes.push_back(c);
    }
  }
  return changes;
}

Result<std::vector<Change>> diff(const Repository& repo, const std::string& from, const std::string& to, bool source) {
  if (from == to) return std::vector<Change>();
  auto r = run_git(repo, {"diff", "--no-color", "--no-ext-diff", "--no-textconv", "--text", "-U0", from, to});
  if (!r.ok()) return common::fail(r.error());
  return parse_changes(*r, source);
}

std::vector<std::string_view> split_lines(const std::string& text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.emplace_back(text.data() + pos, end - pos);
    pos = end;
  }
  return lines;
}

std::string join(const std::vector<std::string_view>& lines, int64_t start, int64_t end) {
  std::string out;
  start = std::clamp<int64_t>(start, 0, static_cast<int64_t>(lines.size()));
  end = std::clamp<int64_t>(end, start, static_cast<int64_t>(lines.size()));
  for (int64_t i = start; i < end; ++i) out += lines[static_cast<size_t>(i)];
  return out;
}

}  // namespace

Result<std::vector<MergeHunk>> merge_hunks(const Repository& repo, const std::string& base_blob,
                                           const std::string& source_blob, const std::string& destination_blob) {
  std::string empty;
  if (base_blob.empty() || source_blob.empty() || destination_blob.empty()) {
    auto blob = write_blob(repo, "");
    if (!blob.ok()) return common::fail(blob.error());
    empty = *blob;
  }
  const std::string& base_id = base_blob.empty() ? empty : base_blob;
  const std::string& source_id = source_blob.empty() ? empty : source_blob;
  const std::string& destination_id = destination_blob.empty() ? empty : destination_blob;
  auto source_changes = diff(repo, base_id, source_id, true);
  auto destination_changes = diff(repo, base_id, destination_id, false);
  auto base_text = read_blob(repo, base_id);
  auto source_text = read_blob(repo, source_id);
  auto destination_text = read_blob(repo, destination_id);
  if (!source_changes.ok()) return common::fail(source_changes.error());
  if (!destination_changes.ok()) return common::fail(destination_changes.error());
  if (!base_text.ok() || !source_text.ok() || !destination_text.ok()) {
    return common::fail(!base_text.ok()     ? base_text.error()
                        : !source_text.ok() ? source_text.error()
                                            : destination_text.error());
  }
  std::vector<Change> changes = std::move(*source_changes);
  changes.insert(changes.end(), destination_changes->begin(), destination_changes->end());
  std::stable_sort(changes.begin(), changes.end(),
                   [](const Change& a, const Change& b) { return a.base_start < b.base_start; });
  auto base_lines = split_lines(*base_text), source_lines = split_lines(*source_text),
       destination_lines = split_lines(*destination_text);
  std::vector<MergeHunk> hunks;
  int64_t source_shift = 0, destination_shift = 0;  // lines each side added before the hunk
  size_t i = 0;
  while (i < changes.size()) {
    int64_t low = changes[i].base_start, high = low + changes[i].base_length;
    int64_t source_delta = 0, destination_delta = 0;
    bool by_source = false, by_destination = false;
    // Changes that overlap or touch the hunk so far join it.
    for (; i < changes.size() && changes[i].base_start <= high; ++i) {
      const Change& c = changes[i];
      high = std::max(high, c.base_start + c.base_length);
      (c.source ? source_delta : destination_delta) += c.side_length - c.base_length;
      (c.source ? by_source : by_destination) = true;
    }
    MergeHunk hunk;
    hunk.source = {low + source_shift, high + source_shift + source_delta, {}};
    hunk.destination = {low + destination_shift, high + destination_shift + destination_delta, {}};
    hunk.source.content = join(source_lines, hunk.source.start_line, hunk.source.end_line);
    hunk.destination.content = join(destination_lines, hunk.destination.start_line, hunk.destination.end_line);
    if (high > low) hunk.base = MergeHunkSide{low, high, join(base_lines, low, high)};
    hunk.is_conflict = by_source && by_destination && hunk.source.content != hunk.destination.content;
    source_shift += source_delta;
    destination_shift += destination_delta;
    hunks.push_back(std::move(hunk));
  }
  return hunks;
}

}  // namespace codecommit::merge_detail
