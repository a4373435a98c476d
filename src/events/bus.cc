#include "events/bus.h"

#include "common/ids.h"

namespace events {
namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE events_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  source TEXT NOT NULL,
  detail_type TEXT NOT NULL,
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  time REAL NOT NULL,
  resources TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX events_log_source ON events_log(source, seq);
)sql";

// Trimming costs a DELETE; once per this many appends is plenty.
constexpr uint64_t kTrimEvery = 256;

Event from_row(const store::Statement& row) {
  Event e;
  e.seq = row.integer(0);
  e.id = row.text(1);
  e.source = row.text(2);
  e.detail_type = row.text(3);
  e.account = row.text(4);
  e.region = row.text(5);
  e.time = common::from_epoch_seconds(row.real(6));
  auto resources = common::Json::parse(row.text(7), nullptr, false);
  if (resources.is_array()) {
    for (const auto& r : resources) {
      if (r.is_string()) e.resources.push_back(r.get<std::string>());
    }
  }
  auto detail = common::Json::parse(row.text(8), nullptr, false);
  e.detail = detail.is_discarded() ? common::Json::object() : std::move(detail);
  return e;
}

}  // namespace

common::Json Event::envelope() const {
  return common::Json{{"version", "0"},
                      {"id", id},
                      {"detail-type", detail_type},
                      {"source", source},
                      {"account", account},
                      {"time", common::format_iso8601(time)},
                      {"region", region},
                      {"resources", resources},
                      {"detail", detail}};
}

Bus::Bus(store::Db& db, const common::Clock& clock) : db_(db), clock_(clock) {}

common::Status<> Bus::migrate() { return db_.migrate("events", {{1, kSchema}}); }

common::Status<> Bus::append(Event& event) {
  if (event.id.empty()) event.id = common::uuid4();
  if (event.time == common::TimePoint{}) event.time = clock_.now();
  // Events carry second precision, as AWS's envelope does.
  event.time = std::chrono::time_point_cast<std::chrono::seconds>(event.time);
  auto insert = db_.prepare(
      "INSERT INTO events_log (id, source, detail_type, account, region, time, resources, detail) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return common::fail(insert.error());
  insert->bind(1, event.id)
      .bind(2, event.source)
      .bind(3, event.detail_type)
      .bind(4, event.account)
      .bind(5, event.region)
      .bind(6, common::to_epoch_seconds(event.time))
      .bind(7, common::Json(event.resources).dump())
      .bind(8, event.detail.dump());
  if (auto r = insert->exec(); !r.ok()) return r;
  event.seq = sqlite3_last_insert_rowid(db_.handle());
  uint64_t n;
  {
    std::lock_guard lock(mutex_);
    n = ++appends_since_trim_;
  }
  if (retention_ > 0 && n % kTrimEvery == 0) {
    auto trim = db_.prepare("DELETE FROM events_log WHERE seq <= ?");
    if (!trim.ok()) return common::fail(trim.error());
    trim->bind(1, event.seq - static_cast<int64_t>(retention_));
    if (auto r = trim->exec(); !r.ok()) return r;
  }
  return common::ok();
}

void Bus::notify() {
  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, wake] : subscribers_) wakes.push_back(wake);
  }
  changed_.notify_all();
  for (const auto& wake : wakes) wake();
}

common::Result<std::vector<Event>> Bus::read(const ReadQuery& query) const {
  store::Transaction txn(db_, store::Transaction::Mode::Read);
  if (!txn.ok()) return common::fail(txn.error());
  auto select = db_.prepare(
      "SELECT seq, id, source, detail_type, account, region, time, resources, detail FROM events_log "
      "WHERE seq > ? AND (? = '' OR source = ?) AND (? = '' OR detail_type = ?) AND (? = '' OR account = ?) "
      "ORDER BY seq LIMIT ?");
  if (!select.ok()) return common::fail(select.error());
  select->bind(1, query.after_seq)
      .bind(2, query.source)
      .bind(3, query.source)
      .bind(4, query.detail_type)
      .bind(5, query.detail_type)
      .bind(6, query.account)
      .bind(7, query.account)
      .bind(8, static_cast<int64_t>(query.limit));
  std::vector<Event> out;
  while (true) {
    auto row = select->step();
    if (!row.ok()) return common::fail(row.error());
    if (!*row) break;
    out.push_back(from_row(*select));
  }
  return out;
}

int64_t Bus::last_seq() const {
  store::Transaction txn(db_, store::Transaction::Mode::Read);
  if (!txn.ok()) return 0;
  auto select = db_.prepare("SELECT COALESCE(MAX(seq), 0) FROM events_log");
  if (!select.ok()) return 0;
  auto row = select->step();
  return row.ok() && *row ? select->integer(0) : 0;
}

int Bus::subscribe(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  int id = next_id_++;
  subscribers_.emplace_back(id, std::move(wake));
  return id;
}

void Bus::unsubscribe(int id) {
  std::lock_guard lock(mutex_);
  std::erase_if(subscribers_, [id](const auto& s) { return s.first == id; });
}

bool Bus::wait_for(int64_t after_seq, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (last_seq() > after_seq) return true;
    std::unique_lock lock(mutex_);
    // Re-checked under a short wait: notify() may run between the check and the wait.
    auto step = std::min<std::chrono::steady_clock::duration>(deadline - std::chrono::steady_clock::now(),
                                                              std::chrono::milliseconds(50));
    if (step <= std::chrono::steady_clock::duration::zero()) return false;
    changed_.wait_for(lock, step);
  }
}

void Bus::on_reset() {
  std::lock_guard lock(mutex_);
  appends_since_trim_ = 0;
}

}  // namespace events
