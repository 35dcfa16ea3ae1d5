# expect: E0006 at 8:8 (Point does not implement Row)
# Only structs deriving Row have T.from_row (stdlib §28.1).
struct Point do
  x :: Int
end deriving(Json)

fn main() do
  case Point.from_row(%{"x" => "1"}) do
    Ok(p) -> println("#{p.x}")
    Err(e) -> println(e)
  end
end
