#!/usr/bin/env bash
# Builds hakobu's local stand-in for AWS CodeBuild's curated image aws/codebuild/standard:7.0
# from Debian packages (mmdebstrap), since no image can be pulled here, and imports it into
# podman under the names AWS projects use (images/codebuild-standard/README.md).
#   scripts/build-image.sh           build unless the image of this exact recipe exists
#   scripts/build-image.sh --force   build anyway
#   scripts/build-image.sh --check   only say whether the image is up to date (exit 0) or not (1)
# Environment: HAKOBU_DEBCACHE (default ~/.cache/hakobu/debcache) keeps the downloaded .debs;
# HAKOBU_DEBIAN_MIRROR replaces deb.debian.org (then list updates/security yourself if wanted).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
recipe_dir="$root/images/codebuild-standard"
suite=bookworm
main_tag=localhost/aws/codebuild/standard:7.0
extra_tags=(
  localhost/aws/codebuild/standard:6.0
  localhost/aws/codebuild/standard:5.0
  localhost/aws/codebuild/amazonlinux2-x86_64-standard:5.0
)
label=io.hakobu.image.recipe
cache=${HAKOBU_DEBCACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hakobu/debcache}

# An image's recipe is this script plus every file of its directory under images/ but the
# README; a change to any of them (content or mode) makes a new image.
recipe_hash() {
  (
    cd "$root"
    { echo scripts/build-image.sh; find "images/$1" -type f ! -name README.md; } |
      LC_ALL=C sort | while read -r f; do
        printf '%s %s %s\n' "$f" "$(stat -c %a "$f")" "$(sha256sum <"$f" | cut -d' ' -f1)"
      done
  ) | sha256sum | cut -c1-16
}

python_tag=localhost/hakobu/python:3.11-slim
python_tags=(docker.io/library/python:3.11-slim docker.io/library/python:3.11 docker.io/library/python:3-slim
  docker.io/library/python:3)

# Builds the python base (images/python-slim/README.md) unless it is up to date: a rootfs of
# Debian's python3 unpacked without maintainer scripts, imported with the Docker Hub names a
# Dockerfile's FROM uses.
build_python() {
  local phash tar
  phash=$(recipe_hash python-slim)
  if [ "${1:-}" != "--force" ] && [ "$(image_label "$python_tag")" = "$phash" ]; then
    for t in "${python_tags[@]}"; do podman tag "$python_tag" "$t"; done
    return 0
  fi
  tar=$(mktemp "${TMPDIR:-/tmp}/hakobu-python-slim.XXXXXX.tar")
  mmdebstrap --variant=extract --mode=root --format=tar --quiet \
    --include="$(grep -v '^#' "$root/images/python-slim/packages" | xargs | tr ' ' ',')" \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --setup-hook="mkdir -p \"\$1/var/cache/apt/archives\"" \
    --setup-hook="sync-in $cache /var/cache/apt/archives" \
    --extract-hook='cp "$1"/usr/share/base-passwd/passwd.master "$1"/etc/passwd; cp "$1"/usr/share/base-passwd/group.master "$1"/etc/group; mkdir -p "$1"/tmp; chmod 1777 "$1"/tmp; ln -sf python3 "$1"/usr/bin/python; ln -sf dash "$1"/usr/bin/sh' \
    --extract-hook="sync-out /var/cache/apt/archives $cache" \
    "$suite" "$tar" "${mirrors[@]}" >"$log.python" 2>&1 || {
    tail -n 20 "$log.python" >&2; rm -f "$tar" "$log.python"
    echo "build-image: the python base image failed (last lines above)" >&2
    return 1
  }
  podman import --change 'CMD ["python3"]' --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8' \
    --change "LABEL $label=$phash" "$tar" "$python_tag" >/dev/null
  rm -f "$tar" "$log.python"
  for t in "${python_tags[@]}"; do podman tag "$python_tag" "$t"; done
  echo "build-image: built $python_tag (also ${python_tags[*]})"
}

image_label() { podman image inspect --format "{{index .Labels \"$label\"}}" "$1" 2>/dev/null || true; }

hash=$(recipe_hash codebuild-standard)
if [ "${1:-}" = "--check" ]; then
  if [ "$(image_label "$main_tag")" = "$hash" ]; then
    echo "build-image: $main_tag is up to date (recipe $hash)"
    exit 0
  fi
  echo "build-image: $main_tag is missing or older than its recipe ($hash): run make build-image"
  exit 1
