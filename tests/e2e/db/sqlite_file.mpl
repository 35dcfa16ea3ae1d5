# spec: stdlib §22 — Sqlite.open creates a missing file and opens it read-write; data written
# before close is there after reopening; two `:memory:` databases are private to their
# connections; methods on a SqliteConn are the Sqlite functions (`db.query(…)`).
fn count(db :: SqliteConn, table :: String) -> String do
  case db.query("SELECT count(*) AS n FROM #{table}", []) do
    Ok(rows) -> Map.get(List.head(rows), "n")
    Err(e) -> "error: #{e}"
  end
end

fn main() do
  let path = Env.get("TMPDIR", "/tmp") <> "/mesh_e2e_db_sqlite_file.db"
  let _ = File.delete(path)
  println("exists before: #{File.exists(path)}")
  case Sqlite.open(path) do
    Ok(db) -> do
      let _ = db.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)", [])
      let _ = db.execute("INSERT INTO kv VALUES (?, ?), (?, ?)", ["a", "1", "b", "2"])
      db.close()
    end
    Err(e) -> println("open failed: #{e}")
  end
  println("exists after: #{File.exists(path)}")
  case Sqlite.open(path) do
    Ok(db) -> do
      println("rows after reopen: #{count(db, "kv")}")
      println("#{db.query("SELECT k, v FROM kv ORDER BY k", [])}")
      db.close()
    end
    Err(e) -> println("reopen failed: #{e}")
  end
  let _ = File.delete(path)
  case (Sqlite.open(":memory:"), Sqlite.open(":memory:")) do
    (Ok(one), Ok(two)) -> do
      let _ = one.execute("CREATE TABLE only_here (x)", [])
      println("first sees it: #{count(one, "only_here")}")
      println("second does not: #{count(two, "only_here")}")
      one.close()
      two.close()
    end
    _ -> println("open failed")
  end
end
