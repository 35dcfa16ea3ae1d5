# spec: stdlib §22 — Sqlite.begin/commit/rollback issue BEGIN/COMMIT/ROLLBACK: committed rows
# stay, rolled-back rows vanish, SQLite's message on misuse (`cannot commit - no transaction
# is active`, a nested BEGIN); `?` propagates the first error out of a transaction body.
fn unit_text(r :: () ! String) -> String do
  case r do
    Ok(_) -> "ok"
    Err(e) -> "error: #{e}"
  end
end

fn count(db :: SqliteConn) -> String do
  case Sqlite.query(db, "SELECT count(*) AS n FROM items", []) do
    Ok(rows) -> Map.get(List.head(rows), "n")
    Err(e) -> "error: #{e}"
  end
end

fn insert_two(db :: SqliteConn, a :: String, b :: String) -> () ! String do
  let _ = Sqlite.execute(db, "INSERT INTO items (name) VALUES (?)", [a])?
  let _ = Sqlite.execute(db, "INSERT INTO items (name) VALUES (?)", [b])?
  Ok(())
end

# Commits the body's work or rolls it back on the first error.
fn in_transaction(db :: SqliteConn, a :: String, b :: String) -> () ! String do
  Sqlite.begin(db)?
  case insert_two(db, a, b) do
    Ok(_) -> Sqlite.commit(db)
    Err(e) -> do
      Sqlite.rollback(db)?
      Err(e)
    end
  end
end

fn main() do
  let db = case Sqlite.open(":memory:") do
    Ok(db) -> db
    Err(e) -> panic("open failed: #{e}")
  end
  let _ = Sqlite.execute(db, "CREATE TABLE items (name TEXT PRIMARY KEY)", [])
  println("begin: #{unit_text(Sqlite.begin(db))}")
  let _ = Sqlite.execute(db, "INSERT INTO items (name) VALUES (?)", ["kept"])
  println("commit: #{unit_text(Sqlite.commit(db))} count=#{count(db)}")
  println("begin: #{unit_text(Sqlite.begin(db))}")
  let _ = Sqlite.execute(db, "INSERT INTO items (name) VALUES (?)", ["dropped"])
  println("inside: count=#{count(db)}")
  println("rollback: #{unit_text(Sqlite.rollback(db))} count=#{count(db)}")
  println("commit without transaction: #{unit_text(Sqlite.commit(db))}")
  println("rollback without transaction: #{unit_text(Sqlite.rollback(db))}")
  println("begin: #{unit_text(Sqlite.begin(db))}")
  println("nested begin: #{unit_text(Sqlite.begin(db))}")
  println("rollback: #{unit_text(Sqlite.rollback(db))}")
  println("all or nothing ok: #{unit_text(in_transaction(db, "a", "b"))} count=#{count(db)}")
  println("all or nothing failing: #{unit_text(in_transaction(db, "c", "a"))} count=#{count(db)}")
  case Sqlite.query(db, "SELECT name FROM items ORDER BY name", []) do
    Ok(rows) -> println("#{List.map(rows, fn r -> Map.get(r, "name") end)}")
    Err(e) -> println("error: #{e}")
  end
  Sqlite.close(db)
end
