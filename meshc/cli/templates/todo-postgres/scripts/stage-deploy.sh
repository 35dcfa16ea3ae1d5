#!/usr/bin/env bash
# Stages the {{name}} deploy bundle:
#   scripts/stage-deploy.sh <bundle-dir>
# The bundle holds exactly the binary, the deploy SQL and the two host scripts; it needs no
# meshc and no sources on the host. MESHC names the compiler (default: meshc on PATH).
set -euo pipefail

fail() {
  echo "[stage-deploy] $*" >&2
  exit 1
}

if [ "$#" -ne 1 ] || [ -z "${1:-}" ]; then
  echo "usage: scripts/stage-deploy.sh <bundle-dir>" >&2
  exit 1
fi

BUNDLE_ARG="$1"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PACKAGE_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
MESHC_BIN="${MESHC:-meshc}"

if [ -e "$BUNDLE_ARG" ] && [ ! -d "$BUNDLE_ARG" ]; then
  fail "bundle path exists but is not a directory: $BUNDLE_ARG"
fi
if ! command -v "$MESHC_BIN" >/dev/null 2>&1; then
  fail "required command missing from PATH: meshc"
fi

MANIFEST="$PACKAGE_DIR/mesh.toml"
SQL="$PACKAGE_DIR/deploy/{{name}}.up.sql"
APPLY="$PACKAGE_DIR/scripts/apply-deploy-migrations.sh"
SMOKE="$PACKAGE_DIR/scripts/deploy-smoke.sh"
[ -f "$MANIFEST" ] || fail "missing required manifest: $MANIFEST"
[ -f "$SQL" ] || fail "missing required deploy SQL artifact: $SQL"
[ -f "$APPLY" ] || fail "missing required apply script: $APPLY"
[ -f "$SMOKE" ] || fail "missing required smoke script: $SMOKE"

CREATED=0
[ -e "$BUNDLE_ARG" ] || CREATED=1
mkdir -p "$BUNDLE_ARG"
BUNDLE_DIR="$(cd "$BUNDLE_ARG" && pwd)"
# The bundle may live outside the package or in its ignored .bundle/ folder, nowhere else
# (a directory made just now for a refused path is removed again).
case "$BUNDLE_DIR/" in
  "$PACKAGE_DIR/.bundle/"?*) ;;
  "$PACKAGE_DIR/"*)
    [ "$CREATED" = 0 ] || rmdir "$BUNDLE_DIR" 2>/dev/null || true
    fail "bundle dir must be outside the package or below .bundle/: $BUNDLE_DIR"
    ;;
esac

# A listing of the source tree (without .mesh/ and .bundle/), to prove the run wrote nothing
# inside it.
source_listing() {
  (cd "$PACKAGE_DIR" && find . \( -path ./.mesh -o -path ./.bundle \) -prune -o -type f -print | LC_ALL=C sort)
}
BEFORE="$(source_listing)"

echo "[stage-deploy] building {{name}} with $(basename "$MESHC_BIN")"

rm -f "$BUNDLE_DIR/{{name}}" "$BUNDLE_DIR/{{name}}.up.sql" \
  "$BUNDLE_DIR/apply-deploy-migrations.sh" "$BUNDLE_DIR/deploy-smoke.sh"

echo "[stage-deploy] staging bundle dir=$BUNDLE_DIR"
"$MESHC_BIN" build "$PACKAGE_DIR" --output "$BUNDLE_DIR/{{name}}"
[ -f "$BUNDLE_DIR/{{name}}" ] || fail "build produced no binary: $BUNDLE_DIR/{{name}}"
[ -x "$BUNDLE_DIR/{{name}}" ] || fail "built binary is not executable: $BUNDLE_DIR/{{name}}"

cp "$SQL" "$BUNDLE_DIR/{{name}}.up.sql"
cp "$APPLY" "$BUNDLE_DIR/apply-deploy-migrations.sh"
cp "$SMOKE" "$BUNDLE_DIR/deploy-smoke.sh"
chmod 0755 "$BUNDLE_DIR/{{name}}" "$BUNDLE_DIR/apply-deploy-migrations.sh" "$BUNDLE_DIR/deploy-smoke.sh"
chmod 0644 "$BUNDLE_DIR/{{name}}.up.sql"

AFTER="$(source_listing)"
if [ "$BEFORE" != "$AFTER" ]; then
  fail "the build wrote inside the source tree: $PACKAGE_DIR"
fi

echo "[stage-deploy] staged layout"
for f in {{name}} {{name}}.up.sql apply-deploy-migrations.sh deploy-smoke.sh; do
  echo "[stage-deploy] - $BUNDLE_DIR/$f"
done
echo "[stage-deploy] bundle ready dir=$BUNDLE_DIR"
