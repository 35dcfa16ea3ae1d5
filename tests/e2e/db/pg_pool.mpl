# spec: stdlib §21, §23 — Pool.open/execute/query/checkout/checkin/close: a checkout beyond
# max waits and fails with "pool checkout timeout", works again after a check-in; a checked-in
# connection handle is closed; 50 concurrent writer processes through one pool give exactly
# 50 rows; a closed pool answers "pool is closed".
# test: database=postgres timeout=60
fn show(r :: Int ! String) -> String do
  case r do
    Ok(n) -> "Ok(#{n})"
    Err(e) -> "Err(#{e})"
  end
end

fn checkout(pool :: PoolHandle) -> PgConn do
  case Pool.checkout(pool) do
    Ok(c) -> c
    Err(e) -> panic("checkout: #{e}")
  end
end

fn main() do
  let url = Env.get("DATABASE_URL", "")
  let pool = case Pool.open(url, 1, 2, 200) do
    Ok(p) -> p
    Err(e) -> panic("open: #{e}")
  end
  println("create: #{show(Pool.execute(pool, "CREATE TABLE hits (id serial PRIMARY KEY, who text NOT NULL)", []))}")
  let a = checkout(pool)
  let b = checkout(pool)
  case Pool.checkout(pool) do
    Ok(_) -> println("third checkout succeeded?")
    Err(e) -> println("third checkout: #{e}")
  end
  println("busy pool execute: #{show(Pool.execute(pool, "SELECT 1", []))}")
  println("on a: #{show(Pg.execute(a, "INSERT INTO hits (who) VALUES ($1)", ["a"]))}")
  Pool.checkin(pool, a)
  println("a after checkin: #{show(Pg.execute(a, "SELECT 1", []))}")
  let c = checkout(pool)
  println("on c: #{show(Pg.execute(c, "INSERT INTO hits (who) VALUES ($1)", ["c"]))}")
  let _ = Pg.execute(b, "BEGIN", [])
  let _ = Pg.execute(b, "INSERT INTO hits (who) VALUES ($1)", ["never"])
  Pool.checkin(pool, b)
  Pool.checkin(pool, c)
  let writers = for i in 1..51 do
    i
  end
  # A second pool with a generous timeout: 50 writers queue for its 4 connections.
  let wpool = case Pool.open(url, 0, 4, 20000) do
    Ok(p) -> p
    Err(e) -> panic("open: #{e}")
  end
  let results = Job.map(writers, fn i do
    Pool.execute(wpool, "INSERT INTO hits (who) VALUES ($1)", ["writer #{i}"])
  end)
  let ok = List.filter(results, fn r do
    case r do
      Ok(Ok(1)) -> true
      _ -> false
    end
  end)
  println("writers ok: #{List.length(ok)}")
  case Pool.query(pool, "SELECT count(*)::text AS n, count(DISTINCT who)::text AS d FROM hits WHERE who LIKE 'writer %'", []) do
    Ok(rows) -> println("rows: #{Map.get(List.head(rows), "n")} distinct: #{Map.get(List.head(rows), "d")}")
    Err(e) -> println("count: #{e}")
  end
  case Pool.query(pool, "SELECT who FROM hits WHERE who NOT LIKE 'writer %' ORDER BY id", []) do
    Ok(rows) -> println("others: #{List.map(rows, fn r -> Map.get(r, "who") end)}")
    Err(e) -> println("others: #{e}")
  end
  Pool.close(pool)
  println("closed execute: #{show(Pool.execute(pool, "SELECT 1", []))}")
  case Pool.checkout(pool) do
    Ok(_) -> println("checkout after close succeeded?")
    Err(e) -> println("closed checkout: #{e}")
  end
end
