# spec: stdlib §21, §23 — unicode round-trips; NUL in SQL or a parameter is refused with the
# spec's sentences and the connection stays usable; URL errors; a wrong password and an
# unreachable server give errors that show neither the URL nor the password.
# test: database=postgres timeout=30
fn show(r :: PgConn ! String) -> String do
  case r do
    Ok(c) -> closed(c)
    Err(e) -> e
  end
end

fn closed(c :: PgConn) -> String do
  Pg.close(c)
  "connected"
end

fn same(r :: Map<String, String>, text :: String) -> () do
  println("same: #{Map.get(r, "w") == text}, chars #{Map.get(r, "n")}, bytes #{Map.get(r, "b")}")
end

fn main() do
  let url = Env.get("DATABASE_URL", "")
  let conn = case Pg.connect(url) do
    Ok(c) -> c
    Err(e) -> panic("connect: #{e}")
  end
  let _ = Pg.execute(conn, "CREATE TABLE words (w text)", [])
  let text = "héllo wörld ✓ 日本語 🎉 \t\n'\"\\"
  let _ = Pg.execute(conn, "INSERT INTO words (w) VALUES ($1)", [text])
  case Pg.query(conn, "SELECT w, length(w)::text AS n, octet_length(w)::text AS b FROM words", []) do
    Ok(rows) -> same(List.head(rows), text)
    Err(e) -> println("unicode: #{e}")
  end
  case Pg.query(conn, "SELECT $1::text AS ünï", ["ok"]) do
    Ok(rows) -> println("unicode alias: #{List.head(rows)}")
    Err(e) -> println("alias: #{e}")
  end
  case Pg.execute(conn, "INSERT INTO words (w) VALUES ($1)", ["a\0b"]) do
    Ok(_) -> println("NUL parameter accepted?")
    Err(e) -> println("NUL parameter: #{e}")
  end
  case Pg.execute(conn, "SELECT 1\0", []) do
    Ok(_) -> println("NUL SQL accepted?")
    Err(e) -> println("NUL SQL: #{e}")
  end
  case Pg.query(conn, "SELECT count(*)::text AS n FROM words", []) do
    Ok(rows) -> println("still usable: #{Map.get(List.head(rows), "n")} row")
    Err(e) -> println("after NUL: #{e}")
  end
  let _ = Pg.execute(conn, "DROP ROLE IF EXISTS e2e_pg_errors_user", [])
  let _ = Pg.execute(conn, "CREATE ROLE e2e_pg_errors_user LOGIN PASSWORD 'right-pw-123' IN ROLE mesh_scram", [])
  let rest = List.last(String.split(url, "@"))
  println("wrong password: #{show(Pg.connect("postgres://e2e_pg_errors_user:Wr0ngSecret@#{rest}"))}")
  println("right password: #{show(Pg.connect("postgres://e2e_pg_errors_user:right-pw-123@#{rest}?sslmode=disable"))}")
  case Pool.open("postgres://e2e_pg_errors_user:Wr0ngSecret@#{rest}", 1, 2, 500) do
    Ok(_) -> println("pool opened?")
    Err(e) -> println("pool wrong password: #{e}")
  end
  println("unreachable: #{show(Pg.connect("postgres://someone:Sup3rSecret@127.0.0.1:1/db"))}")
  case Pool.open("postgres://someone:Sup3rSecret@127.0.0.1:1/db", 1, 2, 500) do
    Ok(_) -> println("pool opened?")
    Err(e) -> println("pool unreachable: #{e}")
  end
  println("scheme: #{show(Pg.connect("mysql://u:Sup3rSecret@localhost/db"))}")
  println("no @: #{show(Pg.connect("postgres://localhost/db"))}")
  println("port: #{show(Pg.connect("postgres://u:Sup3rSecret@localhost:99999/db"))}")
  let _ = Pg.execute(conn, "DROP ROLE IF EXISTS e2e_pg_errors_user", [])
  Pg.close(conn)
end
