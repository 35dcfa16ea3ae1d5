#!/usr/bin/env bash
# Source-first clustered contract (tooling spec §9.6, conventions §9.1): the compiler's
# diagnostics for clustered declarations, the `meshc init --clustered` scaffold (§8.2), the two
# lower-level fixtures of §9.9 (scripts/fixtures/clustered/{tiny-cluster,cluster-proof}, with the
# cluster-proof image built from scratch and booted), and a local two-node run of a generated
# scaffold: both nodes converge in `meshc cluster status` and `startup::Work.add` completes
# exactly once.
#
#   bash scripts/verify-clustered-scaffold.sh
#
# Artifacts: .tmp/verify-clustered-scaffold/verify/ (status.txt, current-phase.txt,
# phase-report.txt, full-contract.log, <phase>.log, latest-proof-bundle.txt) and the retained
# bundles under .tmp/verify-clustered-scaffold/proof-bundles/<UTC timestamp>/. MESHC overrides
# the meshc used. Needs python3 (JSON checks) and a Docker engine (the cluster-proof image).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/verify.sh"
VERIFY_ERREXIT=1
verify_init verify-clustered-scaffold

# One random cookie for the two-node run: given to the nodes and to `meshc cluster` through the
# environment only, never on a command line or in output (the redaction phase checks).
MESH_VERIFY_COOKIE=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
image=mesh-cluster-proof-verify:$$

fail() {
  echo "FAIL: $*"
  return 1
}

# has FILE TEXT: FILE contains TEXT literally.
has() {
  grep -qF -- "$2" "$1" || fail "$1 lacks: $2"
}

# lacks FILE TEXT: FILE does not contain TEXT.
lacks() {
  ! grep -qF -- "$2" "$1" || fail "$1 contains: $2"
}

preflight() {
  verify_tools cargo timeout python3 docker od readelf
  docker info >/dev/null 2>&1 || fail "no Docker engine answers (docker info failed); the cluster-proof image needs one"
  echo "docker engine: up"
}

# A `[cluster]` table, a private `@cluster` target and `@cluster(0)`, human and --json.
diagnostics() {
  local dir=$run/diagnostics
  mkdir -p "$dir/table" "$dir/decl"
  printf 'fn main() do\n  println("hi")\nend\n' >"$dir/table/main.mpl"
  cp "$dir/table/main.mpl" "$dir/decl/main.mpl"
  printf '[package]\nname = "table"\nversion = "0.1.0"\n\n[cluster]\nenabled = true\n' >"$dir/table/mesh.toml"
  printf '@cluster fn add() -> Int = 2\n\n@cluster(0) pub fn zero() -> Int = 0\n' >"$dir/decl/work.mpl"
  cd "$dir"

  local status=0
  "$MESHC" build table >table.out 2>table.err || status=$?
  cat table.out table.err
  [[ $status == 1 ]] || fail "a [cluster] table: expected exit 1, got $status"
  has table.err "error: Failed to parse table/mesh.toml: [cluster] sections are not supported; declare clustered work in source with @cluster or @cluster(N)"
  [[ ! -e table/table ]] || fail "an executable was written for the [cluster] package"

  status=0
  "$MESHC" build decl >decl.out 2>decl.err || status=$?
  cat decl.out decl.err
  [[ $status == 1 ]] || fail "bad @cluster declarations: expected exit 1, got $status"
  [[ $(grep -c '\[CFG0001\] Error: invalid clustered declaration' decl.err) == 2 ]] ||
    fail "expected two CFG0001 errors"
  has decl.err '`@cluster` target `add` must be `pub`'
  has decl.err 'the replication count must be a positive integer, found 0'
  has decl.err 'decl/work.mpl:1:1'
  has decl.err 'decl/work.mpl:3:1'

  status=0
  "$MESHC" build decl --json >json.out 2>json.err || status=$?
  cat json.out json.err
  [[ $status == 1 ]] || fail "bad @cluster declarations (--json): expected exit 1, got $status"
  python3 - json.err <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
cfg = [d for d in lines if d["code"] == "CFG0001"]
assert len(cfg) == 2, f"expected two CFG0001 diagnostics, got {lines}"
want = [(1, 1, "must be `pub`"), (3, 1, "found 0")]
for d, (line, col, text) in zip(cfg, want):
    assert d["severity"] == "error" and d["file"] == "decl/work.mpl", d
    span = d["spans"][0]
    assert (span["line"], span["col"]) == (line, col), d
    assert span["end"] > span["start"], d
    assert text in d["message"], d
print("CFG0001 --json: 2 diagnostics with spans")
PY
  [[ ! -e decl/decl ]] || fail "an executable was written for the bad declarations"
}

