#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "common/clock.h"

namespace common::log {
namespace {

std::atomic<Level> current_level{Level::Info};

class Sink {
 public:
  Sink() = default;

  void append(std::string_view line, bool flush_now) {
    std::unique_lock<std::mutex> lock(mutex_);
    buffer_.append(line);
    if (!flusher_started_) {
      flusher_started_ = true;
      std::thread([this] { run(); }).detach();
    }
    if (flush_now || buffer_.size() > 64 * 1024) {
      write_locked();
    } else {
      pending_.notify_one();
    }
  }

  void flush() {
    std::lock_guard<std::mutex> lock(mutex_);
    write_locked();
  }

 private:
  void write_locked() {
    size_t done = 0;
    while (done < buffer_.size()) {
      ssize_t n = ::write(2, buffer_.data() + done, buffer_.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    buffer_.clear();
  }

  // Sleeps until something is buffered, then lets lines gather for 50 ms: an idle server
  // does not wake up.
  void run() {
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        pending_.wait(lock, [this] { return !buffer_.empty(); });
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      flush();
    }
  }

  std::mutex mutex_;
  std::condition_variable pending_;
  std::string buffer_;
  bool flusher_started_ = false;
};

Sink& sink() {
  // Never destroyed: the flusher thread outlives statics. Flushed at exit.
  static Sink* s = [] {
    auto* created = new Sink();
    std::atexit([] { common::log::flush(); });
    return created;
  }();
  return *s;
}

std::string_view level_name(Level l) {
  switch (l) {
    case Level::Debug: return "DEBUG";
    case Level::Info: return "INFO";
    case Level::Warn: return "WARN";
    case Level::Error: return "ERROR";
  }
  return "INFO";
}

}  // namespace

void set_level(Level l) { current_level.store(l); }
Level level() { return current_level.load(); }
bool enabled(Level l) { return static_cast<int>(l) >= static_cast<int>(current_level.load()); }

void write(Level l, std::string_view message, bool flush_now) {
  std::string line = format_iso8601(std::chrono::system_clock::now(), true);
  line += ' ';
  line += level_name(l);
  line += ' ';
  line += message;
  line += '\n';
  sink().append(line, flush_now);
}

void flush() { sink().flush(); }

}  // namespace common::log
