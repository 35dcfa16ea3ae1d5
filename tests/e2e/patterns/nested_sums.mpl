# Nested sum-in-sum patterns: a constructor's payload is matched against constructors again,
# and rows that share an outer constructor but differ inside pick the first matching row.
type Expr do
  Num(Int)
  Neg(Expr)
  Add(Expr, Expr)
  Mul(Expr, Expr)
end

fn show(e) do
  case e do
    Num(n) -> "#{n}"
    Neg(x) -> "-#{show(x)}"
    Add(a, b) -> "(#{show(a)} + #{show(b)})"
    Mul(a, b) -> "(#{show(a)} * #{show(b)})"
  end
end

# One rewrite step at the root.
fn simplify(e) do
  case e do
    Add(Num(0), x) -> x
    Add(x, Num(0)) -> x
    Mul(Num(0), _) -> Num(0)
    Mul(_, Num(0)) -> Num(0)
    Mul(Num(1), x) -> x
    Mul(x, Num(1)) -> x
    Neg(Neg(x)) -> x
    Neg(Num(n)) -> Num(0 - n)
    Add(Num(a), Num(b)) -> Num(a + b)
    other -> other
  end
end

fn classify(r) do
  case r do
    Ok(Some(Ok(n))) -> "deep ok #{n}"
    Ok(Some(Err(m))) -> "inner error #{m}"
    Ok(None) -> "nothing"
    Err(Some(m)) -> "outer error #{m}"
    Err(None) -> "silent error"
  end
end

fn main() do
  let samples = [
    Add(Num(0), Num(5)),
    Add(Num(5), Num(0)),
    Add(Num(0), Num(0)),
    Mul(Num(0), Num(9)),
    Mul(Num(9), Num(0)),
    Mul(Num(1), Neg(Num(2))),
    Mul(Num(3), Num(1)),
    Neg(Neg(Num(4))),
    Neg(Num(6)),
    Add(Num(2), Num(3)),
    Mul(Num(2), Num(3)),
    Neg(Add(Num(1), Num(1)))
  ]
  for e in samples do
    println("#{show(e)} => #{show(simplify(e))}")
  end
  let rs = [Ok(Some(Ok(1))), Ok(Some(Err("bad"))), Ok(None), Err(Some("worse")), Err(None)]
  for r in rs do
    println(classify(r))
  end
end
