#include "store/db.h"

#include <atomic>
#include <cstring>
#include <thread>

namespace store {

common::Error sqlite_error(sqlite3* db, int rc) {
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: return common::make_error(common::ErrorKind::AlreadyExists, message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return common::make_error(common::ErrorKind::Unavailable, message);
    case SQLITE_FULL:
    case SQLITE_IOERR: return common::make_error(common::ErrorKind::Unavailable, message);
    default: return common::make_error(common::ErrorKind::Internal, message);
  }
}

class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  sqlite3* db() const { return db_; }
  std::unordered_map<std::string, sqlite3_stmt*>& cache() { return cache_; }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

namespace {
std::atomic<uint64_t> next_db_id{1};

// Live databases, so a thread that exits can hand its connections back to their pool.
std::mutex live_mutex;
std::unordered_map<uint64_t, Db*> live_dbs;

struct ThreadConnections {
  // Db id -> connection owned by the Db (raw pointer valid while the Db lives).
  std::unordered_map<uint64_t, Connection*> by_db;
  ~ThreadConnections() {
    std::lock_guard<std::mutex> lock(live_mutex);
    for (auto& [id, connection] : by_db) {
      auto it = live_dbs.find(id);
      if (it != live_dbs.end()) it->second->release_connection(connection);
    }
  }
};
thread_local ThreadConnections thread_connections;
}  // namespace

Statement::~Statement() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}
Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}
Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

common::Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return common::fail(sqlite_error(db_, rc));
}

common::Status<> Statement::exec() {
  while (true) {
    auto r = step();
    if (!r.ok()) return common::fail(r.error());
    if (!*r) return common::ok();
  }
}

std::string Statement::text(int column) const {
  const unsigned char* t = sqlite3_column_text(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  return t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(n));
}
int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }
bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

namespace {
// The database whose write lock this thread holds, so a nested write attempt does not deadlock
// (SQLite itself refuses the nested BEGIN).
thread_local const Db* holding_write_lock = nullptr;
}  // namespace

Transaction::Transaction(Db& db, Mode mode) : db_(db) {
  // Writers queue on a mutex instead of SQLite's busy handler, which sleeps in growing steps
  // (up to 100 ms) and made concurrent writers wait far longer than the work takes.
  if (mode == Mode::Write && holding_write_lock != &db_) {
    write_lock_ = std::unique_lock<std::mutex>(db_.write_mutex_);
    holding_write_lock = &db_;
  }
  auto r = db_.exec(mode == Mode::Write ? "BEGIN IMMEDIATE" : "BEGIN");
  if (r.ok()) {
    began_ = true;
  } else {
    error_ = r.error();
  }
}

Transaction::~Transaction() {
  if (began_ && !done_) {
    (void)db_.exec("ROLLBACK");
  }
  if (write_lock_.owns_lock()) holding_write_lock = nullptr;
}

common::Status<> Transaction::commit() {
  if (!began_) return common::fail(error_);
  done_ = true;
  return db_.exec("COMMIT");
}

Db::Db(std::string path) : path_(std::move(path)) {}

common::Result<std::unique_ptr<Db>> Db::open(const std::string& path) {
  std::unique_ptr<Db> db(new Db(path));
  db->id_ = next_db_id.fetch_add(1);
  if (path == ":memory:") {
    db->uri_ = "file:hakobu_mem_" + std::to_string(db->id_) + "?mode=memory&cache=shared";
  } else {
    db->uri_ = "file:" + path;
  }
  {
    std::lock_guard<std::mutex> lock(live_mutex);
    live_dbs[db->id_] = db.get();
  }
  // Open one connection now so errors surface at startup, and set WAL once.
  sqlite3* handle = db->handle();
  if (handle == nullptr) {
    return common::fail(common::make_error(common::ErrorKind::Unavailable, "cannot open database " + path));
  }
  return db;
}

Db::~Db() {
  {
    std::lock_guard<std::mutex> lock(live_mutex);
    live_dbs.erase(id_);
  }
  thread_connections.by_db.erase(id_);
  std::lock_guard<std::mutex> lock(mutex_);
  free_.clear();
  connections_.clear();
}

void Db::release_connection(Connection* connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (free_.size() < kMaxIdleConnections) {
    free_.push_back(connection);
    return;
  }
  // Enough idle connections: close this one so memory returns after a burst of clients.
  for (auto it = connections_.begin(); it != connections_.end(); ++it) {
    if (it->get() == connection) {
      connections_.erase(it);
      return;
    }
  }
}

