#!/usr/bin/env bash
# Documentation truth (tooling spec §9.8): plain-text checks, no network, that the user-facing
# docs match the spec. Runs on the built site: build it first (`mdbook build website`, or
# `npm --prefix website run build`); scripts/test.sh does both before calling this.
#   bash scripts/verify-docs-contract.sh [SITE_DIR]      (default website/book)
# Checks:
#   * the Production Backend Proof page names scripts/verify-reference-backend.sh and every
#     /health recovery field (tooling §7.8);
#   * the Distributed Proof page names the verifiers of §9.3, §9.4 and §9.10 and says the Fly
#     verifier is read-only;
#   * the getting-started and tooling pages show the four `meshc init` forms in the order
#     hello -> clustered -> SQLite -> PostgreSQL;
#   * the starter READMEs contain the commands of §8.3 / §8.4;
#   * no page of the built site links to a path that does not exist.
# Each failure prints `[docs-contract] ERROR: <file> missing <marker>`; exit 1 if any failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
SITE=${1:-website/book}
SRC=website/src
errors=0

fail() {
  echo "[docs-contract] ERROR: $1 missing $2"
  errors=$((errors + 1))
}

# Every marker (a fixed string) must appear in the file.
require() {
  local file=$1
  shift
  if [ ! -f "$file" ]; then
    fail "$file" "(the file itself)"
    return
  fi
  local marker
  for marker in "$@"; do
    grep -qF -- "$marker" "$file" || fail "$file" "$marker"
  done
}

if [ ! -f "$SITE/index.html" ]; then
  fail "$SITE/index.html" "(the built site: run mdbook build website first)"
fi

# Each checked page exists in the built site too.
for page in production-backend-proof distributed-proof getting-started tooling; do
  [ -f "$SITE/$page.html" ] || fail "$SITE/$page.html" "(the built page)"
done

require "$SRC/production-backend-proof.md" \
  "scripts/verify-reference-backend.sh" \
  "restart_count" "last_exit_reason" "recovered_jobs" "last_recovery_at" \
  "last_recovery_job_id" "last_recovery_count" "recovery_active"

require "$SRC/distributed-proof.md" \
  "scripts/verify-todo-postgres-deploy.sh" \
  "scripts/verify-todo-postgres-failover.sh" \
  "scripts/verify-fly-readonly.sh" \
  "read-only"

# The four init forms, in order, on both pages.
for page in getting-started tooling; do
  file="$SRC/$page.md"
  if ! python3 - "$file" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
forms = [
    ("hello", r"meshc init (?!-)[A-Za-z]"),
    ("clustered", r"meshc init --clustered "),
    ("SQLite", r"meshc init --template todo-api (?!--db postgres)"),
    ("PostgreSQL", r"meshc init --template todo-api --db postgres "),
]
positions = []
for name, pattern in forms:
    found = re.search(pattern, text)
    if not found:
        print(f"missing the {name} form")
        sys.exit(1)
    positions.append((found.start(), name))
if positions != sorted(positions):
    print("order is " + " -> ".join(n for _, n in sorted(positions)))
    sys.exit(1)
PY
  then
    fail "$file" "the four meshc init forms in the order hello -> clustered -> SQLite -> PostgreSQL"
  fi
done

# Starter READMEs (§8.3, §8.4).
require examples/todo-sqlite/README.md \
  "meshc test ." "meshc build ." \
  "PORT=8080 TODO_DB_PATH=todo.sqlite3 TODO_RATE_LIMIT_WINDOW_SECONDS=60 TODO_RATE_LIMIT_MAX_REQUESTS=5" \
  "meshc init --template todo-api --db postgres" "meshc init --clustered" \
  "meshc build --static ." "docker build -t todo-sqlite ." "/var/lib/todo"

require examples/todo-postgres/README.md \
  "meshc migrate . status" "meshc migrate . up" \
  "bash scripts/stage-deploy.sh ./.bundle/todo-postgres" \
  "meshc cluster status" "meshc cluster continuity" "meshc cluster diagnostics" \
  "BASE_URL" "docker compose"

# No page of the built site links to a path that does not exist.
if [ -d "$SITE" ]; then
  if ! python3 - "$SITE" <<'PY'
import os, re, sys
site = os.path.realpath(sys.argv[1])
bad = 0
for root, _, files in os.walk(site):
    for name in files:
        if not name.endswith(".html") or name in ("print.html", "404.html", "toc.html"):
            continue
        path = os.path.join(root, name)
        html = open(path, encoding="utf-8").read()
        for link in re.findall(r'(?:href|src)="([^"]*)"', html):
            if re.match(r"^[a-z]+:", link) or link.startswith("#") or not link:
                continue
            target = link.split("#")[0].split("?")[0]
            full = os.path.realpath(os.path.join(os.path.dirname(path), target))
            if os.path.isdir(full):
                full = os.path.join(full, "index.html")
            if not full.startswith(site) or not os.path.exists(full):
                print(f"[docs-contract] ERROR: {os.path.relpath(path, site)} missing link target {link}")
                bad += 1
sys.exit(1 if bad else 0)
PY
  then
    errors=$((errors + 1))
  fi
fi

if [ "$errors" -ne 0 ]; then
  echo "verify-docs-contract: $errors problem(s)"
  exit 1
fi
echo "verify-docs-contract: ok"
