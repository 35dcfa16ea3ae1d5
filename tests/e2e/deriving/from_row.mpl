# deriving(Row): T.from_row(Map<String, String>) -> T ! String by the rules of stdlib §28.1
# (trimmed Int/Float, Infinity, Bool words, Option from a missing or empty column, the
# first failing field in declaration order).
struct Todo do
  id :: Int
  title :: String
  done :: Bool
  score :: Float
  note :: Option<String>
  due :: Option<Int>
end deriving(Row, Debug)

fn show(r :: Result<Todo, String>) -> String do
  case r do
    Ok(t) -> "ok #{t.id} #{t.title} #{t.done} #{t.score} #{t.note.inspect()} #{t.due.inspect()}"
    Err(e) -> "err #{e}"
  end
end

fn main() do
  let row = %{"id" => " 7 ", "title" => "buy milk", "done" => "1", "score" => "2.5", "note" => "", "due" => "12"}
  println(show(Todo.from_row(row)))
  println(show(Todo.from_row(Map.put(Map.put(Map.put(row, "done", "YES"), "score", "-Infinity"), "note", "later"))))
  println(show(Todo.from_row(Map.delete(row, "due"))))
  println(show(Todo.from_row(Map.delete(row, "title"))))
  println(show(Todo.from_row(Map.put(row, "id", "x1"))))
  println(show(Todo.from_row(Map.put(row, "done", "maybe"))))
  println(show(Todo.from_row(Map.put(row, "score", "fast"))))
  println(show(Todo.from_row(Map.put(row, "due", "soon"))))
end
