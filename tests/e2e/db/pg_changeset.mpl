# spec: stdlib §26 (Repo.insert_changeset, update_changeset, preload) with §28.2–§28.3 against
# a real server: an invalid changeset comes back without a statement (even on a closed pool),
# unique / foreign-key / not-null / check violations become field errors, updates by id, and
# preloading belongs_to / has_one / has_many associations described by deriving(Schema).
# test: database=postgres timeout=30
struct Org do
  has_many :members, Member
  id :: Int
  name :: String
end deriving(Schema)

struct Member do
  belongs_to :org, Org
  has_one :badge, Badge
  id :: Int
  email :: String
  age :: Option<Int>
end deriving(Schema)

struct Badge do
  id :: Int
  member_id :: Int
  label :: String
end deriving(Schema)

fn show(r :: Map<String, String> ! Changeset) -> String do
  case r do
    Ok(row) -> "Ok(id=#{Map.get(row, "id")} email=#{Map.get(row, "email")} age=#{Map.get(row, "age")} org_id=#{Map.get(row, "org_id")})"
    Err(cs) -> "Err(valid=#{Changeset.valid(cs)} errors=#{Changeset.errors(cs)} changes=#{Changeset.changes(cs)})"
  end
end

fn member(params :: Map<String, String>) -> Changeset do
  Changeset.cast_with_types(%{}, params, [:email, :age, :org_id], Member.__field_types__())
  |> Changeset.validate_required([:email])
  |> Changeset.validate_format(:email, "@")
end

fn show_rows(r :: List<Map<String, String>> ! String, keys :: List<String>) -> () do
  case r do
    Ok(rows) -> List.each(rows, fn(row) -> println("  #{String.join(List.map(keys, fn(k) -> "#{k}=#{Map.get(row, k)}" end), " ")}") end)
    Err(e) -> println("  Err(#{e})")
  end
end

fn main() do
  let url = Env.get("DATABASE_URL", "")
  let pool = case Pool.open(url, 1, 2, 5000) do
    Ok(p) -> p
    Err(e) -> panic("open: #{e}")
  end
  let _ = Repo.execute_raw(pool, "CREATE TABLE orgs (id serial PRIMARY KEY, name text NOT NULL)", [])
  let _ = Repo.execute_raw(pool, "CREATE TABLE members (id serial PRIMARY KEY, email text NOT NULL UNIQUE, age bigint CHECK (age >= 0), org_id int REFERENCES orgs(id))", [])
  let _ = Repo.execute_raw(pool, "CREATE TABLE badges (id serial PRIMARY KEY, member_id int NOT NULL, label text NOT NULL)", [])
  let _ = Repo.insert(pool, Org.__table__(), %{"name" => "Acme"})
  let _ = Repo.insert(pool, Org.__table__(), %{"name" => "Empty"})
  let table = Member.__table__()
  println("invalid: #{show(Repo.insert_changeset(pool, table, member(%{"email" => "nope", "age" => "x"})))}")
  let closed = case Pool.open(url, 1, 1, 5000) do
    Ok(p) -> p
    Err(e) -> panic("open: #{e}")
  end
  Pool.close(closed)
  println("invalid, closed pool: #{show(Repo.insert_changeset(closed, table, member(%{"age" => "3"})))}")
  println("valid, closed pool: #{show(Repo.insert_changeset(closed, table, member(%{"email" => "a@x"})))}")
  case Repo.count(pool, Query.from(table)) do
    Ok(n) -> println("rows after refused inserts: #{n}")
    Err(e) -> println("count: #{e}")
  end
  println("insert: #{show(Repo.insert_changeset(pool, table, member(%{"email" => "ann@x", "age" => "30", "org_id" => "1"})))}")
  println("insert: #{show(Repo.insert_changeset(pool, table, member(%{"email" => "bo@x", "org_id" => "1"})))}")
  println("insert: #{show(Repo.insert_changeset(pool, table, member(%{"email" => "cy@x", "age" => "5"})))}")
  println("unique: #{show(Repo.insert_changeset(pool, table, member(%{"email" => "ann@x"})))}")
  println("foreign key: #{show(Repo.insert_changeset(pool, table, member(%{"email" => "dee@x", "org_id" => "999"})))}")
  println("not null: #{show(Repo.insert_changeset(pool, table, Changeset.cast(%{}, %{"age" => "4"}, [:age])))}")
  println("check: #{show(Repo.insert_changeset(pool, table, member(%{"email" => "eve@x", "age" => "-1"})))}")
  println("server error: #{show(Repo.insert_changeset(pool, "no_such_table", member(%{"email" => "f@x"})))}")
  println("defaults: #{show(Repo.insert_changeset(pool, Badge.__table__(), Changeset.cast(%{}, %{}, [])))}")
  let _ = Repo.insert(pool, Badge.__table__(), %{"member_id" => "2", "label" => "gold"})
  let _ = Repo.insert(pool, Badge.__table__(), %{"member_id" => "3", "label" => "silver"})
  println("update: #{show(Repo.update_changeset(pool, table, "3", member(%{"email" => "cy@y", "age" => "6", "org_id" => "2"})))}")
  println("update unique: #{show(Repo.update_changeset(pool, table, "3", member(%{"email" => "bo@x"})))}")
  println("update missing id: #{show(Repo.update_changeset(pool, table, "99", member(%{"email" => "z@x"})))}")
  println("update no changes: #{show(Repo.update_changeset(pool, table, "1", Changeset.cast(%{}, %{"admin" => "t"}, [:email])))}")
  println("update invalid: #{show(Repo.update_changeset(pool, table, "1", member(%{"email" => "x"})))}")
  let members = case Repo.all(pool, Query.from(table) |> Query.order_by(:id, :asc)) do
    Ok(rows) -> rows
    Err(e) -> panic("all: #{e}")
  end
  println("preload members org, badge:")
  show_rows(Repo.preload(pool, members, ["org", "badge"], Member.__relationships__()), ["email", "org", "badge"])
  let orgs = case Repo.all(pool, Query.from(Org.__table__()) |> Query.order_by(:id, :asc)) do
    Ok(rows) -> rows
    Err(e) -> panic("all: #{e}")
  end
  println("preload orgs members:")
  show_rows(Repo.preload(pool, orgs, ["members"], Org.__relationships__()), ["name", "members"])
  println("preload nothing:")
  show_rows(Repo.preload(pool, [], ["org"], Member.__relationships__()), ["email"])
  println("unknown association:")
  show_rows(Repo.preload(pool, members, ["team"], Member.__relationships__()), ["email"])
end
