// Hashing a stream on a second thread while the calling thread reads and writes it. The caller
// acquire()s a free buffer of `buffer_size` bytes from a ring of kSlots, fills it and submit()s
// it (and may go on reading the buffer, to write it, until its next acquire()); the thread runs
// `hash` over the submitted buffers in order. finish() waits until everything submitted is
// hashed; destroyed without finish(), the thread stops without hashing the rest.
// Used by S3's data files (MD5 and checksums) and ECR's blob files (SHA-256).
#pragma once

#include <pthread.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

namespace common {

class HashThread {
 public:
  static constexpr size_t kSlots = 4;

  HashThread(size_t buffer_size, std::function<void(std::string_view)> hash)
      : buffer_size_(buffer_size), hash_(std::move(hash)) {}
  HashThread(const HashThread&) = delete;
  HashThread& operator=(const HashThread&) = delete;
  ~HashThread() { stop(true); }

  // False when no thread could be started (then the caller hashes inline).
  bool start();
  bool running() const { return running_; }

  // Waits for a free buffer of buffer_size bytes.
  char* acquire();
  // The buffer acquire() returned holds `size` bytes to hash.
  void submit(size_t size);
  // Waits until every submitted buffer is hashed, and ends the thread.
  void finish() { stop(false); }

 private:
  static void* main(void* self);
  void run();
  void stop(bool abandon);

  size_t buffer_size_;
  std::function<void(std::string_view)> hash_;
  std::unique_ptr<char[]> buffers_[kSlots];
  size_t sizes_[kSlots] = {};
  std::mutex mutex_;
  std::condition_variable filled_;  // submitted_ grew, or closing_
  std::condition_variable freed_;   // hashed_ grew
  uint64_t submitted_ = 0;
  uint64_t hashed_ = 0;
  bool closing_ = false;
  bool abandoned_ = false;
  bool running_ = false;
  pthread_t thread_{};
};

}  // namespace common
