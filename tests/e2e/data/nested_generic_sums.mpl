# A generic recursive sum type with structural equality, ordering and Display.
type Tree<T> do
  Leaf
  Node(Tree<T>, T, Tree<T>)
end deriving(Eq, Ord, Display)

fn insert(t :: Tree<Int>, v :: Int) -> Tree<Int> do
  case t do
    Leaf -> Node(Leaf, v, Leaf)
    Node(l, x, r) when v < x -> Node(insert(l, v), x, r)
    Node(l, x, r) when v > x -> Node(l, x, insert(r, v))
    Node(_, _, _) -> t
  end
end

fn depth(t) do
  case t do
    Leaf -> 0
    Node(l, _, r) -> do
      let a = depth(l)
      let b = depth(r)
      if a > b do a + 1 else b + 1 end
    end
  end
end

fn main() do
  let t = insert(insert(insert(Leaf, 5), 3), 8)
  println("#{t}")
  println("#{depth(t)} #{t == insert(insert(insert(Leaf, 5), 8), 3)} #{Leaf < t}")
end
