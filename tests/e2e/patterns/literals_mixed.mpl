# Int, String, Float and Bool literals mixed with wildcards across the columns of a tuple:
# literal rows and wildcard rows interleave, and the first matching row wins.
fn route(method, path, n) do
  case (method, path, n) do
    ("GET", "/", _) -> "home"
    (_, "/", 0) -> "root zero"
    ("GET", _, 1) -> "get one"
    ("POST", "/items", x) when x > 10 -> "many items"
    ("POST", "/items", 2 | 3) -> "few items"
    (_, "/items", -1) -> "no items"
    ("GET", p, _) -> "get #{p}"
    (m, _, 7) -> "lucky #{m}"
    _ -> "not found"
  end
end

fn scale(x) do
  case x do
    0.0 -> "zero"
    1.5 -> "one and a half"
    _ -> "other"
  end
end

fn flags(a, b) do
  case (a, b) do
    (true, true) -> "both"
    (false, false) -> "neither"
    (true, _) -> "first"
    _ -> "second"
  end
end

fn code(n) do
  case n do
    200 -> "ok"
    201 | 202 -> "accepted"
    301 -> "moved"
    404 -> "not found"
    500 -> "error"
    -1 -> "unknown"
    _ -> "other #{n}"
  end
end

fn main() do
  println(route("GET", "/", 5))
  println(route("PUT", "/", 0))
  println(route("GET", "/a", 1))
  println(route("POST", "/items", 11))
  println(route("POST", "/items", 3))
  println(route("POST", "/items", 5))
  println(route("PUT", "/items", -1))
  println(route("GET", "/b", 4))
  println(route("DELETE", "/c", 7))
  println(route("DELETE", "/c", 8))
  println("#{scale(0.0)} #{scale(-0.0)} #{scale(1.5)} #{scale(2.0)}")
  println("#{flags(true, true)} #{flags(false, false)} #{flags(true, false)} #{flags(false, true)}")
  for n in [200, 201, 202, 301, 404, 500, -1, 418] do
    println(code(n))
  end
end
