#!/usr/bin/env bash
# Staged deploy proof of the PostgreSQL starter (tooling spec §9.3, conventions §9.1): the
# scaffold unit tests, the runtime library build, the examples' parity, `meshc test` and
# `meshc build --output` (outside the examples' trees), then `todo_postgres_staged_deploy`
# (meshc/cli/tests/todo_postgres.rs): stage outside the repository, apply the SQL, migrate
# status, the staged binary as a single cluster node, `meshc cluster status/continuity/
# diagnostics`, the bundle's deploy-smoke.sh, the startup log lines and the negative rails.
#
#   DATABASE_URL=postgres://… bash scripts/verify-todo-postgres-deploy.sh
#
# DATABASE_URL is the admin URL of a disposable PostgreSQL server (required; never printed):
# the test creates its own databases on it and drops them.
#
# Artifacts: .tmp/verify-todo-postgres-deploy/verify/ (status.txt, current-phase.txt,
# phase-report.txt, full-contract.log, <phase>.log, latest-proof-bundle.txt,
# staged-bundle.path.txt) and the retained bundles under
# .tmp/verify-todo-postgres-deploy/proof-bundles/<UTC timestamp>/. The staged bundle itself lives
# outside the repository (${TMPDIR:-/tmp}/verify-todo-postgres-deploy/staged-bundle, replaced by
# each run); a copy is retained. MESHC overrides the meshc used.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/verify.sh"
VERIFY_ERREXIT=1
verify_init verify-todo-postgres-deploy
staged=${TMPDIR:-/tmp}/$name/staged-bundle

# §9.1: the admin URL is required, a postgres:// or postgresql:// URL on one line.
database_preflight() {
  verify_database_url
  echo "DATABASE_URL=<redacted> (set)"
}

build() {
  if [[ -n "${MESHC:-}" ]]; then
    echo "MESHC=$MESHC"
    cargo build -p mesh_rt
  else
    cargo build -p meshc -p mesh_rt
  fi
  ls -l "$root/target/debug/libmesh_rt.a"
}

# Each example's own package tests and a build whose output lies outside the example's tree.
examples() {
  local ex out=$run/examples
  mkdir -p "$out"
  for ex in todo-sqlite todo-postgres; do
    echo "== $ex"
    "$MESHC" test "$root/examples/$ex"
    "$MESHC" build "$root/examples/$ex" --output "$out/$ex-bin"
    [[ -x $out/$ex-bin ]] || {
      echo "no binary at $out/$ex-bin"
      return 1
    }
    if [[ -e $root/examples/$ex/$ex || -e $root/examples/$ex/output ]]; then
      echo "the build wrote a binary into examples/$ex"
      return 1
    fi
  done
  rm -rf "$out"
}

