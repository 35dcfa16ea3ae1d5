#!/usr/bin/env bash
# Container images for the container tests (meshc/cli/tests/containers.rs), built locally: no
# image registry is reachable, so nothing is ever pulled.
#
#   scripts/docker/images.sh postgres
#       Prints the name of the PostgreSQL image, building it first if this machine lacks it:
#       a Debian bookworm minbase root file system with postgresql made by debootstrap,
#       imported with `docker import`, entrypoint scripts/docker/postgres-entrypoint.sh (the
#       official image's POSTGRES_PASSWORD / POSTGRES_USER / POSTGRES_DB contract). The tag is
#       a hash of the recipe (this script + the entrypoint), so a recipe change builds a new
#       image and an unchanged one is reused. The root file system tarball is cached under
#       $MESH_DOCKER_CACHE (default /var/cache/mesh-docker) by the same hash.
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

postgres_image() {
  local hash name rootfs tarball started
  hash=$( (cat "$here/images.sh" "$here/postgres-entrypoint.sh"; echo "$suite") | sha256sum | cut -c1-12)
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
  tarball="$cache/postgres-rootfs-$hash.tar"
  if [ ! -s "$tarball" ]; then
    if ! command -v debootstrap >/dev/null; then
      echo "images.sh: installing debootstrap" >&2
      (apt-get install -y -qq debootstrap >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null && apt-get install -y -qq debootstrap >/dev/null; }) ||
        die "cannot install debootstrap (apt-get install debootstrap failed)"
    fi
    rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
    echo "images.sh: debootstrap $suite (minbase + postgresql) into $rootfs" >&2
    if ! debootstrap --variant=minbase --include=postgresql "$suite" "$rootfs" "$mirror" \
      >"$cache/debootstrap.log" 2>&1; then
      tail -n 20 "$cache/debootstrap.log" >&2
      rm -rf "$rootfs"
      die "debootstrap failed (log: $cache/debootstrap.log)"
    fi
    # The package's default cluster, downloaded packages and lists are not needed.
    rm -rf "$rootfs"/var/lib/postgresql/* "$rootfs"/var/cache/apt/archives/*.deb \
      "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc "$rootfs"/usr/share/man
    install -m 0755 "$here/postgres-entrypoint.sh" "$rootfs/usr/local/bin/mesh-postgres-entrypoint"
    tar -C "$rootfs" -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
  fi
  docker import \
    --change 'ENTRYPOINT ["/usr/local/bin/mesh-postgres-entrypoint"]' \
    --change 'CMD ["postgres"]' \
    --change 'ENV PGDATA=/var/lib/postgresql/data' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'EXPOSE 5432' \
    --change 'STOPSIGNAL SIGINT' \
    "$tarball" "$name" >/dev/null
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
