# test: timeout=60
# issue 5: the binary-trees pattern: many short-lived trees next to one long-lived tree.
type Tree do
  Leaf
  Node(Tree, Tree)
end

fn make(depth :: Int) -> Tree do
  if depth == 0 do
    Node(Leaf, Leaf)
  else
    Node(make(depth - 1), make(depth - 1))
  end
end

fn check(t :: Tree) -> Int do
  case t do
    Leaf -> 0
    Node(l, r) -> 1 + check(l) + check(r)
  end
end

fn iterate(i :: Int, depth :: Int, acc :: Int) -> Int do
  if i == 0 do
    acc
  else
    iterate(i - 1, depth, acc + check(make(depth)))
  end
end

fn depths(d :: Int, max :: Int) -> Int do
  if d > max do
    0
  else
    let n = 1 * pow2(max - d + 4)
    println("#{n} trees of depth #{d} check #{iterate(n, d, 0)}")
    depths(d + 2, max)
  end
end

fn pow2(n :: Int) -> Int = if n == 0 do 1 else 2 * pow2(n - 1) end

fn main() do
  let long_lived = make(14)
  depths(4, 12)
  println("long lived tree of depth 14 check #{check(long_lived)}")
end