# The staged deploy test; the bundle goes to $staged (outside the repository) and stays there.
staged_deploy() {
  case "$(realpath -m "$staged")/" in
    "$root"/*)
      echo "the staged bundle dir must lie outside the repository: $staged"
      return 1
      ;;
  esac
  rm -rf "$root"/target/cli-tests/todo_postgres_staged_deploy-*
  echo "DATABASE_URL=<redacted> TODO_POSTGRES_STAGED_BUNDLE=$staged cargo test -p meshc --test todo_postgres todo_postgres_staged_deploy"
  MESH_TEST_DATABASE_URL=$DATABASE_URL TODO_POSTGRES_STAGED_BUNDLE=$staged \
    cargo test -p meshc --test todo_postgres todo_postgres_staged_deploy -- --exact
}

retain() {
  local bundle scratch
  bundle=$(verify_bundle_dir)
  mkdir -p "$bundle/logs" "$bundle/test-logs"
  cp "$run"/*.log "$bundle/logs/"
  # The staged server's log (the test's scratch dir holds the generated project too).
  for scratch in "$root"/target/cli-tests/todo_postgres_staged_deploy-*; do
    [[ -d $scratch ]] || continue
    find "$scratch" -maxdepth 1 -name '*.log' -exec cp {} "$bundle/test-logs/" \;
  done
  [[ -s $bundle/test-logs/staged.log ]] || {
    echo "the staged server's log is missing"
    return 1
  }
  # The staged bundle: pointer (absolute, existing, outside the repository) and a copy.
  local path
  path=$(realpath "$staged")
  [[ $path == /* && -d $path ]] || {
    echo "no staged bundle at $staged"
    return 1
  }
  case "$path/" in
    "$root"/*)
      echo "the staged bundle lies inside the repository: $path"
      return 1
      ;;
  esac
  echo "$path" >"$run/staged-bundle.path.txt"
  cp "$run/staged-bundle.path.txt" "$bundle/staged-bundle.path.txt"
  cp -a "$path" "$bundle/staged-bundle"
  verify_manifest "$bundle"
  echo "$bundle" >"$run/bundle-candidate.txt"
  # Each bundle holds a copy of the staged binary: keep the newest three and the latest good one.
  verify_prune_bundles 3
  echo "staged bundle: $path"
  echo "retained $bundle ($(wc -l <"$bundle/manifest.txt") files)"
}

redaction() {
  local bundle
  verify_candidate
  # `DATABASE_URL=<redacted>` is how the logs show a command's environment. The staged copy
  # is the starter's own files (its usage text reads `DATABASE_URL=…`, the binary holds the
  # URL parser's scheme names): it is scanned for the values used, everything else for any URL.
  if grep -rlE 'postgres://|postgresql://|DATABASE_URL=([^<]|$)' "$bundle" "$run"/*.log \
    --exclude-dir=staged-bundle --exclude=full-contract.log --exclude=redaction.log; then
    echo "secrets in the retained artifacts (files above)"
    return 1
  fi
  local cookie="todo-pg-staged-cookie-"
  if grep -rlF -e "$cookie" -e "$DATABASE_URL" "$bundle"; then
    echo "the cluster cookie or the database URL in the retained artifacts (files above)"
    return 1
  fi
  echo "no secrets in $bundle"
}

# The retained bundle holds what §9.3 names.
bundle_shape() {
  local bundle f
  bundle=$(cat "$run/bundle-candidate.txt")
  for f in manifest.txt staged-bundle.path.txt test-logs/staged.log logs/staged-deploy.log \
    staged-bundle/todo-postgres staged-bundle/todo-postgres.up.sql \
    staged-bundle/apply-deploy-migrations.sh staged-bundle/deploy-smoke.sh; do
    [[ -s $bundle/$f ]] || {
      echo "the bundle lacks $f"
      return 1
    }
  done
  [[ $(find "$bundle/staged-bundle" -type f | wc -l) == 4 ]] || {
    echo "the staged bundle copy is not 4 files"
    return 1
  }
  grep -q 'test todo_postgres_staged_deploy ... ok' "$bundle/logs/staged-deploy.log" || {
    echo "the retained staged-deploy log does not show the test passing"
    return 1
  }
  echo "bundle shape ok: $(wc -l <"$bundle/manifest.txt") files"
}

export -f database_preflight build examples staged_deploy retain redaction bundle_shape
export staged

main() {
  phase database-preflight 10 database_preflight
  phase tool-preflight 30 verify_tools cargo curl timeout bash
  phase build 1200 build
  verify_locate_meshc
  phase scaffold-unit-tests 900 cargo test -p meshc --bin meshc init::
  ran_tests scaffold-unit-tests
  phase examples-parity 300 bash scripts/check-examples.sh
  phase examples-build 300 examples
  phase staged-deploy 900 staged_deploy
  ran_tests staged-deploy
  phase retain 60 retain
  phase redaction 60 redaction
  phase bundle-shape 30 bundle_shape
  verify_ok "$(cat "$run/bundle-candidate.txt")" "staged bundle: $(cat "$run/staged-bundle.path.txt")"
}

main
