#!/usr/bin/env bash
# Language-server response time (issue 15): generates a project of about 2,000 lines (10
# modules), starts `meshc lsp`, opens the entry module (the first check, reported apart), then
# sends R full-text edits that alternately add and remove a type error, and times each from
# the didChange to the last publishDiagnostics of the refresh (one per module file). Prints
# the first check and the median/max refresh in ms; the target is < 100 ms per refresh. Only
# reports the figures (not a timed test).
#   scripts/bench/lsp.sh [--runs R]        (MESHC=path/to/meshc skips the release build)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs=20
if [[ "${1:-}" == "--runs" ]]; then runs="$2"; fi
if [[ -z "${MESHC:-}" ]]; then
  cargo build --release -q -p meshc
  MESHC="$PWD/target/release/meshc"
fi
dir="$PWD/target/bench/lsp"
rm -rf "$dir" && mkdir -p "$dir"
python3 - "$MESHC" "$dir" "$runs" <<'PY'
import json, os, statistics, subprocess, sys, time

meshc, root, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
MODULES, FNS = 10, 20

def module(i):
    out = [f"pub struct Rec{i} do", "  a :: Int", "  b :: String", "end", ""]
    for j in range(FNS):
        out += [
            f"pub fn f{i}_{j}(x :: Int, r :: Rec{i}) -> Int do",
            "  let y = x * 2 + r.a",
            '  let s = "#{r.b}-#{y}"',
            "  let z = case y do",
            "    0 -> 1",
            "    n -> n + String.length(s)",
            "  end",
            "  if z > 3 do z + 1 else z - 1 end",
            "end",
            "",
        ]
    return "\n".join(out) + "\n"

with open(os.path.join(root, "mesh.toml"), "w") as f:
    f.write('[package]\nname = "lspbench"\nversion = "0.1.0"\n')
lines = 0
for i in range(MODULES):
    text = module(i)
    lines += text.count("\n")
    with open(os.path.join(root, f"m{i}.mpl"), "w") as f:
        f.write(text)
main_ok = "".join(f"import M{i}\n" for i in range(MODULES)) + "\nfn main() do\n"
main_ok += "".join(
    f'  let v{i} = M{i}.f{i}_0(1, M{i}.Rec{i} {{ a: 1, b: "x" }})\n  println("#{{v{i}}}")\n'
    for i in range(MODULES)
)
main_ok += "end\n"
main_bad = main_ok.replace("f0_0(1,", 'f0_0("one",', 1)
lines += main_ok.count("\n")
main_path = os.path.join(root, "main.mpl")
with open(main_path, "w") as f:
    f.write(main_ok)
check = subprocess.run([meshc, "check", root], capture_output=True, text=True)
if check.returncode != 0:
    sys.exit(f"generated project does not check:\n{check.stderr}")

proc = subprocess.Popen([meshc, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
def send(msg):
    body = json.dumps(msg).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()
def recv():
    n = None
    while True:
        line = proc.stdout.readline()
        if not line:
            sys.exit("server closed its output")
        line = line.strip()
        if not line:
            break
        if line.startswith(b"Content-Length:"):
            n = int(line.split(b":")[1])
    return json.loads(proc.stdout.read(n))
def refresh():
    """Waits for one publishDiagnostics per module file; returns main.mpl's."""
    seen, main_diags = 0, None
    while seen < MODULES + 1:
        msg = recv()
        if msg.get("method") == "textDocument/publishDiagnostics":
            seen += 1
            if msg["params"]["uri"] == uri:
                main_diags = msg["params"]["diagnostics"]
    return main_diags

uri = "file://" + main_path
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": "file://" + root, "capabilities": {}}})
while recv().get("id") != 1:
    pass
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
t = time.perf_counter()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "mesh", "version": 1, "text": main_ok}}})
assert refresh() == []
first = (time.perf_counter() - t) * 1000
times = []
for k in range(runs):
    bad = k % 2 == 0
    t = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": k + 2}, "contentChanges": [{"text": main_bad if bad else main_ok}]}})
    diags = refresh()
    times.append((time.perf_counter() - t) * 1000)
    assert (len(diags) == 1) == bad, diags
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
while recv().get("id") != 2:
    pass
send({"jsonrpc": "2.0", "method": "exit", "params": None})
proc.wait(timeout=30)
print(f"project: {lines} lines in {MODULES + 1} modules")
print(f"first check (didOpen -> diagnostics): {first:.1f} ms")
print(f"refresh after an edit, {runs} runs: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms (target < 100 ms)")
PY
