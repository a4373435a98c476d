// Upload sessions in memory: the running SHA-256 and offset of each upload in progress, so
// completing one does not read its file again. A session is used by one request at a time (its
// mutex). The ecr_uploads row, not this map, says a session exists: after a restart a session
// comes back from its row and file with no hash (hash_valid false), and completing it re-hashes
// the file.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/crypto.h"

namespace ecr {

struct UploadSession {
  UploadSession(std::string uuid, int64_t repo_id, int64_t offset)
      : uuid(std::move(uuid)),
        repo_id(repo_id),
        hash(std::make_unique<common::Sha256Stream>()),
        offset(offset),
        hash_valid(offset == 0) {}

  const std::string uuid;
  const int64_t repo_id;
  std::mutex mutex;                            // held by the request using the session; guards the fields below
  std::unique_ptr<common::Sha256Stream> hash;  // replaced when the session is back at offset 0
  int64_t offset = 0;                          // bytes received so far (the file's size)
  bool hash_valid = false;                     // `hash` has seen exactly the file's bytes
  bool gone = false;                           // completed or cancelled while a request waited for it
};

class UploadSessions {
 public:
  std::shared_ptr<UploadSession> get(std::string_view uuid) const {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(std::string(uuid));
    return it == sessions_.end() ? nullptr : it->second;
  }

  // Adds `session` unless one with its uuid is there already; returns the one in the map.
  std::shared_ptr<UploadSession> add(std::shared_ptr<UploadSession> session) {
    std::lock_guard lock(mutex_);
    auto [it, added] = sessions_.emplace(session->uuid, session);
    return it->second;
  }

  void erase(std::string_view uuid) {
    std::lock_guard lock(mutex_);
    sessions_.erase(std::string(uuid));
  }

  void erase_repository(int64_t repo_id) {
    std::lock_guard lock(mutex_);
    std::erase_if(sessions_, [&](const auto& entry) { return entry.second->repo_id == repo_id; });
  }

  void clear() {
    std::lock_guard lock(mutex_);
    sessions_.clear();
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<UploadSession>> sessions_;
};

}  // namespace ecr
