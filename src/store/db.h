// SQLite behind RAII: Db (one file in WAL mode, a connection per thread), Statement (a cached
// prepared statement), Transaction (rolls back unless committed), and numbered migrations.
// SQLite errors map to common::ErrorKind (constraint -> AlreadyExists, busy -> Unavailable).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace store {

class Connection;

// A prepared statement borrowed from a connection's cache; reset when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binding is 1-based, as in SQLite. Returns *this for chaining.
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, bool value) { return bind(index, static_cast<int64_t>(value ? 1 : 0)); }
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::string>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Steps once: true when a row is available; false when done. Errors become Result errors.
  common::Result<bool> step();
  // Runs to completion (for INSERT/UPDATE/DELETE).
  common::Status<> exec();

  std::string text(int column) const;
  int64_t integer(int column) const;
  double real(int column) const;
  bool is_null(int column) const;
  std::optional<std::string> optional_text(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Db;

// RAII transaction on the calling thread's connection. Write transactions use BEGIN
// IMMEDIATE so writers queue on the lock instead of failing mid-transaction.
class Transaction {
 public:
  enum class Mode { Read, Write };
  Transaction(Db& db, Mode mode);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  bool ok() const { return began_; }
  const common::Error& error() const { return error_; }
  common::Status<> commit();

 private:
  Db& db_;
  bool began_ = false;
  bool done_ = false;
  common::Error error_;
  std::unique_lock<std::mutex> write_lock_;
};

struct Migration {
  int version;
  std::string_view sql;
};

class Db {
 public:
  // Opens (creating) the database file; ":memory:" gives a shared in-memory database for tests.
  static common::Result<std::unique_ptr<Db>> open(const std::string& path);
  ~Db();

  // Applies the numbered migrations of `module` that have not run yet, in order, each in its
  // own transaction. Fails fast on an SQL error.
  common::Status<> migrate(std::string_view module, const std::vector<Migration>& migrations);

  // A statement prepared on the calling thread's connection (cached by SQL text).
  common::Result<Statement> prepare(std::string_view sql);
  // Runs SQL with no results (may contain several statements).
  common::Status<> exec(std::string_view sql);

  // Deletes every row of every table but the migration log (moto-api reset).
  common::Status<> reset_all();

  sqlite3* handle();
  const std::string& path() const { return path_; }

  // Called when a thread exits: its connection returns to the pool for the next thread.
  void release_connection(Connection* connection);

 private:
  explicit Db(std::string path);
  std::string path_;
  std::string uri_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> connections_;  // owned here, one per thread
  std::vector<Connection*> free_;                         // released by exited threads
  std::mutex write_mutex_;                                // serialises write transactions
  static constexpr size_t kMaxIdleConnections = 4;
  friend class Transaction;
  uint64_t id_;
};

common::Error sqlite_error(sqlite3* db, int rc);

}  // namespace store
