// Runs LogsEngine::apply_retention() on a background thread every `interval` (AWS deletes
// expired events within 72 hours; hakobu within a minute). The server also runs it after
// POST /_hakobu/clock, so tests see the effect when that call returns.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "services/logs/engine/logs_engine.h"

namespace logs {

class RetentionSweeper {
 public:
  explicit RetentionSweeper(LogsEngine& engine, std::chrono::milliseconds interval = std::chrono::seconds(60));
  ~RetentionSweeper();  // stops and joins the thread
  RetentionSweeper(const RetentionSweeper&) = delete;
  RetentionSweeper& operator=(const RetentionSweeper&) = delete;

 private:
  void run();
  LogsEngine& engine_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace logs
