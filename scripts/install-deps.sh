#!/usr/bin/env bash
# Installs what hakobu needs to build, test, demo and benchmark, from Debian's packages only.
# Idempotent: does nothing (not even apt-get update) when everything is present.
#   scripts/install-deps.sh          build + test + demo dependencies
#   scripts/install-deps.sh --bench  also the benchmark peers (wrk, nginx)
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config make curl
  libsqlite3-dev libssl-dev zlib1g-dev libexpat1-dev nlohmann-json3-dev libyaml-cpp-dev libfmt-dev libpcre2-dev
  libgtest-dev libgmock-dev clang-format
  python3-pytest   # pytest for the black-box suite (run with the machine's python3 + boto3)
  awscli           # Debian's AWS CLI v2: a second real client next to the machine's v1
  sqlite3
)
if [ "${1:-}" = "--bench" ]; then
  packages+=(wrk nginx-light)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
