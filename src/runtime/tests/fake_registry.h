// A minimal OCI distribution registry for the integration tests (push and pull through the
// engine, hermetic: no registry package needed): blobs and manifests in memory, HTTP Basic auth
// against one user, on 127.0.0.1 and a free port. It answers what podman 4.3 asks: the /v2/
// ping, blob HEAD/GET, POST+PATCH+PUT uploads (and monolithic PUT), manifest PUT/GET/HEAD.
// Not a reference registry: hakobu's own lives in services/ecr/registry.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/crypto.h"
#include "common/strings.h"
#include "http/server.h"

namespace runtime::testing {

class FakeRegistry {
 public:
  FakeRegistry(std::string username, std::string password)
      : expected_auth_("Basic " + common::base64_encode(username + ":" + password)) {
    http::ServerOptions options;
    options.port = 0;
    server_ =
        std::make_unique<http::Server>(options, [this](http::Request& rq, http::Response& rs) { handle(rq, rs); });
    std::string error;
    listening_ = server_->listen(error);
    listen_error_ = error;
    if (listening_) thread_ = std::thread([this] { server_->run(); });
  }
  ~FakeRegistry() {
    if (listening_) {
      server_->stop();
      thread_.join();
    }
  }
  bool ok() const { return listening_; }
  const std::string& error() const { return listen_error_; }
  std::string host() const { return "127.0.0.1:" + std::to_string(server_->port()); }
  int authorized_requests() const { return authorized_.load(); }
  int refused_requests() const { return refused_.load(); }
  bool has_manifest(const std::string& name, const std::string& reference) {
    std::lock_guard lock(mutex_);
    return manifests_.count(name + "@" + reference) != 0;
  }

 private:
  struct Manifest {
    std::string body;
    std::string type;
  };

  void handle(http::Request& rq, http::Response& rs) {
    std::string body;
    if (rq.body_reader != nullptr && !rq.read_body(body, 64u << 20)) {
      rs.status = 413;
      return;
    }
    const std::string* auth = rq.header("Authorization");
    if (auth == nullptr || *auth != expected_auth_) {
      ++refused_;
      rs.status = 401;
      rs.set_header("WWW-Authenticate", "Basic realm=\"fake\"");
      rs.set_header("Content-Type", "application/json");
      rs.body = R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})";
      return;
    }
    ++authorized_;
    rs.set_header("Docker-Distribution-API-Version", "registry/2.0");
    if (rq.path == "/v2/" || rq.path == "/v2") return;
    std::lock_guard lock(mutex_);
    route(rq, rs, body);
  }

  // /v2/<name>/<kind>/<rest>, where <name> may hold slashes.
  void route(http::Request& rq, http::Response& rs, std::string& body) {
    std::string path = rq.path.substr(4);
    for (const char* kind : {"/blobs/uploads/", "/blobs/", "/manifests/"}) {
      size_t at = path.rfind(kind);
      if (at == std::string::npos) continue;
      std::string name = path.substr(0, at);
      std::string rest = path.substr(at + std::strlen(kind));
      if (std::string(kind) == "/blobs/uploads/") return upload(rq, rs, name, rest, body);
      if (std::string(kind) == "/blobs/") return blob(rq, rs, rest);
      return manifest(rq, rs, name, rest, body);
    }
    rs.status = 404;
  }

  void upload(http::Request& rq, http::Response& rs, const std::string& name, const std::string& id,
              const std::string& body) {
    if (rq.method == "POST") {
      std::string new_id = std::to_string(++uploads_counter_);
      uploads_[new_id] = body;
      rs.status = 202;
      rs.set_header("Location", "/v2/" + name + "/blobs/uploads/" + new_id);
      rs.set_header("Range", "0-0");
      return;
    }
    auto it = uploads_.find(id);
    if (it == uploads_.end()) {
      rs.status = 404;
      return;
    }
    it->second += body;
    if (rq.method == "PATCH") {
      rs.status = 202;
      rs.set_header("Location", "/v2/" + name + "/blobs/uploads/" + id);
      rs.set_header("Range", "0-" + std::to_string(it->second.empty() ? 0 : it->second.size() - 1));
      return;
    }
    std::string digest;
    for (const auto& [key, value] : common::parse_query(rq.query)) {
      if (key == "digest") digest = value;
    }
    blobs_[digest] = std::move(it->second);
    uploads_.erase(it);
    rs.status = 201;
    rs.set_header("Location", "/v2/" + name + "/blobs/" + digest);
    rs.set_header("Docker-Content-Digest", digest);
  }

  void blob(http::Request& rq, http::Response& rs, const std::string& digest) {
    auto it = blobs_.find(digest);
    if (it == blobs_.end()) {
      rs.status = 404;
      return;
    }
    rs.set_header("Docker-Content-Digest", digest);
    rs.set_header("Content-Type", "application/octet-stream");
    rs.body = it->second;
    rs.head_only = rq.method == "HEAD";
  }

  void manifest(http::Request& rq, http::Response& rs, const std::string& name, const std::string& reference,
                const std::string& body) {
    if (rq.method == "PUT") {
      const std::string* type = rq.header("Content-Type");
      std::string digest = "sha256:" + common::sha256_hex(body);
      Manifest m{body, type != nullptr ? *type : ""};
      manifests_[name + "@" + reference] = m;
      manifests_[name + "@" + digest] = m;
      rs.status = 201;
      rs.set_header("Docker-Content-Digest", digest);
      rs.set_header("Location", "/v2/" + name + "/manifests/" + digest);
      return;
    }
    auto it = manifests_.find(name + "@" + reference);
    if (it == manifests_.end()) {
      rs.status = 404;
      rs.set_header("Content-Type", "application/json");
      rs.body = R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]})";
      return;
    }
    rs.set_header("Content-Type", it->second.type);
    rs.set_header("Docker-Content-Digest", "sha256:" + common::sha256_hex(it->second.body));
    rs.body = it->second.body;
    rs.head_only = rq.method == "HEAD";
  }

  std::string expected_auth_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  bool listening_ = false;
  std::string listen_error_;
  std::atomic<int> authorized_{0};
  std::atomic<int> refused_{0};
  std::mutex mutex_;
  int uploads_counter_ = 0;
  std::map<std::string, std::string> uploads_;
  std::map<std::string, std::string> blobs_;
  std::map<std::string, Manifest> manifests_;
};

}  // namespace runtime::testing
