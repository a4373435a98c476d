// The S3 repositories' SQL: store::Sql with store errors turned into s3::Error, and times as
// epoch milliseconds.
#pragma once

#include <chrono>
#include <cstdint>

#include "common/clock.h"
#include "services/s3/model/errors.h"
#include "store/db.h"
#include "store/sql.h"

namespace s3 {

using Sql = store::Sql<&storage_error>;

inline int64_t to_millis(common::TimePoint t) { return common::to_epoch_millis(t); }
inline common::TimePoint from_millis(int64_t millis) {
  return common::TimePoint(std::chrono::duration_cast<common::TimePoint::duration>(std::chrono::milliseconds(millis)));
}

}  // namespace s3
