// The engine's SQL: store::Sql with store errors turned into ecr::Error (Internal), and time
// columns (REAL epoch seconds).
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "services/ecr/engine/ecr_engine.h"
#include "store/db.h"
#include "store/sql.h"

namespace ecr {

inline Error internal_error(const common::Error& e) { return error(Errc::Internal, e.message); }

using Sql = store::Sql<&internal_error>;

inline double to_column(common::TimePoint t) { return common::to_epoch_seconds(t); }
inline common::TimePoint time_column(const store::Statement& s, int column) {
  return common::from_epoch_seconds(s.real(column));
}
inline std::optional<common::TimePoint> optional_time_column(const store::Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return time_column(s, column);
}

}  // namespace ecr
