# spec: stdlib §21, §23 — Pg.connect / execute / query with text parameters; rows are
# Map<String, String> in select order with NULL as ""; server errors in the structured form;
# Pg.begin/commit/rollback are plain statements; a closed connection answers "connection closed".
# test: database=postgres
fn show_rows(rows :: List<Map<String, String>>) -> () do
  List.each(rows, fn(r) -> println("#{r}") end)
end

fn run(url :: String) -> () ! String do
  let conn = Pg.connect(url)?
  let n = Pg.execute(conn, "CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE NOT NULL, name text, active boolean DEFAULT true)", [])?
  println("create: #{n}")
  let a = Pg.execute(conn, "INSERT INTO users (email, name) VALUES ($1, $2), ($3, $4)", ["a@x.org", "Ann", "b@x.org", "Bob"])?
  println("inserted: #{a}")
  let c = Pg.execute(conn, "INSERT INTO users (email) VALUES ($1)", ["c@x.org"])?
  println("inserted: #{c}")
  let rows = Pg.query(conn, "SELECT id::text AS id, email, name, active, active::text AS flag FROM users ORDER BY id", [])?
  show_rows(rows)
  let one = Pg.query(conn, "SELECT name FROM users WHERE email = $1", ["b@x.org"])?
  println(Map.get(List.head(one), "name"))
  println("missing column: [#{Map.get(List.head(one), "nope")}]")
  case Pg.execute(conn, "INSERT INTO users (email) VALUES ($1)", ["a@x.org"]) do
    Ok(_) -> println("duplicate accepted?")
    Err(e) -> println(String.replace(e, "\t", "|"))
  end
  case Pg.query(conn, "SELECT * FROM nowhere", []) do
    Ok(_) -> println("no error?")
    Err(e) -> println(String.replace(e, "\t", "|"))
  end
  let u = Pg.execute(conn, "UPDATE users SET active = false WHERE id > $1", ["1"])?
  println("updated: #{u}")
  let _ = Pg.begin(conn)?
  let d = Pg.execute(conn, "DELETE FROM users", [])?
  let _ = Pg.rollback(conn)?
  let left = Pg.query(conn, "SELECT count(*)::text AS n FROM users", [])?
  println("deleted #{d} then rolled back: #{Map.get(List.head(left), "n")} left")
  let _ = Pg.begin(conn)?
  let _ = Pg.execute(conn, "DELETE FROM users WHERE id = $1::int", ["3"])?
  let _ = Pg.commit(conn)?
  let kept = Pg.query(conn, "SELECT count(*)::text AS n FROM users", [])?
  println("committed: #{Map.get(List.head(kept), "n")} left")
  Pg.close(conn)
  case Pg.query(conn, "SELECT 1", []) do
    Ok(_) -> println("closed connection answered?")
    Err(e) -> println("after close: #{e}")
  end
  Ok(())
end

fn main() do
  case run(Env.get("DATABASE_URL", "")) do
    Ok(_) -> println("done")
    Err(e) -> println("error: #{e}")
  end
end
