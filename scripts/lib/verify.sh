# shellcheck shell=bash
# Shared scaffolding of the verify scripts (tooling spec §9.1): the run directory, phases with
# their own logs, `verification drift: …` failures, tool and DATABASE_URL preflights, meshc,
# bundle manifests and pruning, and the closing status. Sourced, never run:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/verify.sh"
#   VERIFY_ERREXIT=1        # knobs, see below
#   verify_init verify-todo-starters
#
# verify_init cds to the repository root and sets (and exports) root, name, base
# (.tmp/<name>), run (its verify/) and bundles (its proof-bundles/), all absolute. The phase
# commands run in a child bash (timeout runs programs): a script exports the functions and
# variables its phases use; the helpers here are exported already.
#
# Two log styles, as the scripts had them:
#   VERIFY_STYLE=tee (default)  everything the script prints goes to full-contract.log too;
#                               `phase NAME SECS CMD…` prints "== NAME".
#   VERIFY_STYLE=say            only `say` lines and the phase logs go to full-contract.log;
#                               `phase NAME SECS DESCRIPTION CMD…` prints "== NAME: DESCRIPTION"
#                               and "== NAME: passed"; paths in messages are relative to root.
# Knobs (set after sourcing, before verify_init):
#   VERIFY_ERREXIT=1       phase commands run under `set -euo pipefail` (default 0)
#   VERIFY_KILL_AFTER=N    SIGKILL N seconds after a phase's timeout (default 10)
#   VERIFY_DRIFT_LINES=N   head and tail lines of a failing log shown, tee style (default 40)
#   VERIFY_NUMBERED=1      phase logs are NN-NAME.log; out_prefix (that path without .log) is
#                          exported to the phase for the files it writes (default 0)

# (Not taken from the environment: a verify script run by another one starts from these.)
VERIFY_STYLE=tee
VERIFY_ERREXIT=0
VERIFY_KILL_AFTER=10
VERIFY_DRIFT_LINES=40
VERIFY_NUMBERED=0
verify_phase_number=0

# verify_init NAME: the run directory wiped (keeping the pointer to the last good bundle),
# status.txt `running`, an empty phase-report.txt and full-contract.log.
verify_init() {
  name=$1
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
  root=$PWD
  base=$root/.tmp/$name
  run=$base/verify
  bundles=$base/proof-bundles
  local latest=""
  [[ -f $run/latest-proof-bundle.txt ]] && latest=$(cat "$run/latest-proof-bundle.txt")
  rm -rf "$run"
  mkdir -p "$run" "$bundles"
  [[ -n $latest ]] && echo "$latest" >"$run/latest-proof-bundle.txt"
  echo running >"$run/status.txt"
  : >"$run/phase-report.txt"
  if [[ $VERIFY_STYLE == say ]]; then
    : >"$run/full-contract.log"
  else
    exec > >(tee -a "$run/full-contract.log") 2>&1
  fi
  export root name base run bundles
}

# say TEXT…: prints a line and appends it to full-contract.log (say style; tee style has
# everything there already).
say() {
  if [[ $VERIFY_STYLE == say ]]; then
    echo "$*" | tee -a "$run/full-contract.log"
  else
    echo "$*"
  fi
}

