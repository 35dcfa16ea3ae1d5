# Shared by the benchmark scripts (sourced): installing a missing tool and picking free ports.
# The sourcing script sets `out` (its output directory, for the apt logs) first.

# Installs Debian package `package` when `tool` is missing (as root, with apt); returns 1,
# after saying why, if the tool is still not there.
ensure_tool() {
  local tool=$1 package=$2
  if command -v "$tool" > /dev/null; then return 0; fi
  if command -v apt-get > /dev/null && [ "$(id -u)" = 0 ]; then
    echo "installing $package for $tool" >&2
    { apt-get install -y -qq "$package" || { apt-get update -qq && apt-get install -y -qq "$package"; }; } \
      > "$out/apt-$package.log" 2>&1 || true
  fi
  if command -v "$tool" > /dev/null; then return 0; fi
  echo "$tool: not available (could not install Debian package $package; see $out/apt-$package.log)" >&2
  return 1
}

# A TCP port free on 127.0.0.1.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# A TCP port free on both 127.0.0.1 and ::1 (for a pair of nodes, one on each).
free_port_dual() {
  python3 -c '
import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    t = socket.socket(socket.AF_INET6)
    try:
        t.bind(("::1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close(); t.close()'
}

# Installs Debian package `package` when it is not installed (as root, with apt); returns 1,
# after saying why, if it still is not.
ensure_package() {
  local package=$1
  dpkg -s "$package" > /dev/null 2>&1 && return 0
  if command -v apt-get > /dev/null && [ "$(id -u)" = 0 ]; then
    echo "installing $package" >&2
    { apt-get install -y -qq "$package" || { apt-get update -qq && apt-get install -y -qq "$package"; }; } \
      > "$out/apt-$package.log" 2>&1 || true
  fi
  dpkg -s "$package" > /dev/null 2>&1 || { echo "$package: not available (see $out/apt-$package.log)" >&2; return 1; }
}

# The server a benchmark has running (its pid in `pid`, empty when none) and how it stops:
# `stop_server` kills and reaps it; `trap stop_server EXIT` in the sourcing script makes sure
# none outlives the script.
pid=
stop_server() {
  if [ -n "$pid" ]; then
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    pid=
  fi
}
