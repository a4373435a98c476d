#!/usr/bin/env bash
# hakobu vs moto_server vs nginx on loopback; see bench/README.md.
#   bench/run.sh                         # all three; hakobu from build/hakobu
#   HAKOBU_BINARY=/path/to/hakobu bench/run.sh
#   BENCH_TARGETS=moto,nginx bench/run.sh
# Other knobs: BENCH_DURATION (s per wrk run, 5), BENCH_CONNECTIONS (64), BENCH_THREADS (2),
# BENCH_STARTS (20), BENCH_MOTO_STARTS (5), BENCH_JSON (write results there), BENCH_STRICT=1
# (exit 1 when a target is missed), PYTHON (an interpreter with boto3 and moto).
#   bench/run.sh s3                      # the S3 benchmark (bench/s3.py; knobs BENCH_S3_*)
#   bench/run.sh ecr                     # the ECR registry benchmark (bench/ecr.py; knobs BENCH_ECR_*)
set -euo pipefail

script=bench.py
tools=(wrk nginx)
modules="boto3, moto"
case "${1:-ssm}" in
  ssm) ;;
  s3) script=s3.py ;;
  ecr) script=ecr.py tools=(wrk ab skopeo "${DOCKER_REGISTRY:-/usr/bin/docker-registry}") modules="boto3" ;;
  *) echo "usage: bench/run.sh [ssm|s3|ecr]" >&2; exit 2 ;;
esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export HAKOBU_BINARY="${HAKOBU_BINARY:-$(dirname "$here")/build/hakobu}"
python="${PYTHON:-python3}"

for tool in "${tools[@]}" "$python"; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 1; }
done
"$python" -c "import $modules" 2>/dev/null || { echo "bench: $python lacks one of $modules" >&2; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hakobu-bench.XXXXXX")"
export BENCH_TMP="$tmp" BENCH_PIDS_FILE="$tmp/pids"
: >"$BENCH_PIDS_FILE"
shm=""
# ecr: skopeo's pulls land on a tmpfs when there is one (its oci: destination fsyncs each blob).
if [ "$script" = ecr.py ] && [ -z "${BENCH_ECR_PULL_DIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  shm="$(mktemp -d /dev/shm/hakobu-bench-ecr.XXXXXX)"
  export BENCH_ECR_PULL_DIR="$shm"
fi

# bench.py stops what it starts; this covers it dying hard. Each server leads its own session,
# so its pid is its process group: kill exactly those groups, nothing found by name.
cleanup() {
  local pid
  while read -r pid; do
    [ -n "$pid" ] && kill -KILL -- "-$pid" 2>/dev/null || true
  done <"$BENCH_PIDS_FILE"
  rm -rf "$tmp"
  if [ -n "$shm" ]; then rm -rf "$shm"; fi
}
trap cleanup EXIT

# In the background so that a signal to this script reaches bench.py now, not after it ends.
"$python" "$here/$script" &
bench_pid=$!
forward() { kill -TERM "$bench_pid" 2>/dev/null || true; }
trap forward INT TERM HUP
status=0
wait "$bench_pid" || status=$?
# A trapped signal interrupts the first wait; wait again for bench.py's own cleanup.
while kill -0 "$bench_pid" 2>/dev/null; do wait "$bench_pid" || status=$?; done
exit "$status"
