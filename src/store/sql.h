// The helpers that keep an engine's repositories to their SQL: statements prepared on the
// calling thread's connection (cached by SQL text), run or stepped through their rows, with
// store errors (common::Error) turned into the engine's own error by `to_error`. An engine
// names its instance once (`using Sql = store::Sql<&internal_error>;`) and calls Sql::query().
#pragma once

#include <string_view>
#include <type_traits>
#include <utility>

#include "common/result.h"
#include "store/db.h"

namespace store {

template <auto to_error>
struct Sql {
  using Error = std::invoke_result_t<decltype(to_error), const common::Error&>;
  template <class T>
  using Result = common::Result<T, Error>;
  using Status = common::Status<Error>;

  static Result<Statement> prepare(Db& db, std::string_view sql) {
    auto statement = db.prepare(sql);
    if (!statement.ok()) return common::fail(to_error(statement.error()));
    return std::move(*statement);
  }

  // Steps once: true when a row is available.
  static Result<bool> step(Statement& statement) {
    auto row = statement.step();
    if (!row.ok()) return common::fail(to_error(row.error()));
    return *row;
  }

  // Runs `sql` bound by `bind(statement)` to completion.
  template <class Bind>
  static Status execute(Db& db, std::string_view sql, Bind&& bind) {
    auto statement = prepare(db, sql);
    if (!statement.ok()) return common::fail(statement.error());
    bind(*statement);
    if (auto done = statement->exec(); !done.ok()) return common::fail(to_error(done.error()));
    return common::ok();
  }

  // Runs `sql` bound by `bind(statement)`, calling `row(statement)` for every row; `row` returns
  // false to stop early.
  template <class Bind, class Row>
  static Status query(Db& db, std::string_view sql, Bind&& bind, Row&& row) {
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
  static Result<bool> exists(Db& db, std::string_view sql, Bind&& bind) {
    bool found = false;
    auto r = query(db, sql, std::forward<Bind>(bind), [&](Statement&) {
      found = true;
      return false;
    });
    if (!r.ok()) return common::fail(r.error());
    return found;
  }

  static Status commit(Transaction& tx) {
    if (auto r = tx.commit(); !r.ok()) return common::fail(to_error(r.error()));
    return common::ok();
  }
};

}  // namespace store
