# spec: stdlib §21–§22 — parameters are text bound by position, so SQL injection attempts stay
# data; unicode (multi-byte, emoji, combining marks, right-to-left) round-trips byte for byte;
# a NUL byte in a parameter is refused (`parameter contains null byte`) and nothing is
# written; quotes, newlines and tabs are ordinary characters. Column affinity converts text.
fn main() do
  let db = case Sqlite.open(":memory:") do
    Ok(db) -> db
    Err(e) -> panic("open failed: #{e}")
  end
  let _ = Sqlite.execute(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, n INTEGER, r REAL)", [])
  let attempts = [
    "'); DROP TABLE t; --",
    "x' OR '1'='1",
    "\" OR \"\"=\"",
    "1; DELETE FROM t",
    "Robert'); DROP TABLE students;--",
    "?", ":name", "$1",
    "ünïcödé — 日本語 — 🎉👍🏽 — é — עברית",
    "tab\there\nnewline\\backslash",
    ""
  ]
  for a in attempts do
    case Sqlite.execute(db, "INSERT INTO t (s) VALUES (?)", [a]) do
      Ok(_) -> ()
      Err(e) -> println("insert error: #{e}")
    end
  end
  case Sqlite.query(db, "SELECT s FROM t ORDER BY id", []) do
    Ok(rows) -> do
      let back = List.map(rows, fn r -> Map.get(r, "s") end)
      println("rows: #{List.length(rows)} identical: #{back == attempts}")
      for s in back do
        println("[#{s}] #{String.length(s)}")
      end
      ()
    end
    Err(e) -> println("error: #{e}")
  end
  case Sqlite.query(db, "SELECT count(*) AS n FROM t WHERE s = ?", ["x' OR '1'='1"]) do
    Ok(rows) -> println("matching the literal text: #{Map.get(List.head(rows), "n")}")
    Err(e) -> println("error: #{e}")
  end
  case Sqlite.query(db, "SELECT count(*) AS n FROM t WHERE s = ?", ["nothing' OR '1'='1"]) do
    Ok(rows) -> println("injected condition: #{Map.get(List.head(rows), "n")}")
    Err(e) -> println("error: #{e}")
  end
  case Sqlite.execute(db, "INSERT INTO t (s) VALUES (?)", ["before\0after"]) do
    Ok(n) -> println("unexpected #{n}")
    Err(e) -> println("nul: #{e}")
  end
  case Sqlite.query(db, "SELECT count(*) AS n FROM t", []) do
    Ok(rows) -> println("count after refused insert: #{Map.get(List.head(rows), "n")}")
    Err(e) -> println("error: #{e}")
  end
  let _ = Sqlite.execute(db, "INSERT INTO t (s, n, r) VALUES (?, ?, ?)", ["affinity", "42", "2.5"])
  let _ = Sqlite.execute(db, "INSERT INTO t (s, n, r) VALUES (?, ?, ?)", ["not a number", "abc", "-0.125"])
  case Sqlite.query(db, "SELECT s, n, typeof(n) AS tn, r, typeof(r) AS tr, n + 1 AS m FROM t WHERE n IS NOT NULL ORDER BY id", []) do
    Ok(rows) -> do
      for r in rows do println("#{r}") end
      ()
    end
    Err(e) -> println("error: #{e}")
  end
  Sqlite.close(db)
end
