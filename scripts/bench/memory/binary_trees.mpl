# Benchmark: binary-trees (Benchmarks Game shape): a long-lived tree, then many short-lived
# trees of growing depth, each built and walked once.
type Tree do
  Leaf
  Node(Tree, Tree)
end

fn make(depth :: Int) -> Tree do
  if depth == 0 do Node(Leaf, Leaf) else Node(make(depth - 1), make(depth - 1)) end
end

fn check(t :: Tree) -> Int do
  case t do
    Leaf -> 0
    Node(l, r) -> 1 + check(l) + check(r)
  end
end

fn iterate(i :: Int, depth :: Int, acc :: Int) -> Int do
  if i == 0 do acc else iterate(i - 1, depth, acc + check(make(depth))) end
end

fn pow2(n :: Int) -> Int = if n == 0 do 1 else 2 * pow2(n - 1) end

fn depths(d :: Int, max :: Int) -> Int do
  if d > max do
    0
  else
    let n = pow2(max - d + 4)
    println("#{n} trees of depth #{d} check #{iterate(n, d, 0)}")
    depths(d + 2, max)
  end
end

fn main() do
  let max = 18
  println("stretch tree of depth #{max + 1} check #{check(make(max + 1))}")
  let long_lived = make(max)
  depths(4, max)
  println("long lived tree of depth #{max} check #{check(long_lived)}")
end
