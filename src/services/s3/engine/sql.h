// Helpers that keep the S3 repositories to their SQL: prepared statements (cached by SQL text
// on the calling thread's connection) with store errors turned into s3::Error.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <utility>

#include "common/clock.h"
#include "services/s3/model/errors.h"
#include "store/db.h"

namespace s3 {

inline Result<store::Statement> prepare(store::Db& db, std::string_view sql) {
  auto statement = db.prepare(sql);
  if (!statement.ok()) return common::fail(storage_error(statement.error()));
  return std::move(*statement);
}

// Steps once: true when a row is available.
inline Result<bool> step(store::Statement& statement) {
  auto row = statement.step();
  if (!row.ok()) return common::fail(storage_error(row.error()));
  return *row;
}

// Runs `sql` bound by `bind(statement)` to completion.
template <class Bind>
Status execute(store::Db& db, std::string_view sql, Bind&& bind) {
  auto statement = prepare(db, sql);
  if (!statement.ok()) return common::fail(statement.error());
  bind(*statement);
  if (auto done = statement->exec(); !done.ok()) return common::fail(storage_error(done.error()));
  return common::ok();
}

// Runs `sql` bound by `bind(statement)`, calling `row(statement)` for every row; `row` returns
// false to stop early.
template <class Bind, class Row>
Status query(store::Db& db, std::string_view sql, Bind&& bind, Row&& row) {
  auto statement = prepare(db, sql);
  if (!statement.ok()) return common::fail(statement.error());
  bind(*statement);
  while (true) {
    auto more = step(*statement);
    if (!more.ok()) return common::fail(more.error());
    if (!*more || !row(*statement)) return common::ok();
  }
}

inline int64_t to_millis(common::TimePoint t) { return common::to_epoch_millis(t); }
inline common::TimePoint from_millis(int64_t millis) {
  return common::TimePoint(std::chrono::duration_cast<common::TimePoint::duration>(std::chrono::milliseconds(millis)));
}

}  // namespace s3
