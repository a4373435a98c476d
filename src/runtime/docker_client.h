// DockerClient: ContainerEngine over the Docker Engine API (v1.41) on a unix socket, as podman's
// `podman system service` and Docker's dockerd serve it. Stateless apart from the socket path:
// every call opens its own connection (unix_http.h), so one client serves any number of threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/container_engine.h"

namespace runtime {

inline constexpr std::string_view kApiPrefix = "/v1.41";

// kApiPrefix + the pieces, e.g. api_path("/containers/", escape_path(id), "/start").
std::string api_path(std::string_view a, std::string_view b = "", std::string_view c = "");

class DockerClient final : public ContainerEngine {
 public:
  explicit DockerClient(std::string socket_path) : socket_path_(std::move(socket_path)) {}
  // From a DOCKER_HOST value: "unix:///path" or a bare path. InvalidArgument for tcp:// and
  // other schemes (hakobu only speaks to a local engine).
  static common::Result<std::unique_ptr<DockerClient>> from_host(std::string_view docker_host);

  const std::string& socket_path() const { return socket_path_; }

  common::Status<> ping(const CallOptions& call) override;
  common::Result<EngineVersion> version(const CallOptions& call) override;

  common::Result<ImageInfo> inspect_image(const std::string& name, const CallOptions& call) override;
  common::Result<std::vector<ImageSummary>> list_images(const CallOptions& call) override;
  common::Status<> tag_image(const std::string& source, const std::string& repository, const std::string& tag,
                             const CallOptions& call) override;
  common::Status<> remove_image(const std::string& name, bool force, const CallOptions& call) override;
  common::Result<PushResult> push_image(const std::string& repository, const std::string& tag,
                                        const PushOptions& options, const ProgressFn& progress) override;
  common::Status<> pull_image(const std::string& reference, const PullOptions& options,
                              const ProgressFn& progress) override;
  common::Result<std::string> build_image(const RequestBody& context, const BuildOptions& options,
                                          const ProgressFn& progress) override;
  common::Result<std::string> import_image(const RequestBody& rootfs, const ImportOptions& options,
                                           const ProgressFn& progress) override;

  common::Result<std::string> create_container(const ContainerSpec& spec, const CallOptions& call) override;
  common::Status<> start_container(const std::string& id, const CallOptions& call) override;
  common::Result<WaitResult> wait_container(const std::string& id, const CallOptions& call) override;
  common::Status<> container_logs(const std::string& id, const LogsOptions& options, const OutputFn& output) override;
  common::Status<> stop_container(const std::string& id, int grace_seconds, const CallOptions& call) override;
  common::Status<> kill_container(const std::string& id, const std::string& signal, const CallOptions& call) override;
  common::Status<> remove_container(const std::string& id, bool force, const CallOptions& call) override;
  common::Result<ContainerInfo> inspect_container(const std::string& id, const CallOptions& call) override;
  common::Result<std::vector<ContainerSummary>> list_containers(const ContainerFilter& filter,
                                                                const CallOptions& call) override;

 private:
  struct Reply {
    int status = 0;
    std::string body;
  };
  // One request with a small answer. Statuses >= 400 become errors (engine_error()).
  common::Result<Reply> request(const std::string& method, const Target& target, const RequestBody& body,
                                const std::vector<http::Header>& headers, const CallOptions& call,
                                std::string_view what);
  // One request answered by a progress stream (pull, push, build, import): every message goes to
  // `on_message`; the first message carrying an error fails the call with it.
  common::Status<> progress_request(const std::string& method, const Target& target, const RequestBody& body,
                                    const std::vector<http::Header>& headers, const CallOptions& call,
                                    std::string_view what, const ProgressFn& on_message);
  // Opens a connection and sends; the head that answered (error statuses already turned into
  // errors, their body read).
  common::Result<ResponseHead> open_stream(std::unique_ptr<UnixHttpConnection>& connection, const std::string& method,
                                           const Target& target, const RequestBody& body,
                                           const std::vector<http::Header>& headers, const CallOptions& call,
                                           std::string_view what);

  std::string socket_path_;
};

// The error for an engine reply with status >= 400: the engine's message prefixed with `what`.
// 404 NotFound, 409 Conflict (and podman's 500s "container state improper" and "that name is
// already in use", which Docker answers with 409), 400 InvalidArgument, 401/403 PermissionDenied, 503 Unavailable,
// other 5xx Internal: an engine that answers is up, so its 500s (an OCI runtime error, a failed mount) are not worth
// retrying.
common::Error engine_error(int status, const std::string& body, std::string_view what);
// The kind of an error reported inside a progress stream ("unauthorized: ..." is
// PermissionDenied, "manifest unknown" NotFound, others Internal).
common::ErrorKind stream_error_kind(std::string_view message);
// "v1: digest: sha256:abc size: 343" -> {"sha256:abc", 343}; nullopt for other statuses.
std::optional<PushResult> parse_push_digest(std::string_view status);
// "127.0.0.1:5000/x:v1" -> ("127.0.0.1:5000/x", "v1"); "x@sha256:..." -> ("x", "sha256:...");
// "x" -> ("x", "latest").
std::pair<std::string, std::string> split_reference(std::string_view reference);

}  // namespace runtime
