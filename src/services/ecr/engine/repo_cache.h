// Repositories in memory, by (account, region, name) and by id: every registry request looks
// its repository up. Writers call invalidate() after they commit; a reader fills the cache
// only when no write committed since it started reading (generation check), so a repository
// read before a commit is never cached after it. (S3's BucketCache, with a second key.)
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "services/ecr/engine/ecr_engine.h"

namespace ecr {

class RepoCache {
 public:
  static std::string key(std::string_view account, std::string_view region, std::string_view name) {
    std::string k;
    k.reserve(account.size() + region.size() + name.size() + 2);
    k.append(account).push_back('\n');
    k.append(region).push_back('\n');
    k.append(name);
    return k;
  }

  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  std::optional<Repository> get(const std::string& key) const {
    std::shared_lock lock(mutex_);
    auto it = by_key_.find(key);
    if (it == by_key_.end()) return std::nullopt;
    return it->second;
  }

  std::optional<Repository> get(int64_t id) const {
    std::shared_lock lock(mutex_);
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return std::nullopt;
    return it->second;
  }

  void put(uint64_t seen_generation, const Repository& repo) {
    std::unique_lock lock(mutex_);
    if (generation_.load(std::memory_order_acquire) != seen_generation) return;
    if (by_id_.size() >= kMaxEntries) {
      by_id_.clear();
      by_key_.clear();
    }
    by_key_[key(repo.account, repo.region, repo.name)] = repo;
    by_id_[repo.id] = repo;
  }

  void invalidate() {
    std::unique_lock lock(mutex_);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    by_key_.clear();
    by_id_.clear();
  }

 private:
  static constexpr size_t kMaxEntries = 10000;

  mutable std::shared_mutex mutex_;
  std::atomic<uint64_t> generation_{0};
  std::unordered_map<std::string, Repository> by_key_;
  std::unordered_map<int64_t, Repository> by_id_;
};

}  // namespace ecr
