#!/usr/bin/env bash
# Container images for the container tests (meshc/cli/tests/containers.rs), built locally: no
# image registry is reachable, so nothing is ever pulled.
#
#   scripts/docker/images.sh postgres
#       Prints the name of the PostgreSQL image, building it first if this machine lacks it:
#       a Debian bookworm minbase root file system with postgresql made by debootstrap and
#       imported with `docker import` (mesh-test/debian-postgres-rootfs:<hash of the rootfs
#       recipe>; the tarball is cached under $MESH_DOCKER_CACHE, default /var/cache/mesh-docker),
#       plus a layer with scripts/docker/postgres-entrypoint.sh (the official image's
#       POSTGRES_PASSWORD / POSTGRES_USER / POSTGRES_DB contract) tagged
#       mesh-test/postgres:<hash of the whole recipe>. Unchanged recipes are reused; the first
#       build takes a few minutes (debootstrap), later ones nothing.
#   scripts/docker/images.sh app TAG BINARY [NAME=VALUE…]
#       Builds TAG: FROM scratch, BINARY (a static executable: `meshc build --static`) at
#       /usr/local/bin/<its name> as the entrypoint, user 65532:65532, the given environment.
#
# Concurrent callers (parallel tests) are serialised by a lock file; build times go to stderr.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${MESH_DOCKER_CACHE:-/var/cache/mesh-docker}
suite=bookworm
mirror=${MESH_DEBIAN_MIRROR:-http://deb.debian.org/debian}

die() {
  echo "images.sh: $*" >&2
  exit 1
}

need_docker() {
  command -v docker >/dev/null || die "docker is not installed: the container tests need a Docker engine"
  docker info >/dev/null 2>&1 || die "no Docker engine answers (docker info failed): the container tests need one"
}

# The root file system depends only on these; the image adds the entrypoint on top.
rootfs_recipe="debootstrap --variant=minbase --include=postgresql $suite (cleaned: no default cluster, apt caches, docs, translations, locale sources, JIT provider and its LLVM)"

postgres_image() {
  local rootfs_hash hash base name rootfs tarball started ctx
  rootfs_hash=$(echo "$rootfs_recipe" | sha256sum | cut -c1-12)
  hash=$( (echo "$rootfs_hash"; sed -n '/^postgres_image() {/,/^}/p' "$here/images.sh"; cat "$here/postgres-entrypoint.sh") | sha256sum | cut -c1-12)
  base="mesh-test/debian-postgres-rootfs:$rootfs_hash"
  name="mesh-test/postgres:$hash"
  if docker image inspect "$name" >/dev/null 2>&1; then
    echo "$name"
    return
  fi
  mkdir -p "$cache"
  exec 9>"$cache/postgres.lock"
  flock 9
  if docker image inspect "$name" >/dev/null 2>&1; then
    echo "$name"
    return
  fi
  started=$SECONDS
  if ! docker image inspect "$base" >/dev/null 2>&1; then
    tarball="$cache/postgres-rootfs-$rootfs_hash.tar"
    if [ ! -s "$tarball" ]; then
      if ! command -v debootstrap >/dev/null; then
        echo "images.sh: installing debootstrap" >&2
        (apt-get install -y -qq debootstrap >/dev/null 2>&1 ||
          { apt-get update -qq >/dev/null && apt-get install -y -qq debootstrap >/dev/null; }) ||
          die "cannot install debootstrap (apt-get install debootstrap failed)"
      fi
      rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
      echo "images.sh: $rootfs_recipe into $rootfs" >&2
      if ! debootstrap --variant=minbase --include=postgresql "$suite" "$rootfs" "$mirror" \
        >"$cache/debootstrap.log" 2>&1; then
        tail -n 20 "$cache/debootstrap.log" >&2
        rm -rf "$rootfs"
        die "debootstrap failed (log: $cache/debootstrap.log)"
      fi
      # The package's default cluster, downloaded packages, lists, docs, message translations
      # and locale sources (C.UTF-8 is built into glibc) are not needed, nor JIT: without its
      # provider (llvmjit.so) PostgreSQL simply does not compile queries, and LLVM (110 MB) and
      # z3 go with it. About half the tarball, so `docker import` takes half the time.
      rm -rf "$rootfs"/var/lib/postgresql/* "$rootfs"/var/cache/apt/archives/*.deb \
        "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc "$rootfs"/usr/share/man \
        "$rootfs"/usr/share/locale "$rootfs"/usr/share/i18n \
        "$rootfs"/usr/lib/postgresql/*/lib/llvmjit* "$rootfs"/usr/lib/postgresql/*/lib/bitcode \
        "$rootfs"/usr/lib/x86_64-linux-gnu/libLLVM* "$rootfs"/usr/lib/x86_64-linux-gnu/libz3*
      tar -C "$rootfs" -cf "$tarball.tmp" .
      mv "$tarball.tmp" "$tarball"
      rm -rf "$rootfs"
      echo "images.sh: root file system ready in $((SECONDS - started))s" >&2
    fi
    docker import "$tarball" "$base" >/dev/null
    # Older recipes' root file systems (image and tarball) are dropped.
    docker image ls --format '{{.Repository}}:{{.Tag}}' mesh-test/debian-postgres-rootfs |
      grep -vxF "$base" | xargs -r docker image rm >/dev/null 2>&1 || true
    find "$cache" -maxdepth 1 -name 'postgres-rootfs-*.tar' ! -name "postgres-rootfs-$rootfs_hash.tar" -delete
  fi
  ctx=$(mktemp -d)
  cp "$here/postgres-entrypoint.sh" "$ctx/entrypoint.sh"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $base
COPY entrypoint.sh /usr/local/bin/mesh-postgres-entrypoint
ENV PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/mesh-postgres-entrypoint"]
CMD ["postgres"]
DOCKERFILE
  docker build -q -t "$name" "$ctx" >/dev/null 2>"$ctx/build.log" || {
    cat "$ctx/build.log" >&2
    rm -rf "$ctx"
    die "docker build of $name failed"
  }
  rm -rf "$ctx"
  # Older recipes' images (they share the root file system layer) are dropped.
  docker image ls --format '{{.Repository}}:{{.Tag}}' mesh-test/postgres | grep -vxF "$name" |
    xargs -r docker image rm >/dev/null 2>&1 || true
  echo "images.sh: built $name in $((SECONDS - started))s" >&2
  echo "$name"
}

app_image() {
  local tag=$1 binary=$2 name ctx
  shift 2
  [ -f "$binary" ] || die "no such binary: $binary"
  name=$(basename "$binary")
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' RETURN
  cp "$binary" "$ctx/$name"
  {
    echo "FROM scratch"
    echo "COPY --chown=65532:65532 $name /usr/local/bin/$name"
    for kv in "$@"; do
      echo "ENV $kv"
    done
    echo "USER 65532:65532"
    echo "ENTRYPOINT [\"/usr/local/bin/$name\"]"
  } >"$ctx/Dockerfile"
  docker build -q -t "$tag" "$ctx" >/dev/null 2>"$ctx/build.log" || {
    cat "$ctx/build.log" >&2
    die "docker build of $tag failed"
  }
  echo "$tag"
}

case "${1:-}" in
  postgres)
    need_docker
    postgres_image
    ;;
  app)
    [ $# -ge 3 ] || die "usage: images.sh app TAG BINARY [NAME=VALUE…]"
    need_docker
    shift
    app_image "$@"
    ;;
  -h | --help)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
