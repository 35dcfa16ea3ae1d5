# spec: stdlib §24–§26 — Query/Expr builders rendered by Repo against a real server: select
# lists, where forms, order/limit/offset, Expr trees with Pg casts, Repo writes with plain and
# expression values, and their error sentences.
# test: database=postgres timeout=30
fn show_rows(r :: List<Map<String, String>> ! String) -> () do
  case r do
    Ok(rows) -> List.each(rows, fn(row) -> println("  #{row}") end)
    Err(e) -> println("  Err(#{String.replace(e, "\t", "|")})")
  end
end

fn show_row(r :: Map<String, String> ! String) -> String do
  case r do
    Ok(row) -> "#{row}"
    Err(e) -> "Err(#{String.replace(e, "\t", "|")})"
  end
end

fn show_int(r :: Int ! String) -> String do
  case r do
    Ok(n) -> "Ok(#{n})"
    Err(e) -> "Err(#{e})"
  end
end

fn main() do
  let pool = case Pool.open(Env.get("DATABASE_URL", ""), 1, 4, 5000) do
    Ok(p) -> p
    Err(e) -> panic("open: #{e}")
  end
  let _ = Repo.execute_raw(pool, "CREATE TABLE todos (id serial PRIMARY KEY, title text NOT NULL, done boolean NOT NULL DEFAULT false, rank int NOT NULL DEFAULT 0, note text)", [])
  for t in ["write", "test", "ship", "rest"] do
    let _ = Repo.insert(pool, "todos", %{"title" => t, "rank" => "#{String.length(t)}"})
  end
  println("insert_expr: #{show_row(Repo.insert_expr(pool, "todos", %{"title" => Expr.value("plan"), "rank" => Pg.int(Expr.value("7")), "note" => Expr.null()}))}")
  println("all ordered, limited:")
  show_rows(Repo.all(pool, Query.from("todos") |> Query.select(["id", "title"]) |> Query.order_by(:rank, :desc) |> Query.order_by(:title, :asc) |> Query.limit(3) |> Query.offset(1)))
  println("where / where_op / where_in / where_between:")
  show_rows(Repo.all(pool, Query.from("todos") |> Query.select(["title"]) |> Query.where(:title, "ship")))
  show_rows(Repo.all(pool, Query.from("todos") |> Query.select(["title"]) |> Query.where_op(:rank, :gt, "4") |> Query.order_by(:id, :asc)))
  show_rows(Repo.all(pool, Query.from("todos") |> Query.select(["title"]) |> Query.where_in(:title, ["rest", "test"]) |> Query.order_by(:title, :asc)))
  show_rows(Repo.all(pool, Query.from("todos") |> Query.select(["title"]) |> Query.where_between(:rank, "4", "5") |> Query.where_not_null(:title) |> Query.where_null(:note) |> Query.order_by(:id, :asc)))
  println("where_expr / select_exprs / where_raw / where_or:")
  let q = Query.from("todos") |> Query.select_exprs([Expr.label(Pg.text(Expr.column("todos.id")), "key"), Expr.label(Expr.fn_call("upper", [Expr.column("title")]), "loud")]) |> Query.where_expr(Expr.eq(Expr.column("title"), Expr.value("write")))
  show_rows(Repo.all(pool, q))
  show_rows(Repo.all(pool, Query.from("todos") |> Query.select_raw(["title"]) |> Query.where_raw("rank = ? OR title = ?", ["4", "plan"]) |> Query.order_by(:id, :asc)))
  show_rows(Repo.all(pool, Query.from("todos") |> Query.select(["title"]) |> Query.where_or([:title, :title], ["ship", "rest"]) |> Query.order_by(:id, :asc)))
  println("aggregates:")
  show_rows(Repo.all(pool, Query.from("todos") |> Query.select_raw(["done"]) |> Query.select_count() |> Query.select_sum(:rank) |> Query.group_by(:done) |> Query.having("count(*) >", "1")))
  println("count: #{show_int(Repo.count(pool, Query.from("todos") |> Query.where_op(:rank, :lte, "4")))}")
  case Repo.exists(pool, Query.from("todos") |> Query.where(:title, "nope")) do
    Ok(b) -> println("exists nope: #{b}")
    Err(e) -> println("exists: #{e}")
  end
  println("one: #{show_row(Repo.one(pool, Query.from("todos") |> Query.select(["title"]) |> Query.where(:title, "nope")))}")
  println("get_by: #{show_row(Repo.get_by(pool, "todos", "title", "rest"))}")
  println("update_where: #{show_row(Repo.update_where(pool, "todos", %{"done" => "true"}, Query.from("todos") |> Query.where(:title, "ship")))}")
  println("update_where_expr: #{show_row(Repo.update_where_expr(pool, "todos", %{"rank" => Expr.add(Expr.column("rank"), Expr.value("10"))}, Query.from("todos") |> Query.where(:title, "ship")))}")
  println("update_where none: #{show_row(Repo.update_where(pool, "todos", %{"done" => "true"}, Query.from("todos") |> Query.where(:title, "nope")))}")
  println("update_where no where: #{show_row(Repo.update_where(pool, "todos", %{"done" => "true"}, Query.from("todos")))}")
  println("insert empty: #{show_row(Repo.insert(pool, "todos", %{}))}")
  println("insert server error: #{show_row(Repo.insert(pool, "todos", %{"rank" => "1"}))}")
  println("delete_where: #{show_int(Repo.delete_where(pool, "todos", Query.from("todos") |> Query.where_op(:rank, :gte, "7")))}")
  println("delete_where none: #{show_int(Repo.delete_where(pool, "todos", Query.from("todos") |> Query.where(:title, "nope")))}")
  println("delete_where no where: #{show_int(Repo.delete_where(pool, "todos", Query.from("todos")))}")
  println("query_raw:")
  show_rows(Repo.query_raw(pool, "UPDATE todos SET note = $1 WHERE title = $2 RETURNING title, note", ["later", "rest"]))
  println("left:")
  show_rows(Repo.all(pool, Query.from("todos") |> Query.select(["title", "done", "rank", "note"]) |> Query.order_by(:id, :asc)))
end