# drift REASON [LOG]: `verification drift: REASON`, the head and tail of LOG, status.txt
# `failed`, exit 1.
drift() {
  local reason=$1 log=${2:-}
  if [[ $VERIFY_STYLE == say ]]; then
    echo failed >"$run/status.txt"
    say "verification drift: $reason"
    if [[ -n $log && -f $log ]]; then
      local rel=${log#"$root/"}
      say "failing log: $root/$rel"
      say "--- head of $rel"
      head -n 40 "$log" | tee -a "$run/full-contract.log"
      say "--- tail of $rel"
      tail -n 60 "$log" | tee -a "$run/full-contract.log"
    fi
    exit 1
  fi
  echo "verification drift: $reason"
  if [[ -n $log && -f $log ]]; then
    echo "log: $log"
    echo "--- head ---"
    head -n "$VERIFY_DRIFT_LINES" "$log"
    echo "--- tail ---"
    tail -n "$VERIFY_DRIFT_LINES" "$log"
  fi
  echo failed >"$run/status.txt"
  exit 1
}

# phase NAME TIMEOUT_SECONDS [DESCRIPTION (say style)] COMMAND…: runs the command with its
# output in <phase>.log; current-phase.txt and phase-report.txt follow it; a failure or a
# timeout is drift.
phase() {
  local phase=$1 limit=$2 desc=""
  shift 2
  if [[ $VERIFY_STYLE == say ]]; then
    desc=$1
    shift
  fi
  local log=$run/$phase.log
  if [[ $VERIFY_NUMBERED == 1 ]]; then
    verify_phase_number=$((verify_phase_number + 1))
    out_prefix=$run/$(printf '%02d' "$verify_phase_number")-$phase
    export out_prefix
    log=$out_prefix.log
  fi
  echo "$phase" >"$run/current-phase.txt"
  printf '%s\tstarted\n' "$phase" >>"$run/phase-report.txt"
  if [[ $VERIFY_STYLE == say ]]; then
    say "== $phase: $desc"
  else
    echo "== $phase"
  fi
  local script='"$@"' status=0
  [[ $VERIFY_ERREXIT == 1 ]] && script='set -euo pipefail; "$@"'
  timeout --kill-after="$VERIFY_KILL_AFTER" "$limit" bash -c "$script" "$phase" "$@" >"$log" 2>&1 || status=$?
  [[ $VERIFY_STYLE == say ]] && cat "$log" >>"$run/full-contract.log"
  if [[ $status != 0 ]]; then
    printf '%s\tfailed\n' "$phase" >>"$run/phase-report.txt"
    if [[ $status == 124 || $status == 137 ]]; then
      drift "phase $phase timed out after ${limit}s" "$log"
    fi
    drift "phase $phase failed (exit $status)" "$log"
  fi
  printf '%s\tpassed\n' "$phase" >>"$run/phase-report.txt"
  [[ $VERIFY_STYLE == say ]] && say "== $phase: passed"
  return 0
}

# ran_tests PHASE: a phase running a cargo test filter must have run at least one test.
ran_tests() {
  local log=$run/$1.log
  if [[ $VERIFY_STYLE == say ]]; then
    grep -qE '^test result: ok\. [1-9][0-9]* passed' "$log" ||
      drift "phase $1 ran no test (a filter that matches nothing is a failure)" "$log"
  else
    grep -Eq 'test result: ok\. [1-9][0-9]* passed' "$log" ||
      drift "phase $1 ran no test (the filter matched nothing)" "$log"
  fi
}

# verify_tools TOOL…: every tool is on PATH (each found or missing one is listed).
verify_tools() {
  local tool missing=0
  for tool in "$@"; do
    if command -v "$tool" >/dev/null 2>&1; then
      if [[ $VERIFY_STYLE == say ]]; then echo "found $tool"; else echo "$tool: $(command -v "$tool")"; fi
    else
      if [[ $VERIFY_STYLE == say ]]; then
        echo "required tool missing from PATH: $tool"
      else
        echo "missing tool: $tool"
      fi
      missing=1
    fi
  done
  return "$missing"
}

# verify_build_meshc: builds meshc and the runtime unless MESHC names a meshc to use.
verify_build_meshc() {
  if [[ -n ${MESHC:-} ]]; then
    if [[ $VERIFY_STYLE == say ]]; then echo "using MESHC=$MESHC"; else echo "MESHC=$MESHC"; fi
  else
    cargo build -p meshc -p mesh_rt
  fi
}

# verify_locate_meshc: MESHC (default the build's target/debug/meshc) as an absolute path,
# exported.
verify_locate_meshc() {
  MESHC=${MESHC:-$root/target/debug/meshc}
  [[ $MESHC == */* ]] && MESHC=$(realpath "$MESHC")
  export MESHC
}

# verify_database_url: DATABASE_URL (the admin URL of a disposable server; never printed) is
# set, one line, and a postgres:// or postgresql:// URL.
verify_database_url() {
  if [[ -z ${DATABASE_URL:-} ]]; then
    echo "DATABASE_URL must be set for scripts/$name.sh"
    return 1
  fi
  case "$DATABASE_URL" in
    *$'\n'* | *$'\r'*)
      echo "DATABASE_URL must be a single line"
      return 1
      ;;
    postgres://* | postgresql://*) ;;
    *)
      echo "DATABASE_URL must start with postgres:// or postgresql://"
      return 1
      ;;
  esac
}

# verify_database_reachable: verify_database_url, then the server answers psql (its errors
# with any URL redacted).
verify_database_reachable() {
  verify_database_url || return 1
  psql -X -q -t -A -d "$DATABASE_URL" -c "SELECT 'server reachable'" 2>&1 | sed 's#postgres[a-z]*://[^ ]*#<redacted>#g'
  [ "${PIPESTATUS[0]}" -eq 0 ]
}

# verify_url_leaks PATH…: prints " FILE" for each file under the paths (full-contract.log
# aside) holding a postgres URL or a DATABASE_URL= other than `DATABASE_URL=<redacted>` or
# `DATABASE_URL=…`, and " (the database URL itself)" when DATABASE_URL's value appears.
verify_url_leaks() {
  local hits f
  hits="$(grep -rIl -e 'postgres://' -e 'postgresql://' -e 'DATABASE_URL=' "$@" 2>/dev/null |
    grep -v '/full-contract.log$' || true)"
  for f in $hits; do
    if grep -I -e 'postgres://' -e 'postgresql://' "$f" >/dev/null 2>&1 ||
      grep -I 'DATABASE_URL=' "$f" | grep -v 'DATABASE_URL=<redacted>' | grep -v 'DATABASE_URL=…' >/dev/null 2>&1; then
      printf ' %s' "$f"
    fi
  done
  if [[ -n ${DATABASE_URL:-} ]] && grep -rIqF -- "$DATABASE_URL" "$@" 2>/dev/null; then
    printf ' %s' "(the database URL itself)"
  fi
  return 0
}

# verify_bundle_dir: a new bundle directory under proof-bundles/ named by the UTC time.
verify_bundle_dir() {
  echo "$bundles/$(date -u +%Y%m%dT%H%M%SZ)"
}

# verify_manifest DIR: DIR/manifest.txt lists every other file of DIR, sorted bytewise.
verify_manifest() {
  (cd "$1" && find . -type f ! -name manifest.txt | LC_ALL=C sort >manifest.txt)
}

# verify_seal_bundle BUNDLE: copies the run's phase logs and phase-report.txt into BUNDLE,
# writes its manifest and prints how many files it holds.
verify_seal_bundle() {
  local f
  for f in "$run"/*.log "$run/phase-report.txt"; do
    cp "$f" "$1/"
  done
  verify_manifest "$1"
  echo "retained $(wc -l <"$1/manifest.txt") files in $1"
}

# verify_candidate: sets bundle to the one the retain phase recorded in bundle-candidate.txt;
# fails when it holds no manifest.
verify_candidate() {
  bundle=$(cat "$run/bundle-candidate.txt")
  [[ -d $bundle && -s $bundle/manifest.txt ]] || {
    echo "no retained bundle at '$bundle'"
    return 1
  }
}

# verify_prune_bundles N: keeps the N newest bundles and the latest good one.
verify_prune_bundles() {
  local old keep_latest
  keep_latest=$(cat "$run/latest-proof-bundle.txt" 2>/dev/null || true)
  for old in $(ls -1d "$bundles"/*/ | LC_ALL=C sort -r | tail -n +"$(($1 + 1))"); do
    [[ ${old%/} == "$keep_latest" ]] || rm -rf "$old"
  done
}

# verify_ok BUNDLE [LINE…]: BUNDLE becomes the latest good one, status.txt `ok`; prints the
# artifact and bundle paths, the LINEs, and `<name>: ok`.
verify_ok() {
  local bundle=$1 line
  shift
  echo "$bundle" >"$run/latest-proof-bundle.txt"
  echo complete >"$run/current-phase.txt"
  echo ok >"$run/status.txt"
  say "artifacts: $run"
  say "bundle: $bundle"
  for line in "$@"; do
    say "$line"
  done
  say "$name: ok"
}

export VERIFY_STYLE
export -f verify_tools verify_build_meshc verify_database_url verify_database_reachable \
  verify_url_leaks verify_bundle_dir verify_manifest verify_seal_bundle verify_candidate verify_prune_bundles
