# spec: stdlib §21–§22 — errors are SQLite's own messages as Err(String): bad SQL, a missing
# table, constraint violations; NUL bytes in SQL or parameters are refused with the spec's
# sentences and leave the connection usable; an unopenable path; a closed connection answers
# `connection closed` (closing twice is harmless); text after the first statement is ignored.
fn int_text(r :: Int ! String) -> String do
  case r do
    Ok(n) -> "ok #{n}"
    Err(e) -> "error: #{e}"
  end
end

fn rows_text(r :: List<Map<String, String>> ! String) -> String do
  case r do
    Ok(rows) -> "ok #{rows}"
    Err(e) -> "error: #{e}"
  end
end

fn unit_text(r :: () ! String) -> String do
  case r do
    Ok(_) -> "ok"
    Err(e) -> "error: #{e}"
  end
end

fn main() do
  case Sqlite.open("/nonexistent-mesh-dir/sub/x.db") do
    Ok(_) -> println("unexpected open")
    Err(e) -> println("open: #{e}")
  end
  let db = case Sqlite.open(":memory:") do
    Ok(db) -> db
    Err(e) -> panic("open failed: #{e}")
  end
  println("syntax: #{int_text(Sqlite.execute(db, "CREATE TABL t (x)", []))}")
  println("no table: #{rows_text(Sqlite.query(db, "SELECT * FROM todos", []))}")
  println("create: #{int_text(Sqlite.execute(db, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, age INTEGER CHECK (age >= 0))", []))}")
  println("insert: #{int_text(Sqlite.execute(db, "INSERT INTO users (email, age) VALUES (?, ?)", ["a@x", "30"]))}")
  println("unique: #{int_text(Sqlite.execute(db, "INSERT INTO users (email, age) VALUES (?, ?)", ["a@x", "31"]))}")
  println("not null: #{int_text(Sqlite.execute(db, "INSERT INTO users (email) VALUES (NULL)", []))}")
  println("check: #{int_text(Sqlite.execute(db, "INSERT INTO users (email, age) VALUES (?, ?)", ["b@x", "-1"]))}")
  println("no column: #{rows_text(Sqlite.query(db, "SELECT nope FROM users", []))}")
  println("null param: #{int_text(Sqlite.execute(db, "INSERT INTO users (email) VALUES (?)", ["a\0b"]))}")
  println("null sql: #{int_text(Sqlite.execute(db, "SELECT 1\0", []))}")
  println("missing params bind NULL: #{int_text(Sqlite.execute(db, "INSERT INTO users (email, age) VALUES ('c@x', ?)", []))}")
  println("second statement ignored: #{int_text(Sqlite.execute(db, "INSERT INTO users (email) VALUES ('d@x'); DROP TABLE users", []))}")
  println("still usable: #{rows_text(Sqlite.query(db, "SELECT email, age FROM users ORDER BY id", []))}")
  Sqlite.close(db)
  println("closed execute: #{int_text(Sqlite.execute(db, "SELECT 1", []))}")
  println("closed query: #{rows_text(Sqlite.query(db, "SELECT 1", []))}")
  println("closed begin: #{unit_text(Sqlite.begin(db))}")
  Sqlite.close(db)
  println("closed twice: ok")
  case Sqlite.open(":memory:") do
    Ok(other) -> do
      println("new handle differs: #{other != db}")
      println("old still closed: #{int_text(Sqlite.execute(db, "SELECT 1", []))}")
      println("new works: #{rows_text(other.query("SELECT 1 AS one", []))}")
      other.close()
    end
    Err(e) -> println("open failed: #{e}")
  end
end
