# test: timeout=60
# issue 5: values built early keep their contents through thousands of collections caused by
# short-lived garbage allocated around them.
struct Account do
  name :: String
  balance :: Int
  tags :: List<String>
end

type Shape do
  Circle(Float)
  Rect(Int, Int)
  Named(String, Shape)
end

fn accounts(i :: Int, acc :: List<Account>) -> List<Account> do
  if i == 0 do
    acc
  else
    let a = Account { name: "account-#{i}", balance: i * 100, tags: ["t#{i}", "x#{i * 2}"] }
    accounts(i - 1, List.prepend(acc, a))
  end
end

fn garbage(i :: Int, acc :: Int) -> Int do
  if i == 0 do
    acc
  else
    let s = "garbage #{i} " <> "#{i * 3}" <> " more garbage text to fill the heap"
    let pair = (s, [i, i + 1, i + 2])
    let (text, xs) = pair
    garbage(i - 1, acc + String.length(text) + List.length(xs))
  end
end

fn total(xs :: List<Account>, acc :: Int) -> Int do
  if List.is_empty(xs) do
    acc
  else
    let a = List.head(xs)
    total(List.tail(xs), acc + a.balance + String.length(a.name) + List.length(a.tags))
  end
end

fn main() do
  let kept = accounts(2000, [])
  let shape = Named("outer", Named("inner", Rect(3, 4)))
  let index = Map.new() |> Map.put("first", List.head(kept).name) |> Map.put("last", List.last(kept).name)
  let before = total(kept, 0)
  println("#{garbage(1500000, 0)}")
  println("#{before} #{total(kept, 0)}")
  println("#{List.get(kept, 1234).name} #{List.get(kept, 1234).tags}")
  println("#{Map.get(index, "first")} #{Map.get(index, "last")}")
  case shape do
    Named(a, Named(b, Rect(w, h))) -> println("#{a} #{b} #{w * h}")
    _ -> println("lost")
  end
end
