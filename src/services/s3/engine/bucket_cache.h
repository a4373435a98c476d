// Buckets by name, in memory: get_bucket is on every S3 request's path (authorization needs
// the owner). Writers call invalidate() after they commit; a reader fills the cache only when
// no write committed since it started reading (generation check), so a bucket read before a
// commit is never cached after it.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "services/s3/engine/s3_engine.h"

namespace s3 {

class BucketCache {
 public:
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  std::optional<Bucket> get(std::string_view name) const {
    std::shared_lock lock(mutex_);
    auto it = entries_.find(name);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }

  void put(uint64_t seen_generation, const Bucket& bucket) {
    std::unique_lock lock(mutex_);
    if (generation_.load(std::memory_order_acquire) != seen_generation) return;
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_[bucket.name] = bucket;
  }

  void invalidate() {
    std::unique_lock lock(mutex_);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    entries_.clear();
  }

 private:
  static constexpr size_t kMaxEntries = 100000;

  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  mutable std::shared_mutex mutex_;
  std::atomic<uint64_t> generation_{0};
  std::unordered_map<std::string, Bucket, Hash, std::equal_to<>> entries_;
};

}  // namespace s3
