# spec: stdlib §24–§26 — values given to every builder function are bind parameters and
# identifiers are quoted: SQL in them stays data (the table survives, the text round-trips).
# test: database=postgres timeout=30
fn count(pool :: PoolHandle) -> String do
  case Repo.count(pool, Query.from("victims")) do
    Ok(n) -> "#{n}"
    Err(e) -> "Err(#{e})"
  end
end

fn n(r :: List<Map<String, String>> ! String) -> String do
  case r do
    Ok(rows) -> "#{List.length(rows)} rows"
    Err(e) -> "Err(#{List.head(String.split(e, "\t"))})"
  end
end

fn one(r :: Map<String, String> ! String) -> String do
  case r do
    Ok(row) -> "found #{Map.get(row, "name")}"
    Err(e) -> "Err(#{List.head(String.split(e, "\t"))})"
  end
end

fn main() do
  let pool = case Pool.open(Env.get("DATABASE_URL", ""), 1, 2, 5000) do
    Ok(p) -> p
    Err(e) -> panic("open: #{e}")
  end
  let _ = Repo.execute_raw(pool, "CREATE TABLE victims (id serial PRIMARY KEY, name text NOT NULL, kind text)", [])
  let evil = "x'); DROP TABLE victims; --"
  let quote = "Robert'); DELETE FROM victims WHERE ('1' = '1"
  let dollar = "$1; DROP TABLE victims"
  let q = "? OR 1=1 --"
  for v in [evil, quote, dollar, q] do
    let _ = Repo.insert(pool, "victims", %{"name" => v, "kind" => v})
  end
  let _ = Repo.insert_expr(pool, "victims", %{"name" => Expr.value(evil), "kind" => Pg.text(Expr.value(quote))})
  println("after inserts: #{count(pool)}")
  let base = Query.from("victims") |> Query.select(["name"])
  println("where: #{n(Repo.all(pool, base |> Query.where(:name, evil)))}")
  println("where_op: #{n(Repo.all(pool, base |> Query.where_op(:name, :like, "%' OR '1'='1")))}")
  println("where_in: #{n(Repo.all(pool, base |> Query.where_in(:name, [evil, "' OR 1=1 --"])))}")
  println("where_not_in: #{n(Repo.all(pool, base |> Query.where_not_in(:name, [evil, quote, dollar, q])))}")
  println("where_between: #{n(Repo.all(pool, base |> Query.where_between(:name, "'", "' OR 1=1 --")))}")
  println("where_or: #{n(Repo.all(pool, base |> Query.where_or([:name, :kind], [dollar, "' OR ''='"])))}")
  println("where_raw: #{n(Repo.all(pool, base |> Query.where_raw("name = ?", [q])))}")
  println("where_expr: #{n(Repo.all(pool, base |> Query.where_expr(Expr.eq(Expr.column("kind"), Expr.value(quote)))))}")
  println("having: #{n(Repo.all(pool, Query.from("victims") |> Query.select_raw(["kind"]) |> Query.group_by(:kind) |> Query.having("count(*) >=", "1 OR 1=1")))}")
  println("fragment: #{n(Repo.all(pool, base |> Query.fragment("WHERE name = ?", [evil])))}")
  println("select_exprs: #{n(Repo.all(pool, Query.from("victims") |> Query.select_exprs([Expr.label(Expr.value(evil), "v")]) |> Query.limit(1)))}")
  println("get_by: #{one(Repo.get_by(pool, "victims", "name", dollar))}")
  println("identifier table: #{n(Repo.all(pool, Query.from("victims\"; DROP TABLE victims; --")))}")
  println("identifier column: #{n(Repo.all(pool, Query.from("victims") |> Query.select(["name\" FROM victims; DROP TABLE victims; --"])))}")
  println("identifier expr: #{n(Repo.all(pool, Query.from("victims") |> Query.where_expr(Expr.eq(Expr.column("name\" = name OR \"1"), Expr.value("x")))))}")
  println("identifier insert: #{one(Repo.insert(pool, "victims", %{"name\") VALUES ('x'); DROP TABLE victims; --" => "x"}))}")
  let _ = Repo.update_where(pool, "victims", %{"kind" => evil}, Query.from("victims") |> Query.where(:name, q))
  let _ = Repo.delete_where(pool, "victims", Query.from("victims") |> Query.where(:name, "' OR '1'='1"))
  println("after writes: #{count(pool)}")
  case Repo.all(pool, Query.from("victims") |> Query.select(["name", "kind"]) |> Query.order_by(:id, :asc)) do
    Ok(rows) -> List.each(rows, fn(r) -> println("  #{Map.get(r, "name")} | #{Map.get(r, "kind")}") end)
    Err(e) -> println("Err(#{e})")
  end
end
