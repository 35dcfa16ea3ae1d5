# spec: stdlib §21 — a SqliteConn is a plain value shared between processes and each call is
# atomic with respect to other callers: 50 processes insert 10 rows each through one
# connection (reading their own row back), and no row is lost or duplicated. A handle stored
# in service state works the same way.
fn worker(db :: SqliteConn, w :: Int) -> Int do
  let results = for i in 0..10 do
    let key = "w#{w}-#{i}"
    case Sqlite.execute(db, "INSERT INTO log (key, worker) VALUES (?, ?)", [key, "#{w}"]) do
      Ok(n) -> case Sqlite.query(db, "SELECT worker FROM log WHERE key = ?", [key]) do
        Ok(rows) -> if n == 1 && List.length(rows) == 1 do 1 else 0 end
        Err(_) -> 0
      end
      Err(_) -> 0
    end
  end
  List.reduce(results, 0, fn a, b -> a + b end)
end

fn first_value(db :: SqliteConn, sql :: String) -> String do
  case Sqlite.query(db, sql, []) do
    Ok(rows) -> Map.get(List.head(rows), "v")
    Err(e) -> "error: #{e}"
  end
end

service Store do
  fn init(db :: SqliteConn) -> SqliteConn do
    db
  end

  call Add(key :: String) :: Int do |db|
    case Sqlite.execute(db, "INSERT INTO log (key, worker) VALUES (?, ?)", [key, "-1"]) do
      Ok(n) -> (db, n)
      Err(_) -> (db, 0)
    end
  end
end

fn main() do
  let db = case Sqlite.open(":memory:") do
    Ok(db) -> db
    Err(e) -> panic("open failed: #{e}")
  end
  let _ = Sqlite.execute(db, "CREATE TABLE log (id INTEGER PRIMARY KEY, key TEXT UNIQUE, worker INTEGER)", [])
  let jobs = for w in 0..50 do
    Job.async(fn -> worker(db, w) end)
  end
  let done = for j in jobs do
    case Job.await(j) do
      Ok(n) -> n
      Err(_) -> 0
    end
  end
  println("confirmed by workers: #{List.reduce(done, 0, fn a, b -> a + b end)}")
  println("rows: #{first_value(db, "SELECT count(*) AS v FROM log")}")
  println("distinct keys: #{first_value(db, "SELECT count(DISTINCT key) AS v FROM log")}")
  println("distinct ids: #{first_value(db, "SELECT count(DISTINCT id) AS v FROM log")}")
  println("per worker: #{first_value(db, "SELECT group_concat(c) AS v FROM (SELECT DISTINCT count(*) AS c FROM log GROUP BY worker)")}")
  let store = Store.start(db)
  let added = Store.add(store, "svc-1") + Store.add(store, "svc-2")
  println("service inserts: #{added} rows: #{first_value(db, "SELECT count(*) AS v FROM log")}")
  Sqlite.close(db)
end
