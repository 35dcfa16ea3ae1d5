#!/usr/bin/env bash
# The project's one test command (README: `bash scripts/test.sh`; .ci/run execs it). Bootstraps
# the machine, then checks formatting, builds the workspace once (target/debug/meshc and
# target/debug/libmesh_rt.a, which the e2e suite uses), runs clippy, builds and checks the
# documentation site (website/), runs the e2e programs under
# MESH_GC_STRESS=1, and finally all the tests with cargo-nextest when installed, else
# `cargo test`, with a throwaway PostgreSQL (scripts/pg.sh: MESH_TEST_DATABASE_URL) running
# for them and stopped on exit. Each phase's wall time is printed as it ends; the test runner
# runs last, so its closing line is the last line of the log. The container tests need a
# Docker engine (they fail, never skip, without one).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_INCREMENTAL=0

timings=()

# Runs one phase, prints its wall time, and stops the script with its status if it fails.
phase() {
  local name=$1
  shift
  local start=$SECONDS
  echo "== $name: $*"
  if "$@"; then
    timings+=("$name $((SECONDS - start))s")
    echo "== $name: $((SECONDS - start))s"
  else
    local status=$?
    echo "== $name: FAILED (exit $status) after $((SECONDS - start))s" >&2
    exit "$status"
  fi
}

phase bootstrap bash scripts/bootstrap.sh
# The container tests' PostgreSQL image (meshc/cli/tests/containers.rs; debootstrap + docker
# import on a fresh machine, a few minutes, then cached per machine): made in the background
# while the compile-heavy phases run; the docker-images phase waits for it and prints its time.
images_log=$(mktemp)
(
  start=$SECONDS
  bash scripts/docker/images.sh postgres && echo "ready in $((SECONDS - start))s"
) >"$images_log" 2>&1 &
images_pid=$!
wait_images() {
  local status=0
  wait "$images_pid" || status=$?
  cat "$images_log"
  return "$status"
}
phase fmt cargo fmt --all --check
phase build cargo build --workspace
phase clippy cargo clippy --workspace --all-targets -- -D warnings
# The shipped (release) build of meshc and the runtime under load across both workers: faults
# that exist only in optimised code (the suites below link the debug runtime).
phase release-smoke bash scripts/release-smoke.sh
# The documentation site (issue 21), built with both of its documented commands, then checked
# against the spec (tooling §9.8). The runner below checks its code blocks, commands, links and
# rendering (`cargo test -p mesh_tests --test docs`).
build_website() {
  mdbook build website && npm --prefix website run build && bash scripts/verify-docs-contract.sh
}
phase website build_website

if cargo nextest --version >/dev/null 2>&1; then
  runner=(cargo nextest run --workspace --no-fail-fast)
  stress=(cargo nextest run -p mesh_tests --test e2e --no-fail-fast)
else
  runner=(cargo test --workspace --no-fail-fast)
  stress=(cargo test -p mesh_tests --test e2e --no-fail-fast)
fi
# The database tests (and the e2e `# test: database=postgres` cases, gc-stress too) fail
# (never skip) without a server: start one unless one is given.
source scripts/pg.sh
trap pg_stop EXIT
phase postgres pg_start
# The e2e programs again with the collector running at every allocation (issue 5): values
# must survive any collection, in every process.
phase gc-stress env MESH_GC_STRESS=1 "${stress[@]}"
# The starter proofs as their verifier runs them (tooling §9.5), with this build's meshc and
# the throwaway server as its admin DATABASE_URL (a function, so the phase line does not print
# the URL).
verify_todo_starters() {
  DATABASE_URL="$MESH_TEST_DATABASE_URL" MESHC=target/debug/meshc bash scripts/verify-todo-starters.sh
}
phase verify-todo-starters verify_todo_starters
# The PostgreSQL starter's staged deploy proof (tooling §9.3): stage outside the repository,
# apply, the staged binary as a cluster node, `meshc cluster`, deploy-smoke (a function, so the
# phase line does not print the URL).
verify_todo_postgres_deploy() {
  DATABASE_URL="$MESH_TEST_DATABASE_URL" MESHC=target/debug/meshc bash scripts/verify-todo-postgres-deploy.sh
}
phase verify-todo-postgres-deploy verify_todo_postgres_deploy
# Its failover proof (tooling §9.4): replays the deploy proof, then SIGKILLs the primary of a
# two-node staged deployment, checks promotion and recovery, and the fenced rejoin.
verify_todo_postgres_failover() {
  DATABASE_URL="$MESH_TEST_DATABASE_URL" MESHC=target/debug/meshc bash scripts/verify-todo-postgres-failover.sh
}
phase verify-todo-postgres-failover verify_todo_postgres_failover
# The source-first clustered contract (tooling §9.6): diagnostics, the scaffold, both fixtures,
# the cluster-proof image and a two-node run.
phase verify-clustered-scaffold env MESHC=target/debug/meshc bash scripts/verify-clustered-scaffold.sh
# The reference backend's whole proof (tooling §9.2), database proofs included (a function,
# so the phase line does not print the URL).
verify_reference_backend() {
  DATABASE_URL="$MESH_TEST_DATABASE_URL" bash scripts/verify-reference-backend.sh
}
phase reference-backend verify_reference_backend
phase docker-images wait_images
printf -v summary '%s, ' "${timings[@]}"
echo "== tests: ${runner[*]} (after ${summary%, })"
status=0
"${runner[@]}" || status=$?
exit "$status"
