# spec: stdlib §21–§22 — Sqlite.open(":memory:"), execute with `?` parameters (the number of
# rows changed, 0 for DDL), query returning rows as Map<String, String> in select order
# (integers and reals as decimal text, NULL as "", aliases as keys, a later column of the same
# name wins), RETURNING, `:name` and `?NNN` placeholders, extra parameters ignored.
fn show(rows :: List<Map<String, String>>) -> () do
  for row in rows do
    println("#{row}")
  end
  ()
end

fn run(db :: SqliteConn) -> () ! String do
  let ddl = Sqlite.execute(db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, score REAL, body TEXT)", [])?
  println("ddl changed #{ddl}")
  let one = Sqlite.execute(db, "INSERT INTO notes (title, score) VALUES (?, ?)", ["first", "1.5"])?
  println("insert changed #{one}")
  let _ = Sqlite.execute(db, "INSERT INTO notes (title, score, body) VALUES (?, ?, ?)", ["second", "2", "text"])?
  let _ = Sqlite.execute(db, "INSERT INTO notes (title, score) VALUES (:title, :score)", ["third", "0.25"])?
  let _ = Sqlite.execute(db, "INSERT INTO notes (title, score) VALUES (?2, ?1)", ["7", "fourth"])?
  show(Sqlite.query(db, "SELECT id, title, score, body FROM notes ORDER BY id", [])?)
  let updated = Sqlite.execute(db, "UPDATE notes SET body = ? WHERE score > ?", ["big", "1", "ignored"])?
  println("update changed #{updated}")
  let selected = Sqlite.execute(db, "SELECT * FROM notes", [])?
  println("select changed #{selected}")
  let rows = Sqlite.query(db, "SELECT title AS t, count(*) AS n, 1 AS x, 2 AS x FROM notes WHERE id = ?", ["2"])?
  show(rows)
  let row = List.head(rows)
  println("t=#{Map.get(row, "t")} missing=[#{Map.get(row, "nope")}]")
  show(Sqlite.query(db, "INSERT INTO notes (title) VALUES (?) RETURNING id, title, body", ["fifth"])?)
  show(Sqlite.query(db, "WITH RECURSIVE c(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM c WHERE k < 3) SELECT k, k * 1.0 AS f, k / 2.0 AS h FROM c", [])?)
  println("empty: #{Sqlite.query(db, "SELECT * FROM notes WHERE id < 0", [])?}")
  Ok(())
end

fn main() do
  case Sqlite.open(":memory:") do
    Ok(db) -> do
      println("#{run(db)}")
      Sqlite.close(db)
    end
    Err(e) -> println("open failed: #{e}")
  end
end