# The generated scaffold's files and contents (§8.2), formatted, tested and built.
init_clustered() {
  local dir=$run/scaffold
  rm -rf "$dir"
  mkdir -p "$dir"
  cd "$dir"
  "$MESHC" init --clustered hello_cluster | tee init.out
  has init.out "Created clustered project 'hello_cluster'"
  local p=$dir/hello_cluster
  (cd "$p" && find . -type f | LC_ALL=C sort) >files.txt
  cat files.txt
  printf '%s\n' ./.gitignore ./README.md ./main.mpl ./mesh.toml ./tests/work.test.mpl ./work.mpl >want.txt
  diff want.txt files.txt || fail "unexpected scaffold files"
  has "$p/mesh.toml" '[package]'
  lacks "$p/mesh.toml" '[cluster]'
  has "$p/work.mpl" '@cluster pub fn add() -> Int do'
  has "$p/work.mpl" '1 + 1'
  [[ $(grep -c 'Node.start_from_env()' "$p/main.mpl") == 1 ]] || fail "main.mpl must call Node.start_from_env() once"
  lacks "$p/main.mpl" 'HTTP.'
  lacks "$p/main.mpl" '@cluster'
  has "$p/main.mpl" 'runtime bootstrap failed reason='
  has "$p/tests/work.test.mpl" 'assert_eq(add(), 2)'
  local needle
  for needle in Work.add startup::Work.add MESH_CLUSTER_COOKIE MESH_NODE_NAME MESH_DISCOVERY_SEED \
    MESH_CLUSTER_PORT MESH_CONTINUITY_ROLE MESH_CONTINUITY_PROMOTION_EPOCH 127.0.0.1:4370 '[::1]:4370' \
    '--template todo-api --db postgres'; do
    has "$p/README.md" "$needle"
  done
  # The operator order: status → continuity list → one record → diagnostics.
  local last=0 line cmd
  for cmd in "meshc cluster status" \
    "meshc cluster continuity primary@127.0.0.1:4370 --json" \
    "meshc cluster continuity primary@127.0.0.1:4370 startup::Work.add --json" \
    "meshc cluster diagnostics"; do
    line=$(grep -nF -- "$cmd" "$p/README.md" | head -n 1 | cut -d: -f1)
    [[ -n $line ]] || fail "README.md lacks $cmd"
    ((line > last)) || fail "README.md: '$cmd' is out of the operator order"
    last=$line
  done
  "$MESHC" fmt --check "$p"
  (cd "$p" && "$MESHC" test . | tee "$dir/test.out")
  has "$dir/test.out" ' 0 failed; 0 compile errors; 1 files;'
  "$MESHC" build "$p" --output "$dir/hello_cluster_bin"
}

# fixture NAME: `meshc build` and `meshc test <fixture>/tests` (1 file, all passing), fmt.
fixture() {
  local fx=scripts/fixtures/clustered/$1 out=$run/fixtures/$1
  mkdir -p "$out"
  "$MESHC" fmt --check "$fx"
  "$MESHC" build "$fx" --output "$out/$1"
  "$MESHC" test "$fx/tests" | tee "$out/test.out"
  grep -Eq 'test result: ok\. [1-9][0-9]* passed; 0 failed; 0 compile errors; 1 files;' "$out/test.out" ||
    fail "meshc test $fx/tests: expected 1 file with every test passing"
  lacks "$root/$fx/mesh.toml" '[cluster]'
  if grep -rlF 'HTTP.' --include='*.mpl' "$root/$fx" | grep -v '/tests/'; then
    fail "$fx is not route-free"
  fi
}

