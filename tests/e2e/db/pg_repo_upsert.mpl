# spec: stdlib §26 — Repo.insert_or_update and Repo.insert_or_update_expr against a real
# server: a first call inserts, a conflicting one updates only the listed columns (plain
# EXCLUDED values, or expressions over the existing row), injection attempts stay data, and
# the empty-argument errors are the spec's sentences with the function's prefix.
# test: database=postgres timeout=30
fn show_row(r :: Map<String, String> ! String) -> String do
  case r do
    Ok(row) -> "#{Map.get(row, "sku")} qty=#{Map.get(row, "qty")} name=#{Map.get(row, "name")} hits=#{Map.get(row, "hits")}"
    Err(e) -> "Err(#{String.replace(e, "\t", "|")})"
  end
end

fn main() do
  let pool = case Pool.open(Env.get("DATABASE_URL", ""), 1, 2, 5000) do
    Ok(p) -> p
    Err(e) -> panic("open: #{e}")
  end
  let _ = Pool.execute(pool, "CREATE TABLE items (sku text PRIMARY KEY, name text NOT NULL, qty int NOT NULL, hits int NOT NULL DEFAULT 1)", [])
  println("insert: #{show_row(Repo.insert_or_update(pool, "items", %{"sku" => "a1", "name" => "apple", "qty" => "3"}, ["sku"], ["qty"]))}")
  # A conflict: qty takes the new value, name keeps the stored one (not in the update list).
  println("update: #{show_row(Repo.insert_or_update(pool, "items", %{"sku" => "a1", "name" => "ignored", "qty" => "5"}, ["sku"], ["qty"]))}")
  # Expressions over the stored row and EXCLUDED: hits counts the upserts, qty adds up.
  let bump = %{"hits" => Expr.add(Expr.column("items.hits"), Expr.value("1")), "qty" => Expr.add(Expr.column("items.qty"), Expr.excluded("qty"))}
  println("expr insert: #{show_row(Repo.insert_or_update_expr(pool, "items", %{"sku" => "b2", "name" => "pear", "qty" => "2"}, ["sku"], bump))}")
  println("expr update: #{show_row(Repo.insert_or_update_expr(pool, "items", %{"sku" => "b2", "name" => "pear", "qty" => "10"}, ["sku"], bump))}")
  println("expr update: #{show_row(Repo.insert_or_update_expr(pool, "items", %{"sku" => "b2", "name" => "pear", "qty" => "1"}, ["sku"], bump))}")
  let evil = "x'); DROP TABLE items; --"
  println("injection: #{show_row(Repo.insert_or_update_expr(pool, "items", %{"sku" => evil, "name" => evil, "qty" => "1"}, ["sku"], %{"name" => Expr.value(evil)}))}")
  println("empty fields: #{show_row(Repo.insert_or_update_expr(pool, "items", %{}, ["sku"], bump))}")
  println("empty conflict: #{show_row(Repo.insert_or_update_expr(pool, "items", %{"sku" => "c"}, [], bump))}")
  println("empty update: #{show_row(Repo.insert_or_update_expr(pool, "items", %{"sku" => "c"}, ["sku"], %{}))}")
  println("plain empty update: #{show_row(Repo.insert_or_update(pool, "items", %{"sku" => "c"}, ["sku"], []))}")
  println("server error: #{show_row(Repo.insert_or_update_expr(pool, "items", %{"sku" => "d"}, ["sku"], bump))}")
  case Pool.query(pool, "SELECT sku, qty::text AS qty, hits::text AS hits FROM items ORDER BY sku", []) do
    Ok(rows) -> List.each(rows, fn(r) -> println("row #{Map.get(r, "sku")} #{Map.get(r, "qty")} #{Map.get(r, "hits")}") end)
    Err(e) -> println("rows: #{e}")
  end
end
