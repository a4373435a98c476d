#include "services/logs/engine/migrations.h"

namespace logs {

// Times are INTEGER epoch milliseconds. Events live in one table whose two indexes make the
// two reads index scans: a stream in time order (GetLogEvents) and a group by time
// (FilterLogEvents, the retention sweep). The row id breaks ties between equal timestamps
// and, never reused (AUTOINCREMENT), makes tokens and eventIds stable.
const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE logs_groups (
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  retention_days INTEGER,
  log_class TEXT NOT NULL,
  kms_key TEXT NOT NULL,
  deletion_protection INTEGER NOT NULL,
  stored_bytes INTEGER NOT NULL,
  UNIQUE (account, region, name)
);
CREATE TABLE logs_group_tags (
  group_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (group_id, key)
) WITHOUT ROWID;
CREATE TABLE logs_streams (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  first_event INTEGER,
  last_event INTEGER,
  last_ingestion INTEGER,
  sequence INTEGER NOT NULL,
  UNIQUE (group_id, name)
);
CREATE TABLE logs_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id INTEGER NOT NULL,
  stream_id INTEGER NOT NULL,
  timestamp INTEGER NOT NULL,
  ingestion INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX logs_events_by_stream ON logs_events (stream_id, timestamp);
CREATE INDEX logs_events_by_group ON logs_events (group_id, timestamp);
)sql"},
  };
  return kMigrations;
}

}  // namespace logs
