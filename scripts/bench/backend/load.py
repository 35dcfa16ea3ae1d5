"""Load client of scripts/bench/backend.sh: posts N jobs from C concurrent clients to one
reference-backend instance, waits until the database shows them all processed, and samples the
instance's RSS meanwhile. Prints one `key=value` line per figure. The database URL is read from
the environment and never printed."""
import http.client, json, os, subprocess, sys, threading, time

port, pid, jobs, clients = (int(a) for a in sys.argv[1:5])
url = os.environ["BENCH_DATABASE_URL"]
rss_peak = 0
stop = False
latencies = []
lock = threading.Lock()


def rss_kb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def sampler():
    global rss_peak
    while not stop:
        rss_peak = max(rss_peak, rss_kb())
        time.sleep(0.05)


def client(n, k):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i in range(k):
        body = json.dumps({"kind": "bench", "client": n, "seq": i})
        t0 = time.monotonic()
        conn.request("POST", "/jobs", body, {"content-type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        if r.status != 201:
            raise SystemExit(f"POST /jobs: {r.status} {data[:200]!r}")
        with lock:
            latencies.append(time.monotonic() - t0)


def open_jobs():
    out = subprocess.run(
        ["psql", "-X", "-q", "-t", "-A", "-d", url, "-c",
         "SELECT count(*) FROM jobs WHERE status <> 'processed'"],
        capture_output=True, text=True)
    return int(out.stdout.strip() or "-1")


idle = rss_kb()
threading.Thread(target=sampler, daemon=True).start()
per = jobs // clients
start = time.monotonic()
threads = [threading.Thread(target=client, args=(n, per)) for n in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
posted = time.monotonic() - start
while open_jobs() != 0:
    time.sleep(0.05)
done = time.monotonic() - start
stop = True
latencies.sort()
total = per * clients
print(f"jobs={total}")
print(f"post_seconds={posted:.2f}")
print(f"post_per_second={total / posted:.0f}")
print(f"post_p50_ms={latencies[len(latencies) // 2] * 1000:.1f}")
print(f"post_p99_ms={latencies[int(len(latencies) * 0.99)] * 1000:.1f}")
print(f"processed_seconds={done:.2f}")
print(f"processed_per_second={total / done:.0f}")
print(f"rss_idle_kb={idle}")
print(f"rss_peak_kb={max(rss_peak, rss_kb())}")
