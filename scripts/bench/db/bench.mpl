# Database benchmark (scripts/bench/db.sh). PostgreSQL: BENCH_SELECTS (100,000) single-row
# primary-key SELECTs, then BENCH_INSERTS (20,000) single-row INSERTs, each split over 16
# processes sharing one Pool of 8 connections (every query checks a connection out and back
# in). SQLite: BENCH_SQLITE (100,000) INSERTs in one transaction, then as many point reads,
# in one process. The database URL is DATABASE_URL, the SQLite file BENCH_SQLITE_PATH.
# Prints `key value` lines: <test>_ops (rows seen) and <test>_per_s.
fn now_ms() -> Int do
  DateTime.to_unix_ms(DateTime.utc_now())
end

fn must(what :: String, r :: Int ! String) -> Int do
  case r do
    Ok(n) -> n
    Err(e) -> panic("#{what}: #{e}")
  end
end

fn selects(pool :: PoolHandle, worker :: Int, i :: Int, n :: Int, keys :: Int, found :: Int) -> Int do
  if i == n do
    found
  else
    let id = (worker * 7919 + i * 31) % keys + 1
    let got = case Pool.query(pool, "SELECT v FROM bench_kv WHERE id = $1", ["#{id}"]) do
      Ok(rows) -> List.length(rows)
      Err(e) -> panic("select: #{e}")
    end
    selects(pool, worker, i + 1, n, keys, found + got)
  end
end

fn inserts(pool :: PoolHandle, worker :: Int, i :: Int, n :: Int, done :: Int) -> Int do
  if i == n do
    done
  else
    let count = must(
      "insert",
      Pool.execute(
        pool,
        "INSERT INTO bench_ins (worker, v) VALUES ($1, $2)",
        ["#{worker}", "row #{i}"]
      )
    )
    inserts(pool, worker, i + 1, n, done + count)
  end
end

fn total(results :: List<Int ! String>) -> Int do
  List.reduce(results, 0, fn acc, r do
    case r do
      Ok(n) -> acc + n
      Err(e) -> panic("worker: #{e}")
    end
  end)
end

fn report(key :: String, ops :: Int, ms :: Int) -> () do
  let elapsed = if ms < 1 do 1 else ms end
  println("#{key}_ops #{ops}")
  println("#{key}_per_s #{ops * 1000 / elapsed}")
end

fn sqlite_must(what :: String, r :: Int ! String) -> Int do
  case r do
    Ok(n) -> n
    Err(e) -> panic("sqlite #{what}: #{e}")
  end
end

fn sqlite_inserts(db :: SqliteConn, i :: Int, n :: Int) -> Int do
  if i > n do
    n
  else
    let _ = sqlite_must(
      "insert",
      Sqlite.execute(db, "INSERT INTO kv (id, v) VALUES (?, ?)", ["#{i}", "value #{i}"])
    )
    sqlite_inserts(db, i + 1, n)
  end
end

fn sqlite_selects(db :: SqliteConn, i :: Int, n :: Int, found :: Int) -> Int do
  if i == n do
    found
  else
    let id = (i * 7919) % n + 1
    let got = case Sqlite.query(db, "SELECT v FROM kv WHERE id = ?", ["#{id}"]) do
      Ok(rows) -> List.length(rows)
      Err(e) -> panic("sqlite select: #{e}")
    end
    sqlite_selects(db, i + 1, n, found + got)
  end
end

fn main() do
  let url = Env.get("DATABASE_URL", "")
  let path = Env.get("BENCH_SQLITE_PATH", "bench.sqlite")
  let keys = Env.get_int("BENCH_KEYS", 1000)
  let workers = for w in 0..16 do
    w
  end
  let pool = case Pool.open(url, 8, 8, 30000) do
    Ok(p) -> p
    Err(e) -> panic("pool: #{e}")
  end
  let _ = must("setup", Pool.execute(pool, "DROP TABLE IF EXISTS bench_kv, bench_ins", []))
  let _ = must(
    "setup",
    Pool.execute(pool, "CREATE TABLE bench_kv (id BIGINT PRIMARY KEY, v TEXT NOT NULL)", [])
  )
  let _ = must(
    "setup",
    Pool.execute(
      pool,
      "INSERT INTO bench_kv SELECT g, 'value ' || g FROM generate_series(1, $1::int) AS g",
      ["#{keys}"]
    )
  )
  let _ = must(
    "setup",
    Pool.execute(
      pool,
      "CREATE TABLE bench_ins (id BIGSERIAL PRIMARY KEY, worker BIGINT NOT NULL, v TEXT NOT NULL)",
      []
    )
  )
  let per = Env.get_int("BENCH_SELECTS", 100000) / 16
  let start = now_ms()
  let found = total(Job.map(workers, fn w -> selects(pool, w, 0, per, keys, 0) end))
  report("pg_select", found, now_ms() - start)
  let per = Env.get_int("BENCH_INSERTS", 20000) / 16
  let start = now_ms()
  let done = total(Job.map(workers, fn w -> inserts(pool, w, 0, per, 0) end))
  report("pg_insert", done, now_ms() - start)
  Pool.close(pool)
  let n = Env.get_int("BENCH_SQLITE", 100000)
  let _ = File.delete(path)
  let db = case Sqlite.open(path) do
    Ok(d) -> d
    Err(e) -> panic("sqlite open: #{e}")
  end
  let _ = sqlite_must(
    "create",
    Sqlite.execute(db, "CREATE TABLE kv (id INTEGER PRIMARY KEY, v TEXT NOT NULL)", [])
  )
  let start = now_ms()
  case Sqlite.begin(db) do
    Ok(_) -> ()
    Err(e) -> panic("sqlite begin: #{e}")
  end
  let inserted = sqlite_inserts(db, 1, n)
  case Sqlite.commit(db) do
    Ok(_) -> ()
    Err(e) -> panic("sqlite commit: #{e}")
  end
  report("sqlite_insert", inserted, now_ms() - start)
  let start = now_ms()
  let found = sqlite_selects(db, 0, n, 0)
  report("sqlite_select", found, now_ms() - start)
  Sqlite.close(db)
end
