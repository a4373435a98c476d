#include "services/logs/engine/retention_sweeper.h"

#include "common/log.h"

namespace logs {

RetentionSweeper::RetentionSweeper(LogsEngine& engine, std::chrono::milliseconds interval)
    : engine_(engine), interval_(interval), thread_([this] { run(); }) {}

RetentionSweeper::~RetentionSweeper() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void RetentionSweeper::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    if (auto removed = engine_.apply_retention(); !removed.ok()) {
      common::log::warn("logs: retention sweep failed: {}", removed.error().message);
    } else if (*removed > 0) {
      common::log::info("logs: retention removed {} event(s)", *removed);
    }
    lock.lock();
  }
}

}  // namespace logs
