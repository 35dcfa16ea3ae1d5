#!/usr/bin/env bash
# Read-only check of an already deployed Fly.io app running a clustered Mesh HTTP service
# (tooling spec §9.10, conventions §9.1). It never changes anything. `--help` for the contract.
# Tested offline by meshc/cli/tests/fly_readonly.rs (stub `fly`, stub `meshc`, local HTTP server).
set -uo pipefail

usage="usage: scripts/verify-fly-readonly.sh [--help|-h]

Inspects an already deployed Fly.io app running a clustered Mesh HTTP service (e.g. the
PostgreSQL Todo starter on two machines) without changing anything.

Environment (live mode):
  CLUSTER_PROOF_FLY_APP       required: the Fly app name
  CLUSTER_PROOF_BASE_URL      required: http(s)://<app>.fly.dev[:port], no credentials, path,
                              query or fragment
  CLUSTER_PROOF_NODE          optional: name@host:port of a node reachable from here (e.g. through
                              a \`fly proxy\` tunnel); requires MESH_CLUSTER_COOKIE
  CLUSTER_PROOF_REQUEST_KEY   optional: a continuity request key (1-128 characters, no control
                              characters or surrounding whitespace); requires CLUSTER_PROOF_NODE
  MESH_CLUSTER_COOKIE         the cluster cookie for CLUSTER_PROOF_NODE (never printed)
  CLUSTER_PROOF_RESOLVE       optional: an IP address to connect to for the app's host instead of
                              DNS (curl --resolve; a pinned edge address or a local test server)
  MESHC                       optional: the meshc to use (default: target/debug/meshc, built)

Live-mode actions, in order (all read-only):
  1. preflight: fly, curl and python3 on PATH
  2. input validation -> input-validation.json (normalised inputs, the exact commands)
  3. fly status -a <app> --json: at least two machines started/running
  4. fly config show -a <app>: app name, MESH_CLUSTER_PORT=4370,
     MESH_DISCOVERY_SEED=<app>.internal, http_service internal_port=8080, force_https=true,
     auto_stop_machines off
  5. fly logs -a <app> --no-tail: saved; fails on 'runtime bootstrap failed'
  6. GET <base>/health: 200 JSON, status=ok, db_backend=postgres,
     clustered_handler=Work.sync_todos, no database_url key
  7. with CLUSTER_PROOF_NODE: meshc cluster status <node> --json (two or more nodes, valid
     role/epoch/replication health); with CLUSTER_PROOF_REQUEST_KEY also
     meshc cluster continuity <node> <key> --json (the record exists and is well formed)

It never deploys, restarts, scales, writes secrets, sends POST/PUT/DELETE, creates work, or
promotes or fences nodes.

Artifacts: .tmp/verify-fly-readonly/verify/ (status.txt, current-phase.txt, phase-report.txt,
full-contract.log, numbered per-phase files, input-validation.json) and retained bundles under
.tmp/verify-fly-readonly/proof-bundles/<UTC timestamp>/. Success ends with
'verify-fly-readonly: ok'."

# --help needs no tool and no network: only shell builtins run before this point.
if [ "$#" -gt 0 ]; then
  case "$1" in
    -h | --help)
      if [ "$#" -eq 1 ]; then
        printf '%s\n' "$usage"
        exit 0
      fi
      ;;
  esac
  printf '%s\n' "$usage" >&2
  exit 2
fi

source "$(dirname "${BASH_SOURCE[0]}")/lib/verify.sh" || exit 1
# Phase logs are NN-NAME.log; a phase writes its artifacts under the same $out_prefix.
VERIFY_NUMBERED=1 VERIFY_KILL_AFTER=5 VERIFY_DRIFT_LINES=30
verify_init verify-fly-readonly

# Checks every input (first problem wins) and writes input-validation.json.
validate_inputs() {
  python3 - "$run/input-validation.json" <<'PY'
import json, os, re, sys, urllib.parse

def fail(message):
    print(f"input validation failed: {message}")
    sys.exit(1)

env = os.environ
app = env.get("CLUSTER_PROOF_FLY_APP", "")
if not app.strip():
    fail("CLUSTER_PROOF_FLY_APP must be set to the Fly app name")
if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", app):
    fail("CLUSTER_PROOF_FLY_APP must be a Fly app name (lowercase letters, digits and '-')")
raw = env.get("CLUSTER_PROOF_BASE_URL", "")
if not raw.strip():
    fail("CLUSTER_PROOF_BASE_URL must be set to https://<app>.fly.dev")
u = urllib.parse.urlsplit(raw)
if u.scheme not in ("http", "https"):
    fail("CLUSTER_PROOF_BASE_URL must use http or https")
if u.username is not None or u.password is not None or "@" in u.netloc:
    fail("CLUSTER_PROOF_BASE_URL must not contain credentials")
if u.path not in ("", "/"):
    fail("CLUSTER_PROOF_BASE_URL must not contain a path")
if u.query or "?" in raw:
    fail("CLUSTER_PROOF_BASE_URL must not contain a query")
if u.fragment or "#" in raw:
    fail("CLUSTER_PROOF_BASE_URL must not contain a fragment")
try:
    port = u.port
except ValueError:
    fail("CLUSTER_PROOF_BASE_URL has an invalid port")
host = (u.hostname or "").lower()
if host != f"{app}.fly.dev":
    fail(f"CLUSTER_PROOF_BASE_URL host must be {app}.fly.dev (got {host or 'none'})")
base = f"{u.scheme}://{host}" + (f":{port}" if port is not None else "")
key = env.get("CLUSTER_PROOF_REQUEST_KEY")
node = env.get("CLUSTER_PROOF_NODE")
if key is not None and key != "":
    if len(key) > 128:
        fail("CLUSTER_PROOF_REQUEST_KEY must be 1-128 characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in key):
        fail("CLUSTER_PROOF_REQUEST_KEY must not contain control characters")
    if key != key.strip():
        fail("CLUSTER_PROOF_REQUEST_KEY must not have surrounding whitespace")
    if not node:
        fail("CLUSTER_PROOF_REQUEST_KEY requires CLUSTER_PROOF_NODE")
elif key == "":
    fail("CLUSTER_PROOF_REQUEST_KEY must be 1-128 characters")
if node is not None and node != "":
    if not re.fullmatch(r"[^@\s]+@(\[[0-9A-Fa-f:.]+\]|[^@\s:\[\]]+):([0-9]{1,5})", node) or not (
        0 < int(node.rsplit(":", 1)[1]) < 65536
    ):
        fail("CLUSTER_PROOF_NODE must be name@host:port")
    if not env.get("MESH_CLUSTER_COOKIE", "").strip():
        fail("CLUSTER_PROOF_NODE requires MESH_CLUSTER_COOKIE")
elif node == "":
    fail("CLUSTER_PROOF_NODE must be name@host:port")
resolve = env.get("CLUSTER_PROOF_RESOLVE", "")
if resolve and not re.fullmatch(r"[0-9.]+|\[[0-9A-Fa-f:.]+\]", resolve):
    fail("CLUSTER_PROOF_RESOLVE must be an IP address")
commands = [
    f"fly status -a {app} --json",
    f"fly config show -a {app}",
    f"fly logs -a {app} --no-tail",
    f"curl -fsS {base}/health",
]
if node:
    commands.append(f"meshc cluster status {node} --json")
    if key:
        commands.append(f"meshc cluster continuity {node} {key} --json")
doc = {
    "app": app,
    "base_url": base,
    "node": node or None,
    "request_key": key or None,
    "cookie": "<set>" if node else None,
    "resolve": resolve or None,
    "commands": commands,
    "read_only": True,
}
with open(sys.argv[1], "w") as f:
    json.dump(doc, f, indent=2)
print(json.dumps(doc, indent=2))
PY
}

fly_status() {
  fly status -a "$CLUSTER_PROOF_FLY_APP" --json >"$out_prefix.json" || {
    echo "fly status failed"
    return 1
  }
  python3 - "$out_prefix.json" <<'PY'
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except ValueError as e:
    print(f"fly status did not print JSON: {e}")
    sys.exit(1)
machines = doc.get("Machines", doc.get("machines")) if isinstance(doc, dict) else doc
if not isinstance(machines, list):
    print("fly status JSON has no machine list")
    sys.exit(1)
states = [str(m.get("state", m.get("State", ""))) for m in machines if isinstance(m, dict)]
running = [s for s in states if s in ("started", "running")]
print(f"machines={len(states)} running={len(running)} states={','.join(states)}")
if len(running) < 2:
    print(f"expected at least two started/running machines, found {len(running)}")
    sys.exit(1)
PY
}

fly_config() {
  fly config show -a "$CLUSTER_PROOF_FLY_APP" >"$out_prefix.txt" || {
    echo "fly config show failed"
    return 1
  }
  python3 - "$out_prefix.txt" "$CLUSTER_PROOF_FLY_APP" <<'PY'
import json, sys, tomllib
text = open(sys.argv[1]).read()
app = sys.argv[2]
try:
    cfg = json.loads(text)
except ValueError:
    try:
        cfg = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        print(f"fly config is neither JSON nor TOML: {e}")
        sys.exit(1)
problems = []
if cfg.get("app") != app:
    problems.append(f"app is {cfg.get('app')!r}, expected {app!r}")
env = cfg.get("env") or {}
if str(env.get("MESH_CLUSTER_PORT", "")) != "4370":
    problems.append(f"env MESH_CLUSTER_PORT is {env.get('MESH_CLUSTER_PORT')!r}, expected '4370'")
if env.get("MESH_DISCOVERY_SEED") != f"{app}.internal":
    problems.append(f"env MESH_DISCOVERY_SEED is {env.get('MESH_DISCOVERY_SEED')!r}, expected '{app}.internal'")
svc = cfg.get("http_service") or {}
if str(svc.get("internal_port", "")) != "8080":
    problems.append(f"http_service.internal_port is {svc.get('internal_port')!r}, expected 8080")
if svc.get("force_https") is not True:
    problems.append(f"http_service.force_https is {svc.get('force_https')!r}, expected true")
stop = svc.get("auto_stop_machines", False)
if stop not in (False, "off"):
    problems.append(f"http_service.auto_stop_machines is {stop!r}, expected off")
for p in problems:
    print(p)
if problems:
    sys.exit(1)
print("fly config matches the clustered deployment contract")
PY
}

fly_logs() {
  fly logs -a "$CLUSTER_PROOF_FLY_APP" --no-tail >"$out_prefix.txt" || {
    echo "fly logs failed"
    return 1
  }
  echo "saved $(wc -l <"$out_prefix.txt") log lines to $out_prefix.txt"
  if grep -n 'runtime bootstrap failed' "$out_prefix.txt"; then
    echo "the logs report a failed runtime bootstrap"
    return 1
  fi
}

health() {
  local url=$CLUSTER_PROOF_BASE_URL resolve=() code
  url=${url%/}
  if [[ -n ${CLUSTER_PROOF_RESOLVE:-} ]]; then
    local hostport=${url#*://} port
    port=${hostport##*:}
    [[ $port == "$hostport" ]] && { [[ $url == https* ]] && port=443 || port=80; }
    resolve=(--resolve "${hostport%%:*}:$port:$CLUSTER_PROOF_RESOLVE")
  fi
  code=$(curl -sS --max-time 15 "${resolve[@]}" -o "$out_prefix.json" -w '%{http_code}' "$url/health") || {
    echo "GET $url/health failed (curl exit $?)"
    return 1
  }
  echo "GET $url/health -> $code"
  python3 - "$out_prefix.json" "$code" <<'PY'
import json, sys
body = open(sys.argv[1]).read()
print(f"body={body}")
if sys.argv[2] != "200":
    print(f"health answered {sys.argv[2]}, expected 200")
    sys.exit(1)
try:
    doc = json.loads(body)
except ValueError:
    print("health body is not JSON")
    sys.exit(1)
want = {"status": "ok", "db_backend": "postgres", "clustered_handler": "Work.sync_todos"}
problems = [f"{k} is {doc.get(k)!r}, expected {v!r}" for k, v in want.items() if doc.get(k) != v]
if "database_url" in doc:
    problems.append("health exposes a database_url key")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY
}

cluster() {
  "$MESHC" cluster status "$CLUSTER_PROOF_NODE" --json >"$out_prefix.status.json" || {
    echo "meshc cluster status failed"
    return 1
  }
  if [[ -n ${CLUSTER_PROOF_REQUEST_KEY:-} ]]; then
    "$MESHC" cluster continuity "$CLUSTER_PROOF_NODE" "$CLUSTER_PROOF_REQUEST_KEY" --json \
      >"$out_prefix.continuity.json" || {
      echo "meshc cluster continuity failed"
      return 1
    }
  fi
  python3 - "$out_prefix" "${CLUSTER_PROOF_REQUEST_KEY:-}" <<'PY'
import json, os, re, sys
prefix, key = sys.argv[1], sys.argv[2]
problems = []
status = json.load(open(prefix + ".status.json"))
nodes = (status.get("membership") or {}).get("nodes") or []
auth = status.get("authority") or {}
print(f"nodes={','.join(map(str, nodes))} role={auth.get('cluster_role')} epoch={auth.get('promotion_epoch')} health={auth.get('replication_health')}")
if len(nodes) < 2:
    problems.append(f"expected at least two nodes, found {len(nodes)}")
if auth.get("cluster_role") not in ("primary", "standby"):
    problems.append(f"cluster_role is {auth.get('cluster_role')!r}")
epoch = auth.get("promotion_epoch")
if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0:
    problems.append(f"promotion_epoch is {epoch!r}")
HEALTH = {"local_only", "healthy", "degraded", "unavailable"}
if auth.get("replication_health") not in HEALTH:
    problems.append(f"replication_health is {auth.get('replication_health')!r}")
if key:
    doc = json.load(open(prefix + ".continuity.json"))
    rec = doc.get("record")
    if not isinstance(rec, dict):
        problems.append("continuity answer has no record")
    else:
        enums = {
            "phase": {"submitted", "completed", "rejected"},
            "result": {"pending", "succeeded", "rejected"},
            "replica_status": {"unassigned", "preparing", "mirrored", "owner_lost", "rejected", "degraded_continuing"},
            "cluster_role": {"primary", "standby"},
            "replication_health": HEALTH,
        }
        if rec.get("request_key") != key:
            problems.append(f"record key is {rec.get('request_key')!r}, expected {key!r}")
        for field, allowed in enums.items():
            if rec.get(field) not in allowed:
                problems.append(f"record {field} is {rec.get(field)!r}")
        for field in ("ingress_node", "owner_node", "replica_node", "execution_node"):
            v = rec.get(field)
            if not isinstance(v, str) or (v and not re.fullmatch(r"[^@\s]+@(\[[0-9A-Fa-f:.]+\]|[^@\s:\[\]]+):[0-9]{1,5}", v)):
                problems.append(f"record {field} is {v!r}, expected empty or name@host:port")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY
}

build_meshc() {
  if [[ -n ${MESHC:-} ]]; then
    echo "MESHC=$MESHC"
  else
    cargo build -q -p meshc -p mesh_rt
  fi
}

redaction() {
  local hits=0 pattern
  local patterns=("postgres://" "postgresql://" "DATABASE_URL=")
  [[ -n ${MESH_CLUSTER_COOKIE:-} ]] && patterns+=("$MESH_CLUSTER_COOKIE")
  for pattern in "${patterns[@]}"; do
    if grep -rlF -- "$pattern" "$1" 2>/dev/null; then
      echo "a retained artifact contains a secret-shaped value"
      hits=1
    fi
  done
  return $hits
}

retain() {
  local dest
  dest=$(verify_bundle_dir)
  mkdir -p "$dest"
  find "$run" -maxdepth 1 -type f ! -name full-contract.log ! -name latest-proof-bundle.txt \
    -exec cp {} "$dest/" \;
  verify_manifest "$dest"
  echo "$dest"
}

export -f validate_inputs fly_status fly_config fly_logs health cluster build_meshc redaction

phase preflight 30 verify_tools fly curl python3 timeout
phase input-validation 30 validate_inputs
phase fly-status 60 fly_status
phase fly-config 60 fly_config
phase fly-logs 120 fly_logs
phase health 60 health
if [[ -n ${CLUSTER_PROOF_NODE:-} ]]; then
  phase build-meshc 900 build_meshc
  verify_locate_meshc
  phase cluster 60 cluster
fi
phase redaction 30 redaction "$run"
dest=$(retain)
verify_ok "$dest"
