# Own types named List, Map, Set, Queue and Iter; the literals and stdlib modules of those
# names still build and use the stdlib collections.
pub type List do
  Nil
  Cons(Int, List)
end deriving(Display, Eq)

pub struct Map do
  width :: Int
  height :: Int
end deriving(Display, Eq)

pub struct Set do
  members :: String
end deriving(Display)

pub struct Queue do
  waiting :: Int
end deriving(Display, Eq)

pub struct Iter do
  step :: Int
end deriving(Display)

pub fn from_ints(xs) -> List do
  case xs do
    x :: rest -> Cons(x, from_ints(rest))
    _ -> Nil
  end
end

pub fn sum(l :: List) -> Int do
  case l do
    Nil -> 0
    Cons(x, rest) -> x + sum(rest)
  end
end

pub fn area(m :: Map) -> Int = m.width * m.height

pub fn demo() -> String do
  let l = from_ints([1, 2, 3])
  let m = Map { width: 2, height: 5 }
  let s = Set { members: "abc" }
  let q = Queue { waiting: 4 }
  let it = Iter { step: 2 }
  let stdlib_map = Map.put(%{"a" => 1}, "b", 2)
  let stdlib_set = Set.add(Set.new(), 7)
  let stdlib_queue = Queue.push(Queue.new(), 9)
  let stdlib_iter = Iter.sum(Iter.map(Iter.from([1, 2, 3]), fn x -> x * it.step end))
  let own = "#{l} #{sum(l)} #{l == Cons(1, Cons(2, Cons(3, Nil)))} #{m} #{area(m)} #{s} #{q} #{it}"
  own <> "\n#{Map.size(stdlib_map)} #{Set.size(stdlib_set)} #{Queue.size(stdlib_queue)} #{stdlib_iter} #{List.length([1, 2])}"
end
