// A read-through cache of each parameter's latest version, so GetParameter does not touch
// SQLite on the hot path. Writers call invalidate() after they commit; a reader only fills
// the cache when no write committed since it started reading (generation check), so a value
// read before a commit can never be cached after it.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "services/ssm/model/parameter.h"

namespace ssm {

class LatestCache {
 public:
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  std::optional<ParameterVersion> get(const Scope& scope, std::string_view key) const {
    std::string k = cache_key(scope, key);
    std::shared_lock lock(mutex_);
    auto it = entries_.find(k);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }

  // Stores `parameter` if no write committed since `seen_generation` was read.
  void put(uint64_t seen_generation, const Scope& scope, std::string_view key, const ParameterVersion& parameter) {
    std::unique_lock lock(mutex_);
    if (generation_.load(std::memory_order_acquire) != seen_generation) return;
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_[cache_key(scope, key)] = parameter;
  }

  void invalidate() {
    std::unique_lock lock(mutex_);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    entries_.clear();
  }

 private:
  static constexpr size_t kMaxEntries = 100000;

  static std::string cache_key(const Scope& scope, std::string_view key) {
    std::string k;
    k.reserve(scope.account.size() + scope.region.size() + key.size() + 2);
    k.append(scope.account).push_back('\0');
    k.append(scope.region).push_back('\0');
    k.append(key);
    return k;
  }

  mutable std::shared_mutex mutex_;
  std::atomic<uint64_t> generation_{0};
  std::unordered_map<std::string, ParameterVersion> entries_;
};

}  // namespace ssm
