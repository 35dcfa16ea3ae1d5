#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test Mesh: LLVM 19 (for inkwell),
# a C compiler driver (meshc links programs with `cc`), the rustfmt/clippy components, and
# mdBook, npm and Chromium for the documentation site.
# Idempotent and non-interactive: anything already present is only reported. Run as root, or
# as a user with password-less sudo. Each apt step is bounded by a timeout.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
APT_TIMEOUT=${APT_TIMEOUT:-900}
APT_OPTIONS=(-o Acquire::Retries=3 -o Acquire::http::Timeout=30 -o Dpkg::Use-Pty=0)

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -n)
else
  SUDO=()
fi

apt_updated=0

as_root() {
  if [ "$(id -u)" -ne 0 ] && [ "${#SUDO[@]}" -eq 0 ]; then
    echo "bootstrap: need root or sudo to run: $*" >&2
    exit 1
  fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive timeout "$APT_TIMEOUT" "$@"
}

apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get "${APT_OPTIONS[@]}" update -q
    apt_updated=1
  fi
  as_root apt-get "${APT_OPTIONS[@]}" install -y -q "$@"
}

require() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "bootstrap: $1 is still missing after installing its packages" >&2
    exit 1
  fi
}

# LLVM 19 development files; .cargo/config.toml points llvm-sys at /usr/lib/llvm-19.
if command -v llvm-config-19 >/dev/null 2>&1; then
  echo "bootstrap: llvm-19 already present ($(llvm-config-19 --version))"
else
  echo "bootstrap: installing llvm-19-dev libpolly-19-dev libzstd-dev zlib1g-dev"
  apt_install llvm-19-dev libpolly-19-dev libzstd-dev zlib1g-dev
  require llvm-config-19
  echo "bootstrap: installed llvm-19 ($(llvm-config-19 --version))"
fi

# The C compiler driver that links Mesh programs (MESH_LINKER may name another at run time).
if command -v cc >/dev/null 2>&1; then
  echo "bootstrap: cc already present ($(readlink -f "$(command -v cc)"))"
else
  echo "bootstrap: installing build-essential (for cc)"
  apt_install build-essential
  require cc
  echo "bootstrap: installed build-essential"
fi

# curl for scripts/verify-*.sh (their HTTP smokes).
if command -v curl >/dev/null 2>&1; then
  echo "bootstrap: curl already present"
else
  echo "bootstrap: installing curl"
  apt_install curl
  require curl
  echo "bootstrap: installed curl"
fi

# rustfmt and clippy for scripts/test.sh; rustup fetches them only if the toolchain lacks them.
for component in rustfmt clippy; do
  if [ "$component" = rustfmt ]; then probe=(cargo fmt --version); else probe=(cargo clippy --version); fi
  if "${probe[@]}" >/dev/null 2>&1; then
    echo "bootstrap: $component already present"
  else
    echo "bootstrap: installing $component"
    timeout "$APT_TIMEOUT" rustup component add "$component"
    echo "bootstrap: installed $component"
  fi
done

# The documentation site (website/, issue 21): mdBook from crates.io, pinned, without its
# serve/watch/search features (about 3 minutes to build once on two cores; the site needs none
# of them); npm, whose `npm --prefix website run build` is the site's second build command (the
# package has no dependencies, so no registry is used); and Chromium, which the docs test uses
# to render a page headless.
MDBOOK_VERSION=0.5.4
if command -v mdbook >/dev/null 2>&1 && mdbook --version | grep -q "v$MDBOOK_VERSION"; then
  echo "bootstrap: mdbook already present ($(mdbook --version))"
else
  echo "bootstrap: installing mdbook $MDBOOK_VERSION from crates.io"
  timeout "$APT_TIMEOUT" cargo install mdbook --version "$MDBOOK_VERSION" --locked --no-default-features
  require mdbook
  echo "bootstrap: installed $(mdbook --version)"
fi
if command -v npm >/dev/null 2>&1; then
  echo "bootstrap: npm already present ($(npm --version))"
else
  echo "bootstrap: installing nodejs npm"
  apt_install nodejs npm
  require npm
  echo "bootstrap: installed npm"
fi
if command -v chromium >/dev/null 2>&1; then
  echo "bootstrap: chromium already present"
else
  echo "bootstrap: installing chromium"
  apt_install --no-install-recommends chromium
  require chromium
  echo "bootstrap: installed chromium"
fi

# PostgreSQL hook: when the application suites arrive, ensure the server binaries here
# (`ls /usr/lib/postgresql/*/bin/initdb`, else `apt_install postgresql`), reporting one line
# like the steps above. scripts/test.sh starts and stops the throwaway server itself.
