// The engine's SQL helpers: statements prepared on the calling thread's connection (cached by
// SQL text) with store errors turned into ecr::Error (Internal), and time columns (REAL epoch
// seconds).
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "common/clock.h"
#include "services/ecr/engine/ecr_engine.h"
#include "store/db.h"

namespace ecr {

inline Error internal_error(const common::Error& e) { return error(Errc::Internal, e.message); }

inline Result<store::Statement> prepare(store::Db& db, std::string_view sql) {
  auto statement = db.prepare(sql);
  if (!statement.ok()) return common::fail(internal_error(statement.error()));
  return std::move(*statement);
}

// Steps once: true when a row is available.
inline Result<bool> step(store::Statement& statement) {
  auto row = statement.step();
  if (!row.ok()) return common::fail(internal_error(row.error()));
  return *row;
}

// Runs `sql` bound by `bind(statement)` to completion.
template <class Bind>
Status execute(store::Db& db, std::string_view sql, Bind&& bind) {
  auto statement = prepare(db, sql);
  if (!statement.ok()) return common::fail(statement.error());
  bind(*statement);
  if (auto done = statement->exec(); !done.ok()) return common::fail(internal_error(done.error()));
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

// Whether `sql` bound by `bind` yields a row.
template <class Bind>
Result<bool> exists(store::Db& db, std::string_view sql, Bind&& bind) {
  bool found = false;
  auto r = query(db, sql, std::forward<Bind>(bind), [&](store::Statement&) {
    found = true;
    return false;
  });
  if (!r.ok()) return common::fail(r.error());
  return found;
}

inline Status commit(store::Transaction& tx) {
  if (auto r = tx.commit(); !r.ok()) return common::fail(internal_error(r.error()));
  return common::ok();
}

inline double to_column(common::TimePoint t) { return common::to_epoch_seconds(t); }
inline common::TimePoint time_column(const store::Statement& s, int column) {
  return common::from_epoch_seconds(s.real(column));
}
inline std::optional<common::TimePoint> optional_time_column(const store::Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return time_column(s, column);
}

}  // namespace ecr