fi
# One build at a time on this machine (make test run twice at once): a waiter then finds the
# image up to date.
mkdir -p "$cache"
exec 9>"$cache.lock"
flock 9
if [ "${1:-}" != "--force" ] && [ "$(image_label "$main_tag")" = "$hash" ]; then
  for t in "${extra_tags[@]}"; do
    [ "$(image_label "$t")" = "$hash" ] || podman tag "$main_tag" "$t"
  done
  echo "build-image: $main_tag is up to date (recipe $hash)"
  mirrors=()
  if [ -n "${HAKOBU_DEBIAN_MIRROR:-}" ]; then mirrors=("$HAKOBU_DEBIAN_MIRROR"); fi
  log=$(mktemp "${TMPDIR:-/tmp}/hakobu-build-image.XXXXXX.log")
  build_python "${1:-}"
  rm -f "$log"
  exit 0
fi

for tool in mmdebstrap buildah podman; do
  command -v "$tool" >/dev/null || { echo "build-image: $tool is missing: run scripts/install-deps.sh" >&2; exit 1; }
done

old_id=$(podman image inspect --format '{{.Id}}' "$main_tag" 2>/dev/null || true)
packages=$(grep -v '^#' "$recipe_dir/packages" | xargs | tr ' ' ',')
mirrors=()
if [ -n "${HAKOBU_DEBIAN_MIRROR:-}" ]; then mirrors=("$HAKOBU_DEBIAN_MIRROR"); fi
start=$(date +%s%N)
log=$(mktemp "${TMPDIR:-/tmp}/hakobu-build-image.XXXXXX.log")
# The root filesystem is built straight into a buildah working container and committed: no
# tarball to write and import again (12 s less of a 75 s build on this machine). A failed
# mmdebstrap leaves no image: the working container is removed, nothing is committed.
ctr=$(buildah from --quiet --name "hakobu-build-image-$$" scratch)
trap 'buildah rm "$ctr" >/dev/null 2>&1 || true; rm -f "$log"' EXIT
rootfs=$(buildah mount "$ctr")
echo "build-image: building $main_tag (recipe $hash, .deb cache $cache)"

# --variant=essential runs every maintainer script (users, alternatives, /bin/sh, PAM, the CA
# bundle, byte-compiled Python), which --variant=extract would leave for us to redo by hand.
# The merged-usr hook avoids usrmerge (and its perl run); docs, man pages and locales are not
# unpacked. The .debs are synced in from the cache before apt runs and back out after.
mmdebstrap --variant=essential --mode=root --format=directory --quiet \
  --include="$packages" \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --aptopt='Acquire::Languages "none"' \
  --setup-hook="mkdir -p \"\$1/var/cache/apt/archives\"" \
  --setup-hook="sync-in $cache /var/cache/apt/archives" \
  --customize-hook="$recipe_dir/customize.sh \"\$1\" $cache" \
  --customize-hook="sync-out /var/cache/apt/archives $cache" \
  "$suite" "$rootfs" "${mirrors[@]}" >"$log" 2>&1 || {
  tail -n 40 "$log" >&2
  echo "build-image: mmdebstrap failed (last lines above)" >&2
  exit 1
}
buildah umount "$ctr" >/dev/null
buildah config \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env LANG=C.UTF-8 \
  --workingdir / \
  --cmd '["/bin/bash"]' \
  --label "$label=$hash" \
  --label 'org.opencontainers.image.description=hakobu local stand-in for aws/codebuild/standard (Debian bookworm)' \
  "$ctr"
buildah commit --quiet --rm "$ctr" "$main_tag" >/dev/null

for t in "${extra_tags[@]}"; do podman tag "$main_tag" "$t"; done
new_id=$(podman image inspect --format '{{.Id}}' "$main_tag")
# The previous build is left untagged; drop it unless a container still uses it.
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
  podman rmi "$old_id" >/dev/null 2>&1 || true
fi
size=$(podman image inspect --format '{{.Size}}' "$main_tag")
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
printf 'build-image: built %s (%s MB) in %d.%d s; also tagged %s\n' "$main_tag" "$((size / 1000000))" \
  "$((elapsed_ms / 1000))" "$((elapsed_ms % 1000 / 100))" "${extra_tags[*]}"
build_python "${1:-}"
