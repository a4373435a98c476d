// DockerProxy: the Docker Engine API socket a privileged CodeBuild build container gets at
// /var/run/docker.sock. It forwards to podman's Docker-compatible service and rewrites the few
// calls that name hakobu's registry, so build scripts written for AWS work unchanged:
//   aws ecr get-login-password | docker login --username AWS --password-stdin <registry>
//   docker build -t <registry>/app:tag . && docker push <registry>/app:tag
// Why: podman's POST /auth always fails for a plain-HTTP registry, a push does not follow
// registries.conf remaps (an AWS-shaped name would go to the real AWS host) and needs
// tlsVerify=false, and credentials must be keyed by the host podman really talks to
// (machine.md §2, registries_conf.h).
//
// Per request (HTTP/1.1, optional /vX.YZ prefix, several requests per client connection):
// - POST /auth for hakobu's registry is answered here through DockerProxyClient::verify_login;
// - POST /images/{name}/push of a mapped name: tag as the mapped name, push that with
//   tlsVerify=false and the credentials re-addressed, then untag it;
// - POST /images/create (pull) of a mapped name: pull the mapped name, tag it as asked, untag;
// - POST /build: X-Registry-Config gains an entry keyed by the mapped host for each mapped one;
// - everything else passes through unchanged, streaming both ways; a 101 (attach, exec start)
//   or a body delimited by close splices both directions raw until one side closes.
// Each request goes to podman on a fresh connection (podman's and our client's one-request
// framing stays trivial: nothing in flight can be confused between requests); the client
// connection is kept request by request. One thread per client connection.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/request.h"

namespace runtime {

struct DockerProxyOptions {
  std::string upstream_socket;  // podman's Docker API socket
  // "host:port" where the engine (podman, on this machine) reaches hakobu's registry over plain HTTP,
  // e.g. "127.0.0.1:4566". Pushes/pulls of mapped names go there with tlsVerify=false.
  std::string registry_host;
};

// What one build's socket knows: who is asking.
struct DockerProxyClient {
  std::string account;  // the build's account: "123456789012"
  std::string region;
  // Checks a docker login to hakobu's registry (username, password): ok, or the message to answer.
  std::function<common::Status<>(const std::string& username, const std::string& password)> verify_login;
};

// A client's request head, as the proxy routes it (pure; unit-tested).
struct ProxyRequest {
  std::string method;
  std::string target;          // as sent: "/v1.41/images/x/push?tag=v1"
  std::string version_prefix;  // "/v1.41" or ""
  std::string route;           // the path without the prefix and query: "/images/x/push"
  std::string query;           // without '?'
  std::vector<http::Header> headers;
  int64_t content_length = -1;  // -1 when absent
  bool chunked = false;
  bool http10 = false;
  bool upgrade = false;          // Connection: Upgrade + Upgrade: ... (attach, exec start)
  bool close_requested = false;  // Connection: close

  const std::string* header(std::string_view name) const;
};

// Parses a complete head (request line, headers, blank line); errors carry the 400 message.
common::Result<ProxyRequest> parse_proxy_request(std::string_view head);

// dockerd's words for a refused login (moby registry/auth.go loginV2): what `docker login`
// prints after "Error response from daemon: ".
std::string docker_login_refused_message(std::string_view server_address, bool plain_http);

class DockerProxy {
 public:
  explicit DockerProxy(DockerProxyOptions options);
  ~DockerProxy();  // closes every socket, ends every connection thread
  DockerProxy(const DockerProxy&) = delete;
  DockerProxy& operator=(const DockerProxy&) = delete;

  // Serves a new socket file at `path` (mode 0666, parent must exist) for one build until close().
  common::Status<> open(const std::string& path, DockerProxyClient client);
  void close(const std::string& path);  // removes the file; ends its connections

  // Pure: the name hakobu's registry serves `repository` under, or nullopt when it is not an
  // ECR/hakobu name. "123456789012.dkr.ecr.us-east-1.amazonaws.com/app" ->
  // "127.0.0.1:4566/123456789012/us-east-1/app"; "127.0.0.1:4566/123456789012/app" -> itself;
  // "localhost:4566/..." -> with registry_host; "docker.io/x", "app" -> nullopt.
  std::optional<std::string> map_repository(std::string_view repository) const;

  // Pure: whether a login's "serveraddress" (with or without scheme and path) is hakobu's
  // registry: registry_host (or a loopback alias of it) or an AWS-shaped ECR host.
  bool is_registry_server(std::string_view server_address) const;
  // Pure: X-Registry-Auth re-addressed to registry_host (same credentials, URL-safe padded
  // base64); an empty or undecodable header gives "".
  std::string readdress_registry_auth(std::string_view header) const;
  // Pure: X-Registry-Config with an entry keyed by registry_host added for every mapped server
  // (an entry already keyed by it wins); returned unchanged when nothing maps or it is undecodable.
  std::string add_mapped_registry_config(std::string_view header) const;
  // Pure: docker_login_refused_message for a login to `server_address` (http:// for
  // registry_host, https:// for an AWS-shaped host).
  std::string refused_login_message(std::string_view server_address) const;

  const DockerProxyOptions& options() const { return options_; }

  struct Listener;  // one open() socket, its accept thread and connections (docker_proxy.cc)

 private:
  // The host of a registry reference mapped to registry_host, or nullopt.
  std::optional<std::string> map_host(std::string_view host, std::string_view rest) const;

  DockerProxyOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Listener>> listeners_;
};

}  // namespace runtime