# The cluster-proof image: a static build, both Dockerfile stages from scratch, run as 65532.
cluster_proof_image() {
  local fx=$root/scripts/fixtures/clustered/cluster-proof ctx=$run/cluster-proof-image
  mkdir -p "$ctx"
  cp "$fx/Dockerfile" "$fx/.dockerignore" "$ctx/"
  "$MESHC" build --static "$fx" --output "$ctx/cluster-proof"
  if readelf -d "$ctx/cluster-proof" | grep -E 'NEEDED|INTERP'; then
    fail "the --static executable has dynamic dependencies (above)"
  fi
  [[ $(grep -cE '^FROM ' "$ctx/Dockerfile") -ge 2 ]] || fail "the Dockerfile is not multi-stage"
  if grep -E '^FROM ' "$ctx/Dockerfile" | grep -v '^FROM scratch'; then
    fail "a Dockerfile stage is not FROM scratch (above)"
  fi
  trap 'docker image rm -f "$image" >/dev/null 2>&1 || true' EXIT
  docker build -q -t "$image" "$ctx"
  [[ $(docker image inspect -f '{{.Config.User}}' "$image") == 65532:65532 ]] || fail "the image does not run as 65532:65532"
  echo "image size: $(docker image inspect -f '{{.Size}}' "$image") bytes"
  docker run --rm "$image" >"$ctx/run.out" 2>"$ctx/run.err"
  cat "$ctx/run.out"
  has "$ctx/run.out" '[cluster-proof] runtime bootstrap mode=standalone node= cluster_port=4370 discovery_seed='
  has "$ctx/run.err" 'transition=startup_completed runtime_name=Work.add'
}

# A port free on 127.0.0.1 and ::1 alike.
free_port() {
  python3 - <<'PY'
import socket
while True:
    a = socket.socket(); a.bind(("127.0.0.1", 0)); port = a.getsockname()[1]
    try:
        b = socket.socket(socket.AF_INET6); b.bind(("::1", port)); b.close(); a.close()
        print(port); break
    except OSError:
        a.close()
PY
}

# cluster_json ARGS…: `meshc cluster ARGS… --json`, the cookie from the environment.
cluster_json() {
  MESH_CLUSTER_COOKIE=$MESH_VERIFY_COOKIE "$MESHC" cluster "$@" --json
}

# wait_json WHAT OUT PYTHON_CONDITION ARGS…: polls until the JSON answer (as `v`) satisfies the
# condition (20 s), keeping the last answer in OUT.
wait_json() {
  local what=$1 out=$2 cond=$3
  shift 3
  local i
  for i in $(seq 1 100); do
    if cluster_json "$@" >"$out" 2>"$out.err" &&
      python3 -c "import json,sys; v=json.load(open(sys.argv[1])); sys.exit(0 if ($cond) else 1)" "$out"; then
      echo "$what (after $i tries)"
      return 0
    fi
    sleep 0.2
  done
  cat "$out" "$out.err"
  fail "never $what within 20 s"
}

