# test: opt=2
# Struct parameters of self-recursive loops are carried in their fields when optimising
# (mir/src/opt.rs): the results must be those of the plain program in every shape of use.
struct P do
  x :: Int
  y :: Int
  name :: String
end

struct V do
  dx :: Float
  dy :: Float
end

# Reassigned each iteration, fields read.
fn walk(n :: Int, p :: P) -> P do
  if n == 0 do p else walk(n - 1, %{p | x: p.x + 1, y: p.y + p.x}) end
end

# Two struct parameters swapped every iteration.
fn swap(n :: Int, a :: P, b :: P) -> String do
  if n == 0 do "#{a.name}/#{b.name}" else swap(n - 1, b, a) end
end

# One parameter changes, the other is passed along unchanged; the whole struct escapes
# into a list, a closure and a call.
fn collect(n :: Int, p :: P, fixed :: P, acc :: List<P>) -> List<P> do
  if n == 0 do
    List.reverse(acc)
  else
    let f = fn -> p.x + fixed.y end
    collect(n - 1, %{p | x: f()}, fixed, [p] ++ acc)
  end
end

fn describe(p :: P) -> String = "#{p.name}(#{p.x},#{p.y})"

# Floats, and the struct given to another function on every iteration.
fn step(v :: V) -> V = V { dx: v.dx * 0.5, dy: v.dy + 1.0 }

fn settle(n :: Int, v :: V, total :: Float) -> Float do
  if n == 0 do total + v.dx + v.dy else settle(n - 1, step(v), total + v.dx) end
end

# A loop through `case` arms, returning the struct itself.
fn bounce(n :: Int, p :: P) -> P do
  case n do
    0 -> p
    k when k % 2 == 0 -> bounce(k - 1, %{p | name: p.name <> "e"})
    k -> bounce(k - 1, %{p | name: p.name <> "o"})
  end
end

fn main() do
  let start = P { x: 1, y: 0, name: "p" }
  let w = walk(1000000, start)
  println("walk #{w.x} #{w.y} #{start.x}")
  println("swap #{swap(3, start, %{start | name: "q"})} #{swap(4, start, %{start | name: "q"})}")
  let fixed = P { x: 0, y: 10, name: "fixed" }
  let ps = collect(4, start, fixed, [])
  println(String.join(List.map(ps, describe), " "))
  println("settle #{settle(10, V { dx: 64.0, dy: 0.0 }, 0.0)}")
  println("bounce #{bounce(5, start).name}")
end
