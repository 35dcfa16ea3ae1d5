# Keyword arguments (spec §4.4): trailing `name: expr` arguments become one final
# Map<String, V> argument, also through pipes and for generic maps.
fn query(table :: String, opts :: Map<String, String>) -> String do
  let limit = Map.get(opts, "limit")
  "#{table} limit=#{limit} size=#{Map.size(opts)}"
end

fn total(opts) = List.reduce(Map.values(opts), 0, fn acc, v -> acc + v end)

fn main() do
  println(query("todos", limit: "5", order: "id"))
  println(query("users", limit: "1"))
  println("events" |> query(limit: "10"))
  println("#{total(a: 1, b: 2, c: 3)}")
  println(query("same", %{"limit" => "2"}))
end
