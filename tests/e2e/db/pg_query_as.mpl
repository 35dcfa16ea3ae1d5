# spec: stdlib §23 — Pg.query_as / Pool.query_as map each row with `from_row` in the calling
# process and keep each row's result; a query error is the outer Err.
# test: database=postgres
struct User do
  name :: String
  age :: Int
end

fn user(row :: Map<String, String>) -> User ! String do
  case String.to_int(Map.get(row, "age")) do
    Some(age) -> Ok(User { name: Map.get(row, "name"), age: age })
    None -> Err("bad age for #{Map.get(row, "name")}")
  end
end

fn show(rs :: List<User ! String> ! String) -> () do
  case rs do
    Ok(list) -> List.each(list, fn(r) do
      case r do
        Ok(u) -> println("  #{u.name} is #{u.age}")
        Err(e) -> println("  Err(#{e})")
      end
    end)
    Err(e) -> println("  query Err(#{List.head(String.split(e, "\t"))})")
  end
end

fn main() do
  let url = Env.get("DATABASE_URL", "")
  let pool = case Pool.open(url, 1, 2, 5000) do
    Ok(p) -> p
    Err(e) -> panic("open: #{e}")
  end
  let _ = Pool.execute(pool, "CREATE TABLE people (name text, age text)", [])
  let _ = Pool.execute(pool, "INSERT INTO people VALUES ('ann', '31'), ('bob', 'old'), ('cy', NULL)", [])
  println("pool:")
  show(Pool.query_as(pool, "SELECT name, age FROM people ORDER BY name", [], user))
  show(Pool.query_as(pool, "SELECT nope FROM people", [], user))
  let conn = case Pool.checkout(pool) do
    Ok(c) -> c
    Err(e) -> panic("checkout: #{e}")
  end
  println("conn:")
  show(Pg.query_as(conn, "SELECT name, age FROM people WHERE name = $1", ["ann"], user))
  Pool.checkin(pool, conn)
end
