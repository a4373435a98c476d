#!/usr/bin/env bash
# Installs what hakobu needs to build, test, demo and benchmark, from Debian's packages only,
# and configures the container tools (podman, buildah, skopeo) for machines without systemd.
# Idempotent: does nothing (not even apt-get update) when everything is present and configured.
#   scripts/install-deps.sh          build + test + demo dependencies
#   scripts/install-deps.sh --bench  also the benchmark peers and tools (wrk, ab, nginx, docker-registry,
#                                    lighttpd for git http-backend)
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config make curl
  libsqlite3-dev libssl-dev zlib1g-dev libexpat1-dev nlohmann-json3-dev libyaml-cpp-dev libfmt-dev libpcre2-dev
  libgtest-dev libgmock-dev clang-format
  python3-pytest python3-pytest-xdist  # the black-box suite (the machine's python3 + boto3), in 2 workers
  awscli           # Debian's AWS CLI v2: a second real client next to the machine's v1
  sqlite3
  # Containers: podman, skopeo and buildah are the real registry clients of ECR's black-box
  # tests. Without recommends podman still gets conmon and a network stack; naming the stack
  # (CNI plugins + iptables) and runc fixes apt's pick among alternatives (crun fails on
  # cgroup v1 hybrids). catatonit is `podman run --init` (a PID 1 that forwards SIGTERM).
  podman runc skopeo buildah busybox-static containernetworking-plugins iptables catatonit mmdebstrap
)
if [ "${1:-}" = "--bench" ]; then
  packages+=(wrk nginx-light docker-registry apache2-utils lighttpd)
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -ne 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Writes $2 to the file $1 unless it already holds exactly that text.
write_config() {
  if [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; then
    return 0
  fi
  echo "install-deps: writing $1"
  $sudo mkdir -p "$(dirname "$1")"
  printf '%s\n' "$2" | $sudo tee "$1" >/dev/null
}

# Machines without systemd as PID 1 and with cgroup v1 (or the v1/v2 hybrid) need this for a
# plain `podman run` to work: crun refuses hybrid cgroups, and podman's default ulimits
# (nofile 1048576) exceed the hard limit root cannot raise there. An empty list inherits them.
if [ ! -d /run/systemd/system ] && [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" != "cgroup2fs" ]; then
  write_config /etc/containers/containers.conf.d/50-hakobu.conf '# Written by hakobu scripts/install-deps.sh: no systemd, cgroup v1 (hybrid).
[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"'
fi

# The demo's registry (hakobu on its default port) speaks plain HTTP. Tests use their own
# registries.conf (CONTAINERS_REGISTRIES_CONF) for their ports instead of entries here.
write_config /etc/containers/registries.conf.d/50-hakobu.conf '# Written by hakobu scripts/install-deps.sh: the demo registry is plain HTTP.
[[registry]]
location = "localhost:4566"
insecure = true

[[registry]]
location = "127.0.0.1:4566"
insecure = true'
