# Json.encode of derived structs and sum types, json { } literals (sorted keys, Option as
# null or the value, nested Json not re-encoded), Json → String coercion, Json.get, JSON.encode_*.
struct Todo do
  title :: String
  id :: Int
  completed :: Bool
  note :: String?
  score :: Float
end deriving(Json)

type Shape do
  Dot
  Circle(Float)
end deriving(Json)

fn main() do
  let t = Todo { id: 1, title: "say \"hi\"", completed: false, note: None, score: 2.0 }
  println(Json.encode(t))
  let body = json { status: "ok", count: 2, item: t, shape: Circle(1.5), dot: Dot, nothing: None, value: Some("a\"b") }
  println(body)
  println("prefix " <> json { a: 1 })
  println(Json.get(Json.encode(t), "title"))
  println(JSON.encode_string("x\ny") <> JSON.encode_int(5) <> JSON.encode_bool(true))
  println(json { value: Some("a\"b") })
end
