# spec: stdlib §23, §26 — Pg.transaction commits on Ok, rolls back on Err (returning the same
# Err) and on a panic in its callback (Err("transaction aborted: panic in callback")); BEGIN on a
# closed connection fails; Repo.transaction does the same on a pooled connection.
# test: database=postgres timeout=30
fn count(conn :: PgConn) -> String do
  case Pg.query(conn, "SELECT count(*)::text AS n FROM items", []) do
    Ok(rows) -> Map.get(List.head(rows), "n")
    Err(e) -> "error: #{e}"
  end
end

fn insert(c :: PgConn, name :: String) -> Int ! String do
  Pg.execute(c, "INSERT INTO items (name) VALUES ($1)", [name])
end

fn show(r :: Int ! String) -> String do
  case r do
    Ok(n) -> "Ok(#{n})"
    Err(e) -> "Err(#{e})"
  end
end

fn main() do
  let url = Env.get("DATABASE_URL", "")
  let conn = case Pg.connect(url) do
    Ok(c) -> c
    Err(e) -> panic("connect: #{e}")
  end
  let _ = Pg.execute(conn, "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)", [])
  let ok = Pg.transaction(conn, fn(c) do
    let _ = insert(c, "one")?
    insert(c, "two")
  end)
  println("commit: #{show(ok)}, rows #{count(conn)}")
  let failed = Pg.transaction(conn, fn(c) do
    let _ = insert(c, "three")?
    Err("changed my mind")
  end)
  println("rollback on Err: #{show(failed)}, rows #{count(conn)}")
  let server_err = Pg.transaction(conn, fn(c) do
    let _ = insert(c, "four")?
    Pg.execute(c, "INSERT INTO items (name) VALUES (NULL)", [])
  end)
  let code = case server_err do
    Ok(_) -> "committed?"
    Err(e) -> List.head(String.split(e, "\t"))
  end
  println("server error: #{code}, rows #{count(conn)}")
  let results = Job.map([1], fn _ do
    Pg.transaction(conn, fn(c) do
      let _ = insert(c, "five")?
      if true do
        panic("boom")
      end
      Ok(1)
    end)
  end)
  for r in results do
    case r do
      Ok(inner) -> println("panic: #{show(inner)}")
      Err(e) -> println("job crashed: #{e}")
    end
  end
  println("after panic: rows #{count(conn)}")
  println("still usable: #{show(insert(conn, "six"))}, rows #{count(conn)}")
  let pool = case Pool.open(url, 1, 2, 1000) do
    Ok(p) -> p
    Err(e) -> panic("pool: #{e}")
  end
  let repo_ok = Repo.transaction(pool, fn(c) do
    insert(c, "seven")
  end)
  let repo_err = Repo.transaction(pool, fn(c) do
    let _ = insert(c, "eight")?
    Err("no")
  end)
  println("repo: #{show(repo_ok)} #{show(repo_err)}, rows #{count(conn)}")
  Pg.close(conn)
  let closed = Pg.transaction(conn, fn(c) do
    insert(c, "nine")
  end)
  println("closed: #{show(closed)}")
end
