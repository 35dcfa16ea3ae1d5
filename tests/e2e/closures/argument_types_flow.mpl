# A closure passed to a function gets its parameter types from the call: the other
# arguments are checked first, so the closure body can read fields and use tuple helpers.
struct User do
  name :: String
  age :: Int
end

fn apply_twice(x :: Int, f :: Fun(Int) -> Int) -> Int do
  f(f(x))
end

fn main() do
  let users = [User { name: "ana", age: 17 }, User { name: "bo", age: 30 }]
  let young = List.filter(users, fn u -> u.age < 20 end)
  println("#{List.map(young, fn u -> u.name end)}")
  let pairs = [(1, "one"), (2, "two")]
  println("#{List.map(pairs, fn p -> Tuple.second(p) end)}")
  println("#{users.map(fn u -> "#{u.name}:#{u.age}" end)}")
  println("#{apply_twice(5, fn n -> n * 3 end)}")
  let total = List.reduce(users, 0, fn acc, u -> acc + u.age end)
  println("#{total}")
end
