// The engine's SQL: store::Sql with store errors turned into logs::Error (Internal). Times are
// INTEGER epoch milliseconds, as CloudWatch Logs counts them.
#pragma once

#include <optional>

#include "services/logs/model/errors.h"
#include "store/db.h"
#include "store/sql.h"

namespace logs {

inline Error internal_error(const common::Error& e) { return error(Errc::Internal, e.message); }

using Sql = store::Sql<&internal_error>;

inline std::optional<int64_t> optional_integer(const store::Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return s.integer(column);
}

inline void bind_optional(store::Statement& s, int index, std::optional<int64_t> value) {
  if (value) {
    s.bind(index, *value);
  } else {
    s.bind_null(index);
  }
}

}  // namespace logs