two_node() {
  # pp and sp are global: the EXIT trap outlives this function.
  local dir=$run/two-node exe=$run/scaffold/hello_cluster_bin port p s
  mkdir -p "$dir"
  port=$(free_port)
  p="primary@127.0.0.1:$port"
  s="standby@[::1]:$port"
  echo "primary=$p standby=$s seed=localhost"
  node() {
    env -u MESH_NODE_HOST -u MESH_STARTUP_WORK_DELAY_MS MESH_CLUSTER_COOKIE="$MESH_VERIFY_COOKIE" \
      MESH_DISCOVERY_SEED=localhost MESH_NODE_NAME="$1" MESH_CLUSTER_PORT="$port" \
      MESH_CONTINUITY_ROLE="$2" MESH_CONTINUITY_PROMOTION_EPOCH=0 MESH_DISCOVERY_INTERVAL_MS=200 \
      "$exe" >"$dir/$2.stdout" 2>"$dir/$2.stderr" </dev/null &
  }
  node "$p" primary
  pp=$!
  node "$s" standby
  sp=$!
  trap 'kill "${pp:-}" "${sp:-}" 2>/dev/null || true' EXIT
  trap 'exit 143' TERM

  local me peer
  for me in "$p" "$s"; do
    [[ $me == "$p" ]] && peer=$s || peer=$p
    wait_json "$me sees exactly $peer" "$dir/status-$([[ $me == "$p" ]] && echo primary || echo standby).json" \
      "v['membership']['local_node'] == '$me' and v['membership']['peer_nodes'] == ['$peer'] and sorted(v['membership']['nodes']) == sorted(['$p', '$s'])" \
      status "$me"
  done
  python3 - "$dir/status-primary.json" "$dir/status-standby.json" <<'PY'
import json, sys
p, s = (json.load(open(f)) for f in sys.argv[1:])
assert p["authority"]["cluster_role"] == "primary" and s["authority"]["cluster_role"] == "standby", (p, s)
assert p["authority"]["promotion_epoch"] == 0 == s["authority"]["promotion_epoch"], (p, s)
print("roles: primary/standby, epoch 0")
PY
  local role node
  for role in primary standby; do
    [[ $role == primary ]] && node=$p || node=$s
    wait_json "$role holds one completed startup record" "$dir/continuity-$role.json" \
      "v['total_records'] == 1 and v['records'][0]['phase'] == 'completed'" continuity "$node"
    cluster_json continuity "$node" startup::Work.add >"$dir/record-$role.json"
    python3 - "$dir/record-$role.json" "$p" "$s" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["record"]
p, s = sys.argv[2], sys.argv[3]
want = {"request_key": "startup::Work.add", "phase": "completed", "result": "succeeded",
        "owner_node": p, "execution_node": p, "replica_node": s, "replica_status": "mirrored",
        "error": ""}
bad = {k: r.get(k) for k, x in want.items() if r.get(k) != x}
assert not bad, f"record differs: {bad}\n{r}"
print(f"{sys.argv[1]}: startup::Work.add completed by the primary, mirrored on the standby")
PY
  done
  cluster_json diagnostics "$p" >"$dir/diagnostics-primary.json"
  cluster_json diagnostics "$s" >"$dir/diagnostics-standby.json"
  python3 - "$dir/diagnostics-primary.json" "$dir/diagnostics-standby.json" <<'PY'
import json, sys
entries = [e for f in sys.argv[1:] for e in json.load(open(f))["entries"]]
count = lambda t: sum(1 for e in entries if e["transition"] == t)
assert count("startup_trigger") == 1, entries
assert count("startup_completed") == 1, entries
assert count("startup_rejected") + count("startup_convergence_timeout") == 0, entries
print("diagnostics: one startup_trigger, one startup_completed on the two nodes")
PY
  kill "$pp" "$sp" 2>/dev/null || true
  wait "$pp" "$sp" 2>/dev/null || true
  # The work ran once: one trigger and one completion of Work.add across both nodes' logs.
  cat "$dir"/*.stdout
  local n
  n=$(cat "$dir/primary.stderr" "$dir/standby.stderr" | grep -c 'transition=startup_trigger runtime_name=Work.add' || true)
  [[ $n == 1 ]] || fail "Work.add was triggered $n times in the logs"
  n=$(cat "$dir/primary.stderr" "$dir/standby.stderr" | grep -c 'transition=startup_completed runtime_name=Work.add' || true)
  [[ $n == 1 ]] || fail "Work.add completed $n times in the logs"
  has "$dir/primary.stdout" "[hello_cluster] runtime bootstrap mode=cluster node=$p "
  has "$dir/standby.stdout" "[hello_cluster] runtime bootstrap mode=cluster node=$s "
  echo "Work.add: triggered once, completed once"
}

retain() {
  local bundle
  bundle=$(verify_bundle_dir)
  mkdir -p "$bundle/logs"
  cp -a "$run/scaffold/hello_cluster" "$bundle/generated-hello_cluster"
  rm -rf "$bundle/generated-hello_cluster/.mesh"
  cp -a "$run/two-node" "$bundle/two-node"
  cp -a "$run/diagnostics" "$bundle/diagnostics"
  cp "$run"/*.log "$bundle/logs/"
  verify_manifest "$bundle"
  echo "$bundle" >"$run/bundle-candidate.txt"
  verify_prune_bundles 5
  echo "retained $bundle ($(wc -l <"$bundle/manifest.txt") files)"
}

redaction() {
  local bundle
  verify_candidate
  if grep -rlE 'postgres://|postgresql://|DATABASE_URL=' "$bundle" "$run"; then
    fail "secrets in the artifacts (files above)"
  fi
  if grep -rlF -- "$MESH_VERIFY_COOKIE" "$bundle" "$run"; then
    fail "the cluster cookie appears in the artifacts (files above)"
  fi
  echo "no secrets in $bundle or $run"
}

export -f fail has lacks preflight diagnostics init_clustered fixture cluster_proof_image \
  free_port cluster_json wait_json two_node retain redaction
export image MESH_VERIFY_COOKIE

main() {
  phase tool-preflight 30 preflight
  phase build 1200 verify_build_meshc
  verify_locate_meshc
  phase diagnostics 120 diagnostics
  phase init-clustered 180 init_clustered
  phase fixture-tiny-cluster 180 fixture tiny-cluster
  phase fixture-cluster-proof 180 fixture cluster-proof
  phase cluster-proof-image 180 cluster_proof_image
  phase two-node 120 two_node
  phase retain 60 retain
  phase redaction 60 redaction
  verify_ok "$(cat "$run/bundle-candidate.txt")"
}

main
