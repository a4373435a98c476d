// What hakobu asks of the container engine and what it learns back, in our own words (the
// Docker Engine API's JSON stays in api_json.cc).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace runtime {

// A bind mount of a host path (or a named volume, when `source` is not absolute).
struct Mount {
  std::string source;
  std::string target;
  bool read_only = false;
};

// A container port published on the host. host_port 0 lets the engine pick a free one (read it
// back from inspect()).
struct PortBinding {
  int container_port = 0;
  std::string protocol = "tcp";
  std::string host_ip = "127.0.0.1";
  int host_port = 0;
};

struct ContainerSpec {
  std::string name;  // "" = engine-generated
  std::string image;
  std::vector<std::string> cmd;                          // empty = the image's CMD
  std::optional<std::vector<std::string>> entrypoint;    // nullopt = the image's ENTRYPOINT
  std::vector<std::pair<std::string, std::string>> env;  // in order; a later name wins
  std::map<std::string, std::string> labels;
  std::vector<Mount> mounts;
  std::string working_dir;  // "" = the image's
  std::string user;         // "" = the image's; "uid[:gid]" or a name
  std::string hostname;
  // "" = the engine's default network (podman: bridge "podman", 10.88.0.0/16); "host", "none",
  // or a network name.
  std::string network_mode;
  std::vector<PortBinding> ports;
  bool privileged = false;
  std::vector<std::pair<std::string, std::string>> extra_hosts;  // (host name, IP) into /etc/hosts
  int64_t memory_bytes = 0;                                      // 0 = unlimited
  int64_t nano_cpus = 0;                                         // 1e9 = one CPU; 0 = unlimited
  // Runs an init process (podman: catatonit) as PID 1 that forwards signals, so a TERM reaches a
  // shell that would otherwise ignore it as PID 1 (machine.md §7: stop then takes 0.2 s, not t).
  bool init = false;
  std::string stop_signal;  // "" = the image's (SIGTERM)
  bool tty = false;         // logs of a TTY container are unframed
};

struct ContainerState {
  std::string status;  // created, running, paused, exited, ...
  bool running = false;
  int exit_code = 0;
  int pid = 0;
  bool oom_killed = false;  // podman on cgroup v1 reports false even after an OOM kill
  std::string error;
  std::optional<common::TimePoint> started_at;  // nullopt when never started
  // nullopt while it has not finished. podman 4.3 may report a quick container's FinishedAt a
  // few ms before its StartedAt (it records the start after the process already ran): clamp
  // durations at zero.
  std::optional<common::TimePoint> finished_at;
};

struct PublishedPort {
  int container_port = 0;
  std::string protocol;
  std::string host_ip;
  int host_port = 0;
};

struct ContainerInfo {
  std::string id;
  std::string name;  // without Docker's leading '/'
  std::string image;
  std::string image_id;
  std::map<std::string, std::string> labels;
  ContainerState state;
  std::string ip_address;                       // on the default bridge, else the first network's
  std::map<std::string, std::string> networks;  // network name -> IP address
  std::vector<PublishedPort> ports;
  std::string network_mode;
  bool tty = false;
};

struct ContainerSummary {
  std::string id;
  std::string name;
  std::string image;
  std::string state;   // created, running, exited, ...
  std::string status;  // "Exited (137) 2 seconds ago"
  std::map<std::string, std::string> labels;
  int64_t created = 0;  // epoch seconds
  std::vector<PublishedPort> ports;
};

struct WaitResult {
  int exit_code = 0;
  std::string error;  // the engine's, when waiting itself failed for the container
};

struct ImageInfo {
  std::string id;  // "sha256:..."
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  int64_t size = 0;
  std::string created;  // as the engine gives it (RFC 3339)
  std::vector<std::string> env;
  std::vector<std::string> cmd;
  std::vector<std::string> entrypoint;
  std::string working_dir;
  std::string user;
  std::map<std::string, std::string> labels;
  std::string os;
  std::string architecture;
};

struct ImageSummary {
  std::string id;
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;
  int64_t size = 0;
  int64_t created = 0;  // epoch seconds
  std::map<std::string, std::string> labels;
};

struct EngineVersion {
  std::string version;      // "4.3.1"
  std::string api_version;  // "1.41"
  std::string min_api_version;
  std::string os;
  std::string arch;
  bool podman = false;  // a component named "Podman Engine"
};

}  // namespace runtime