sqlite3* Db::handle() {
  auto& map = thread_connections.by_db;
  auto it = map.find(id_);
  if (it != map.end()) return it->second->db();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!free_.empty()) {
      Connection* reused = free_.back();
      free_.pop_back();
      map[id_] = reused;
      return reused->db();
    }
  }
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(uri_.c_str(), &raw, flags, nullptr) != SQLITE_OK) {
    if (raw != nullptr) sqlite3_close_v2(raw);
    return nullptr;
  }
  sqlite3_busy_timeout(raw, 10000);
  sqlite3_exec(raw,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
               "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-1024;",
               nullptr, nullptr, nullptr);
  auto connection = std::make_unique<Connection>(raw);
  Connection* ptr = connection.get();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    connections_.push_back(std::move(connection));
  }
  map[id_] = ptr;
  return raw;
}

common::Result<Statement> Db::prepare(std::string_view sql) {
  sqlite3* db = handle();
  if (db == nullptr) return common::fail(common::make_error(common::ErrorKind::Unavailable, "database unavailable"));
  Connection* connection = thread_connections.by_db[id_];
  auto& cache = connection->cache();
  auto it = cache.find(std::string(sql));
  if (it != cache.end()) return Statement(db, it->second);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return common::fail(sqlite_error(db, rc));
  cache.emplace(std::string(sql), stmt);
  return Statement(db, stmt);
}

common::Status<> Db::exec(std::string_view sql) {
  sqlite3* db = handle();
  if (db == nullptr) return common::fail(common::make_error(common::ErrorKind::Unavailable, "database unavailable"));
  std::string copy(sql);
  int rc = sqlite3_exec(db, copy.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return common::fail(sqlite_error(db, rc));
  return common::ok();
}

common::Status<> Db::migrate(std::string_view module, const std::vector<Migration>& migrations) {
  if (auto r = exec("CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, "
                    "PRIMARY KEY (module, version))");
      !r.ok()) {
    return r;
  }
  // Schema changes skip fsync (a crash of the process still keeps them; only power loss
  // could lose a fresh schema, which the next start recreates): start-up stays in milliseconds.
  (void)exec("PRAGMA synchronous=OFF");
  struct RestoreSync {
    Db* db;
    ~RestoreSync() { (void)db->exec("PRAGMA synchronous=NORMAL"); }
  } restore{this};
  for (const auto& m : migrations) {
    Transaction tx(*this, Transaction::Mode::Write);
    if (!tx.ok()) return common::fail(tx.error());
    auto check = prepare("SELECT 1 FROM schema_migrations WHERE module = ? AND version = ?");
    if (!check.ok()) return common::fail(check.error());
    check->bind(1, module).bind(2, static_cast<int64_t>(m.version));
    auto seen = check->step();
    if (!seen.ok()) return common::fail(seen.error());
    if (*seen) continue;
    if (auto r = exec(m.sql); !r.ok()) {
      return common::fail(common::make_error(
          common::ErrorKind::Internal,
          "migration " + std::string(module) + "/" + std::to_string(m.version) + " failed: " + r.error().message));
    }
    auto record = prepare("INSERT INTO schema_migrations (module, version) VALUES (?, ?)");
    if (!record.ok()) return common::fail(record.error());
    record->bind(1, module).bind(2, static_cast<int64_t>(m.version));
    if (auto r = record->exec(); !r.ok()) return r;
    if (auto r = tx.commit(); !r.ok()) return r;
  }
  return common::ok();
}

common::Status<> Db::reset_all() {
  Transaction tx(*this, Transaction::Mode::Write);
  if (!tx.ok()) return common::fail(tx.error());
  std::vector<std::string> tables;
  {
    auto list = prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'schema_migrations'");
    if (!list.ok()) return common::fail(list.error());
    while (true) {
      auto row = list->step();
      if (!row.ok()) return common::fail(row.error());
      if (!*row) break;
      tables.push_back(list->text(0));
    }
  }
  (void)exec("PRAGMA defer_foreign_keys=ON");
  for (const auto& t : tables) {
    if (auto r = exec("DELETE FROM \"" + t + "\""); !r.ok()) return r;
  }
  return tx.commit();
}

}  // namespace store
