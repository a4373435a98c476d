// Two helpers that keep the repositories to their SQL: run a statement, or run a query and
// visit its rows.
#pragma once

#include <sqlite3.h>

#include <string_view>
#include <utility>

#include "common/result.h"
#include "store/db.h"

namespace iam::repo {

// Runs `sql` with `bind(statement)`; returns the number of rows changed.
template <class Bind>
common::Result<int> execute(store::Db& db, std::string_view sql, Bind&& bind) {
  auto statement = db.prepare(sql);
  if (!statement.ok()) {
    return common::fail(statement.error());
  }
  bind(*statement);
  if (auto done = statement->exec(); !done.ok()) {
    return common::fail(done.error());
  }
  return sqlite3_changes(db.handle());
}

// Runs `sql` with `bind(statement)` and calls `row(statement)` for every row.
template <class Bind, class Row>
common::Status<> query(store::Db& db, std::string_view sql, Bind&& bind, Row&& row) {
  auto statement = db.prepare(sql);
  if (!statement.ok()) {
    return common::fail(statement.error());
  }
  bind(*statement);
  while (true) {
    auto more = statement->step();
    if (!more.ok()) {
      return common::fail(more.error());
    }
    if (!*more) {
      return common::ok();
    }
    row(*statement);
  }
}

}  // namespace iam::repo
