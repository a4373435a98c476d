#include "common/hash_thread.h"

namespace common {

bool HashThread::start() {
  for (auto& buffer : buffers_) buffer = std::make_unique_for_overwrite<char[]>(buffer_size_);
  // pthread rather than std::thread: a failure to start is a value, not an exception.
  running_ = ::pthread_create(&thread_, nullptr, &HashThread::main, this) == 0;
  return running_;
}

char* HashThread::acquire() {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [this] { return submitted_ - hashed_ < kSlots; });
  return buffers_[submitted_ % kSlots].get();
}

void HashThread::submit(size_t size) {
  {
    std::lock_guard lock(mutex_);
    sizes_[submitted_ % kSlots] = size;
    ++submitted_;
  }
  filled_.notify_one();
}

void* HashThread::main(void* self) {
  static_cast<HashThread*>(self)->run();
  return nullptr;
}

void HashThread::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    filled_.wait(lock, [this] { return hashed_ < submitted_ || closing_; });
    if (abandoned_ || hashed_ == submitted_) return;
    size_t slot = hashed_ % kSlots;
    std::string_view bytes(buffers_[slot].get(), sizes_[slot]);
    lock.unlock();
    hash_(bytes);
    lock.lock();
    ++hashed_;
    freed_.notify_one();
  }
}

void HashThread::stop(bool abandon) {
  if (!running_) return;
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    abandoned_ = abandon;
  }
  filled_.notify_one();
  ::pthread_join(thread_, nullptr);
  running_ = false;
}

}  // namespace common
