// hakobu's internal event bus: a durable, ordered log of AWS-shaped events in the store.
//
// A producer appends its event inside the same write transaction as the state change it
// describes (the transactional-outbox pattern), so an event exists if and only if its change
// committed: a crash can lose neither, nor publish one without the other. After commit the
// producer calls notify(), which wakes subscribers; each subscriber keeps its own cursor (the
// last sequence number it handled) and reads the log forward from it, so a slow or restarted
// consumer catches up instead of losing events. Events older than the retention are trimmed.
//
// Consumers: EventBridge rules (issue 7), CodePipeline source triggers, tests (GET
// /_hakobu/events). Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/result.h"
#include "store/db.h"

namespace events {

struct Event {
  int64_t seq = 0;          // assigned by append(): 1, 2, 3... in commit order
  std::string id;           // uuid v4, assigned by append() when empty
  std::string source;       // "aws.ecr"
  std::string detail_type;  // "ECR Image Action"
  std::string account;      // 12 digits
  std::string region;
  common::TimePoint time{};  // set by append() from the clock when zero
  std::vector<std::string> resources;
  common::Json detail = common::Json::object();

  // AWS's envelope: {"version":"0","id":...,"detail-type":...,"source":...,"account":...,
  // "time":"2024-01-02T03:04:05Z","region":...,"resources":[...],"detail":{...}}
  common::Json envelope() const;
};

struct ReadQuery {
  int64_t after_seq = 0;  // exclusive
  size_t limit = 1000;
  std::string source;       // "" = any
  std::string detail_type;  // "" = any
  std::string account;      // "" = any
};

class Bus {
 public:
  Bus(store::Db& db, const common::Clock& clock);
  common::Status<> migrate();

  // Appends to the log on the calling thread's connection: call it inside the producer's open
  // write transaction. Fills seq, id and time in `event`.
  common::Status<> append(Event& event);
  // Call after the producer's transaction committed (harmless when nothing was appended).
  void notify();

  // Events after `query.after_seq` in order.
  common::Result<std::vector<Event>> read(const ReadQuery& query) const;
  // The highest sequence number committed so far (0 when empty).
  int64_t last_seq() const;

  // Registers `wake`, called (on the notifying thread; keep it quick) after every notify().
  // Subscribers read() from their own cursor. Returns an id for unsubscribe().
  int subscribe(std::function<void()> wake);
  void unsubscribe(int id);

  // Blocks until an event after `after_seq` is committed or `timeout` passes; true when there
  // is one. For tests and long-polling readers.
  bool wait_for(int64_t after_seq, std::chrono::milliseconds timeout);

  // Keep at most this many events (oldest trimmed first); 0 = unlimited.
  void set_retention(size_t max_events) { retention_ = max_events; }
  void on_reset();

 private:
  store::Db& db_;
  const common::Clock& clock_;
  size_t retention_ = 100000;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int next_id_ = 1;
  std::vector<std::pair<int, std::function<void()>>> subscribers_;
  uint64_t appends_since_trim_ = 0;
};

}  // namespace events
