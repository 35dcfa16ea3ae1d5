# Type aliases, generic structs and sum types (a recursive Tree), explicit and inferred
# generic functions used at several types.
pub type JobId = String
type Pair = (Int, Int)

struct Box<T> do
  value :: T
end

type Tree<T> do
  Leaf
  Node(Tree<T>, T, Tree<T>)
end

fn id<T>(x :: T) -> T = x

fn identity(x) do x end

fn unbox<T>(b :: Box<T>) -> T = b.value

fn size(t) do
  case t do
    Leaf -> 0
    Node(l, _, r) -> size(l) + 1 + size(r)
  end
end

fn sum(t :: Tree<Int>) -> Int do
  case t do
    Leaf -> 0
    Node(l, v, r) -> sum(l) + v + sum(r)
  end
end

fn first(p :: Pair) -> Int do
  let (a, _) = p
  a
end

fn main() do
  let j :: JobId = "job-1"
  println(j)
  println("#{id(1)} #{id("s")} #{identity(2.5)} #{identity(true)}")
  println("#{unbox(Box { value: 7 })} #{unbox(Box { value: "seven" })}")
  let t = Node(Node(Leaf, 1, Leaf), 2, Node(Leaf, 3, Leaf))
  println("#{size(t)} #{sum(t)}")
  println("#{first((4, 5))}")
end
