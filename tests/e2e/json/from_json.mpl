# T.from_json for deriving(Json) structs and sum types (stdlib spec §11.4): round trips,
# Option fields absent or null, Int from a float (truncated), Float from an integer, lists,
# maps, nested structs and sums, a generic struct, extra members ignored, and every error text.
struct Inner do
  label :: String
  weight :: Float
end deriving(Json, Display, Eq)

type Shape do
  Dot
  Circle(Float)
  Rect(w :: Float, h :: Float)
end deriving(Json, Display, Eq)

struct Todo do
  id :: Int
  title :: String
  done :: Bool
  note :: String?
  tags :: List<String>
  counts :: Map<String, Int>
  inner :: Inner
  shape :: Shape
end deriving(Json, Eq)

struct Box<T> do
  value :: T
end deriving(Json, Eq)

fn show(r :: Todo ! String) -> String do
  case r do
    Ok(t) -> "ok #{t.id} #{t.title} #{t.done} #{t.note} #{t.tags} #{t.counts} #{t.inner} #{t.shape}"
    Err(e) -> "error: #{e}"
  end
end

fn shape(text :: String) -> String do
  case Shape.from_json(text) do
    Ok(s) -> "shape #{s}"
    Err(e) -> "error: #{e}"
  end
end

fn main() do
  let t = Todo { id: 7, title: "write \"docs\"", done: false, note: Some("soon"), tags: ["a", "b"], counts: %{"x" => 1}, inner: Inner { label: "in", weight: 2.5 }, shape: Rect(1.0, 2.0) }
  let text = Json.encode(t)
  println(show(Todo.from_json(text)))
  let back = Todo.from_json(text)
  println("round trip equal: #{back == Ok(t)}")
  println(show(Todo.from_json("{\"id\": 3.9, \"title\": \"t\", \"done\": true, \"tags\": [], \"counts\": {}, \"inner\": {\"label\": \"l\", \"weight\": 4}, \"shape\": {\"tag\": \"Dot\", \"fields\": []}, \"extra\": [1, 2]}")))
  println(show(Todo.from_json("{\"id\": -2.7, \"title\": \"t\", \"done\": true, \"note\": null, \"tags\": [\"z\"], \"counts\": {\"k\": 2}, \"inner\": {\"label\": \"l\", \"weight\": 4.5}, \"shape\": {\"tag\": \"Circle\", \"fields\": [3]}}")))
  println(show(Todo.from_json("not json")))
  println(show(Todo.from_json("[1, 2]")))
  println(show(Todo.from_json("{\"title\": \"t\"}")))
  println(show(Todo.from_json("{\"id\": \"7\"}")))
  println(show(Todo.from_json("{\"id\": 1, \"title\": 5}")))
  println(show(Todo.from_json("{\"id\": 1, \"title\": \"t\", \"done\": \"yes\"}")))
  println(show(Todo.from_json("{\"id\": 1, \"title\": \"t\", \"done\": true, \"tags\": \"a\"}")))
  println(show(Todo.from_json("{\"id\": 1, \"title\": \"t\", \"done\": true, \"tags\": [\"a\", 2, true]}")))
  println(show(Todo.from_json("{\"id\": 1, \"title\": \"t\", \"done\": true, \"tags\": [], \"counts\": []}")))
  println(show(Todo.from_json("{\"id\": 1, \"title\": \"t\", \"done\": true, \"tags\": [], \"counts\": {}, \"inner\": {\"label\": \"l\", \"weight\": \"w\"}}")))
  println(show(Todo.from_json("{\"id\": 1, \"title\": \"t\", \"done\": true, \"tags\": [], \"counts\": {}, \"inner\": {\"label\": \"l\", \"weight\": 1}, \"shape\": {\"tag\": \"Hexagon\", \"fields\": []}}")))
  println(show(Todo.from_json("{\"id\": 1, \"title\": \"t\", \"done\": true, \"note\": 3, \"tags\": [], \"counts\": {}, \"inner\": {\"label\": \"l\", \"weight\": 1}, \"shape\": {\"tag\": \"Dot\"}}")))
  println(shape("{\"tag\": \"Dot\"}"))
  println(shape("{\"fields\": [2.0, 3.0], \"tag\": \"Rect\"}"))
  println(shape("{\"tag\": \"Rect\", \"fields\": [2.0]}"))
  println(shape("\"Dot\""))
  case Box.from_json("{\"value\": [1, 2, 3]}") do
    Ok(b) -> println("box #{List.length(b.value)} #{List.head(b.value) + 1}")
    Err(e) -> println(e)
  end
  let decode = Inner.from_json
  println("#{List.map(["{\"label\": \"a\", \"weight\": 1}", "{}"], fn s -> case decode(s) do
    Ok(i) -> "#{i}"
    Err(e) -> e
  end end)}")
end
