# spec: stdlib §11.1 — Json.parse gives a Json value (members sorted by key, last duplicate
# wins, compact) or the parser's message with position; Json values embed in json { } without
# re-encoding and coerce to String. get_nested reads two levels; encode_map / encode_list
# encode string collections. JSON is the legacy name of the same functions.
fn show(r :: Json ! String) -> String do
  case r do
    Ok(j) -> "Ok(#{j})"
    Err(e) -> "Err(#{e})"
  end
end

fn main() do
  println(show(Json.parse(" {\"b\": [1, 2.0, -3e2, true, null], \"a\": {\"y\": \"\\u00e9\\n\", \"x\": 1}} ")))
  println(show(Json.parse("{\"k\": 1, \"k\": 2}")))
  println(show(Json.parse("\"héllo 👋\"")))
  println(show(Json.parse("18446744073709551615")))
  println(show(Json.parse("[]")))
  println(show(Json.parse("")))
  println(show(Json.parse("nope")))
  println(show(Json.parse("{\"a\": 1,}")))
  println(show(Json.parse("[1, 2")))
  println(show(Json.parse("{} extra")))
  case Json.parse("{\"items\": [1, 2]}") do
    Ok(doc) -> do
      println(json { doc: doc, n: 1 })
      println("as string: " <> doc)
      println(Json.encode(doc))
      println(Json.get(doc, "items"))
    end
    Err(e) -> println(e)
  end
  let text = "{\"user\": {\"name\": \"Ann\", \"age\": 31, \"tags\": [\"a\"], \"none\": null}, \"n\": 1}"
  println(Json.get_nested(text, "user", "name"))
  println(Json.get_nested(text, "user", "age"))
  println(Json.get_nested(text, "user", "tags"))
  println("[#{Json.get_nested(text, "user", "none")}]")
  println("[#{Json.get_nested(text, "user", "missing")}]")
  println("[#{Json.get_nested(text, "n", "name")}]")
  println("[#{Json.get_nested("not json", "a", "b")}]")
  println(Json.encode_map(%{"b" => "2", "a" => "say \"hi\"", "é" => "ü"}))
  println(Json.encode_map(Map.new()))
  println(Json.encode_list(["x", "line\nbreak", ""]))
  println(Json.encode_list([]))
  println(show(JSON.parse("[true]")))
  println(json_encode_list(["flat"]))
end
