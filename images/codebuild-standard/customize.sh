#!/bin/sh
# mmdebstrap --customize-hook for the codebuild-standard image (scripts/build-image.sh).
#   customize.sh ROOT DEBCACHE
# Runs on the host after all packages are installed and configured in ROOT.
set -eu
root=$1
cache=$2
here=$(cd "$(dirname "$0")" && pwd)

# Docker CLI only: /usr/bin/docker from Debian's docker.io, without dockerd, containerd or
# runc (builds reach hakobu's container engine through /var/run/docker.sock instead).
# Downloaded with the chroot's own apt lists, so its version matches the rest of the image.
apt_chroot() { APT_CONFIG=$MMDEBSTRAP_APT_CONFIG "$@"; }
version=$(apt_chroot apt-cache policy docker.io | sed -n 's/^ *Candidate: //p')
arch=$(apt_chroot apt-config shell A APT::Architecture | sed "s/^A='\(.*\)'$/\1/")
[ -n "$version" ] && [ "$version" != "(none)" ] || { echo "customize: docker.io not found in the mirror" >&2; exit 1; }
deb="$cache/docker.io_$(printf '%s' "$version" | sed 's/:/%3a/g')_$arch.deb"
if [ ! -s "$deb" ]; then
  (cd "$cache" && apt_chroot apt-get -q -o APT::Sandbox::User=root download "docker.io=$version")
fi
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$root" ./usr/bin/docker
chroot "$root" /usr/bin/docker --version >/dev/null

# hakobu's files: the dockerd shim, the AWS_ENDPOINT_URL hook for botocore, /etc/gitconfig.
# (cp as root without -p: the copies belong to root whoever owns the checkout.)
cp -R --preserve=mode "$here/rootfs/." "$root/"
mkdir -p "$root/usr/local/bin"
ln -sf /usr/bin/dockerd "$root/usr/local/bin/dockerd"
chroot "$root" python3 -m py_compile /usr/lib/python3/dist-packages/hakobu_endpoint_env.py

# CodeBuild's images keep their tools' files; ours drops what a build never reads.
rm -rf "$root"/var/log/apt/* "$root"/var/log/dpkg.log "$root"/var/log/alternatives.log \
  "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
