// ContainerEngine: what hakobu's engines (CodeBuild's build runner, ECS's scheduler) ask of a
// container engine, in the Docker Engine API's verbs. DockerClient (docker_client.h) implements
// it over the API's unix socket (podman's here, Docker's on a laptop); tests of the engines
// above can implement it with a fake.
//
// Contract for every method:
// - Thread-safe; blocking. Each call is bounded by its CallOptions (timeout, cancel flag): none
//   waits forever, and an engine that is down fails at once.
// - Errors are values: NotFound (no such container/image), Conflict (name in use, container not
//   in a state that allows it), InvalidArgument (the engine refused the request, 400),
//   PermissionDenied (registry credentials refused), Unavailable (engine unreachable, broken
//   connection, timed out, cancelled), Internal (the engine failed: its 500s, an error inside a
//   progress stream). The message is the engine's own, prefixed with what was attempted.
// - CallOptions are required (no default arguments on virtual functions): a call site shows its
//   bound. `{}` means kDefaultTimeout (call.h).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/call.h"
#include "runtime/registry_auth.h"
#include "runtime/streams.h"
#include "runtime/types.h"
#include "runtime/unix_http.h"

namespace runtime {

// Called for every message of a pull/push/build/import progress stream, as it arrives (an
// error message too, before the call returns that error).
using ProgressFn = std::function<void(const ProgressMessage&)>;

struct PushOptions {
  std::optional<RegistryAuth> auth;  // none: the registry must allow anonymous pushes
  // false: plain HTTP or an untrusted certificate is accepted for this push (the engine's
  // push honours it; its pull does not, see PullOptions).
  bool tls_verify = true;
  CallOptions call{kTransferTimeout};
};

struct PushResult {
  std::string digest;  // "sha256:..." of the pushed manifest ("" if the engine did not say)
  int64_t size = 0;    // of the manifest
};

struct PullOptions {
  // Credentials for the image's own registry (X-Registry-Auth as Docker defines it).
  std::optional<RegistryAuth> auth;
  // Credentials by registry host, sent as podman's multi-registry X-Registry-Auth map (Docker
  // does not take it). Needed when registries.conf remaps the image's name to another host:
  // podman sends `auth` only to the image's own host, never to a remapped location, so the
  // location's credentials must be keyed by its host here. When set, `auth` joins the map.
  std::map<std::string, RegistryAuth> auths;
  // A plain-HTTP registry must be `insecure` in the engine's registries.conf: podman's
  // /images/create ignores tlsVerify (EngineSupervisor writes the file).
  CallOptions call{kTransferTimeout};
};

struct BuildOptions {
  std::vector<std::string> tags;  // "localhost/app:v1"
  std::string dockerfile;         // path inside the context; "" = "Dockerfile"
  std::map<std::string, std::string> build_args;
  std::map<std::string, std::string> labels;
  std::string network_mode;  // for RUN steps: "" = engine default, "host", "none"
  std::string target;        // multi-stage target
  bool no_cache = false;
  bool pull = false;                                    // always pull FROM images
  std::map<std::string, RegistryAuth> registry_config;  // credentials for FROM images, by server
  CallOptions call{kTransferTimeout};
};

struct ImportOptions {
  std::string repository;  // "localhost/busybox"
  std::string tag = "latest";
  std::vector<std::string> changes;  // Dockerfile instructions: CMD ["/bin/sh"], ENV PATH=/bin
  CallOptions call{kTransferTimeout};
};

struct LogsOptions {
  bool follow = false;  // keep streaming until the container stops (start it first: a created
                        // container's follow ends at once)
  bool include_stdout = true;
  bool include_stderr = true;
  bool timestamps = false;
  std::optional<common::TimePoint> since;
  int tail = -1;     // last N lines; -1 = all
  bool tty = false;  // the container has a TTY: its output is unframed (all stdout)
  CallOptions call{kContainerLifetimeTimeout};
};

struct ContainerFilter {
  std::vector<std::string> labels;  // "k=v" or "k"; all must match
  bool all = true;                  // stopped containers too
};

class ContainerEngine {
 public:
  virtual ~ContainerEngine() = default;

  // --- the engine ---------------------------------------------------------------------------
  // GET /_ping answers "OK".
  virtual common::Status<> ping(const CallOptions& call) = 0;
  virtual common::Result<EngineVersion> version(const CallOptions& call) = 0;

  // --- images -------------------------------------------------------------------------------
  virtual common::Result<ImageInfo> inspect_image(const std::string& name, const CallOptions& call) = 0;
  virtual common::Result<std::vector<ImageSummary>> list_images(const CallOptions& call) = 0;
  // Gives `source` the name repository:tag.
  virtual common::Status<> tag_image(const std::string& source, const std::string& repository, const std::string& tag,
                                     const CallOptions& call) = 0;
  // Removes a name (or, by id, the image); `force` also when containers use it.
  virtual common::Status<> remove_image(const std::string& name, bool force, const CallOptions& call) = 0;
  // Pushes repository:tag; errors that arrive inside the 200 stream fail the call.
  virtual common::Result<PushResult> push_image(const std::string& repository, const std::string& tag,
                                                const PushOptions& options, const ProgressFn& progress) = 0;
  // Pulls "name[:tag|@digest]" (no tag = latest).
  virtual common::Status<> pull_image(const std::string& reference, const PullOptions& options,
                                      const ProgressFn& progress) = 0;
  // Builds from a tar context (Dockerfile inside it); returns the image id. The build's output
  // arrives as ProgressMessage::stream pieces.
  virtual common::Result<std::string> build_image(const RequestBody& context, const BuildOptions& options,
                                                  const ProgressFn& progress) = 0;
  // Imports a root filesystem tar as an image; returns its id.
  virtual common::Result<std::string> import_image(const RequestBody& rootfs, const ImportOptions& options,
                                                   const ProgressFn& progress) = 0;

  // --- containers ---------------------------------------------------------------------------
  // Returns the new container's id.
  virtual common::Result<std::string> create_container(const ContainerSpec& spec, const CallOptions& call) = 0;
  // Starting a running container succeeds.
  virtual common::Status<> start_container(const std::string& id, const CallOptions& call) = 0;
  // Until the container is not running (at once when it has exited); its exit code.
  virtual common::Result<WaitResult> wait_container(const std::string& id, const CallOptions& call) = 0;
  // Streams the container's output to `output` as it arrives, demultiplexed.
  virtual common::Status<> container_logs(const std::string& id, const LogsOptions& options,
                                          const OutputFn& output) = 0;
  // TERM (or the stop signal), then KILL after `grace_seconds`. Stopping a stopped container
  // succeeds. The call's timeout is added to the grace period.
  virtual common::Status<> stop_container(const std::string& id, int grace_seconds, const CallOptions& call) = 0;
  // Sends `signal` ("KILL", "TERM", "9"); Conflict when the container is not running.
  virtual common::Status<> kill_container(const std::string& id, const std::string& signal,
                                          const CallOptions& call) = 0;
  // Removes it and its anonymous volumes; `force` kills it first if running.
  virtual common::Status<> remove_container(const std::string& id, bool force, const CallOptions& call) = 0;
  virtual common::Result<ContainerInfo> inspect_container(const std::string& id, const CallOptions& call) = 0;
  virtual common::Result<std::vector<ContainerSummary>> list_containers(const ContainerFilter& filter,
                                                                        const CallOptions& call) = 0;
};

}  // namespace runtime
