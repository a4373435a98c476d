#include "services/s3/engine/segment_repo.h"

#include "services/s3/engine/sql.h"

namespace s3 {

Status SegmentRepo::add(SegmentOwner kind, int64_t owner, const std::vector<Segment>& segments) {
  for (size_t i = 0; i < segments.size(); ++i) {
    const Segment& segment = segments[i];
    auto r = Sql::execute(
        db_, "INSERT INTO s3_segments (kind, owner, seq, file, offset, length) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        [&](store::Statement& s) {
          s.bind(1, static_cast<int64_t>(kind))
              .bind(2, owner)
              .bind(3, static_cast<int64_t>(i))
              .bind(4, segment.file)
              .bind(5, static_cast<int64_t>(segment.offset))
              .bind(6, static_cast<int64_t>(segment.length));
        });
    if (!r.ok()) return r;
  }
  return common::ok();
}

Result<std::vector<Segment>> SegmentRepo::of(SegmentOwner kind, int64_t owner) {
  std::vector<Segment> out;
  auto r = Sql::query(
      db_, "SELECT file, offset, length FROM s3_segments WHERE kind = ?1 AND owner = ?2 ORDER BY seq",
      [&](store::Statement& s) { s.bind(1, static_cast<int64_t>(kind)).bind(2, owner); },
      [&](store::Statement& s) {
        out.push_back(Segment{s.text(0), static_cast<uint64_t>(s.integer(1)), static_cast<uint64_t>(s.integer(2))});
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

Status SegmentRepo::release(SegmentOwner kind, int64_t owner, std::vector<std::string>& released) {
  auto segments = of(kind, owner);
  if (!segments.ok()) return common::fail(segments.error());
  if (segments->empty()) return common::ok();
  for (auto& segment : *segments) released.push_back(std::move(segment.file));
  return Sql::execute(db_, "DELETE FROM s3_segments WHERE kind = ?1 AND owner = ?2",
                      [&](store::Statement& s) { s.bind(1, static_cast<int64_t>(kind)).bind(2, owner); });
}

Result<bool> SegmentRepo::referenced(const std::string& file) {
  bool found = false;
  auto r = Sql::query(
      db_, "SELECT 1 FROM s3_segments WHERE file = ?1 LIMIT 1", [&](store::Statement& s) { s.bind(1, file); },
      [&](store::Statement&) {
        found = true;
        return false;
      });
  if (!r.ok()) return common::fail(r.error());
  return found;
}

Result<std::vector<std::string>> SegmentRepo::referenced_files() {
  std::vector<std::string> out;
  auto r = Sql::query(
      db_, "SELECT DISTINCT file FROM s3_segments", [](store::Statement&) {},
      [&](store::Statement& s) {
        out.push_back(s.text(0));
        return true;
      });
  if (!r.ok()) return common::fail(r.error());
  return out;
}

}  // namespace s3
