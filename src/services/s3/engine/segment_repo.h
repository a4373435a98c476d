// The SQL of s3_segments: which data file ranges hold the bytes of an object version
// (SegmentOwner::Version, owner = s3_objects.id) or of a part (SegmentOwner::Part, owner =
// s3_parts.id). A data file is referenced while any row names it: release() hands back the
// files it dropped references to, and the caller, once every change of its transaction is
// made, unlinks those nothing references any more after committing and before it gives up the
// write lock (a concurrent copy adds references only under that lock).
#pragma once

#include <string>
#include <vector>

#include "services/s3/engine/s3_engine.h"

namespace s3 {

enum class SegmentOwner { Version = 0, Part = 1 };

class SegmentRepo {
 public:
  explicit SegmentRepo(store::Db& db) : db_(db) {}

  Status add(SegmentOwner kind, int64_t owner, const std::vector<Segment>& segments);
  Result<std::vector<Segment>> of(SegmentOwner kind, int64_t owner);
  // Deletes the owner's rows; appends the files they named to `released`.
  Status release(SegmentOwner kind, int64_t owner, std::vector<std::string>& released);
  Result<bool> referenced(const std::string& file);
  // Every file some row references.
  Result<std::vector<std::string>> referenced_files();

 private:
  store::Db& db_;
};

}  // namespace s3
