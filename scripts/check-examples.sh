#!/usr/bin/env bash
# Checks that the committed starter examples are exactly what `meshc init` generates (tooling
# spec §8: any hand edit to an example is a failure). Each example is regenerated into a
# temporary directory and compared with the committed copy, file by file; files the example's
# own .gitignore ignores (a local build, the database file) do not count.
#
#   bash scripts/check-examples.sh           # report `<example>: ok` or its missing=/extra=/changed= paths
#   bash scripts/check-examples.sh --write   # refresh the committed copies instead
#
# Uses target/debug/meshc (built first) unless MESHC names a meshc executable.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

write=0
case "${1:-}" in
  "") ;;
  --write) write=1 ;;
  *)
    echo "usage: scripts/check-examples.sh [--write]" >&2
    exit 2
    ;;
esac

if [[ -z "${MESHC:-}" ]]; then
  cargo build -q -p meshc
  MESHC=$root/target/debug/meshc
elif [[ "$MESHC" == */* ]]; then
  MESHC=$(realpath "$MESHC")
fi

# example directory name | meshc init arguments (the project name is the directory name).
examples=(
  "todo-sqlite|--template todo-api --db sqlite"
  "todo-postgres|--template todo-api --db postgres"
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The files of an example as git sees them: committed or new, minus what .gitignore ignores.
committed_files() {
  git ls-files --cached --others --exclude-standard -- "examples/$1" |
    sed "s|^examples/$1/||" | while read -r f; do
      [[ -f "examples/$1/$f" ]] && printf '%s\n' "$f"
    done | LC_ALL=C sort -u
}

failed=0
for entry in "${examples[@]}"; do
  name=${entry%%|*}
  read -r -a args <<<"${entry#*|}"
  (cd "$tmp" && "$MESHC" init "${args[@]}" "$name" >/dev/null)
  generated=$tmp/$name
  if [[ $write == 1 ]]; then
    if [[ -d "examples/$name" ]]; then
      committed_files "$name" | while read -r f; do rm -f "examples/$name/$f"; done
    fi
    mkdir -p "examples/$name"
    cp -a "$generated/." "examples/$name/"
    echo "$name: written"
    continue
  fi
  (cd "$generated" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) >"$tmp/$name.generated"
  committed_files "$name" >"$tmp/$name.committed"
  missing=$(LC_ALL=C comm -23 "$tmp/$name.generated" "$tmp/$name.committed" | paste -sd, -)
  extra=$(LC_ALL=C comm -13 "$tmp/$name.generated" "$tmp/$name.committed" | paste -sd, -)
  changed=$(LC_ALL=C comm -12 "$tmp/$name.generated" "$tmp/$name.committed" | while read -r f; do
    cmp -s "$generated/$f" "examples/$name/$f" || printf '%s\n' "$f"
  done | paste -sd, -)
  if [[ -z "$missing$extra$changed" ]]; then
    echo "$name: ok"
  else
    failed=1
    echo "$name: missing=$missing extra=$extra changed=$changed"
  fi
done

if [[ $failed == 1 ]]; then
  echo "examples differ from what meshc init generates: run 'bash scripts/check-examples.sh --write' after changing a template" >&2
  exit 1
fi
