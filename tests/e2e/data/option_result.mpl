# Option and Result are ordinary sum types; `T ! E` and `T?` are their sugar.
fn safe_div(a :: Int, b :: Int) -> Int ! String do
  if b == 0 do Err("division by zero") else Ok(a / b) end
end

fn first_positive(a :: Int, b :: Int) -> Int? do
  if a > 0 do Some(a) else if b > 0 do Some(b) else None end
end

fn describe(r) do
  case r do
    Ok(v) -> "ok #{v}"
    Err(e) -> "error: #{e}"
  end
end

fn show(o) do
  case o do
    Some(v) -> "some #{v}"
    None -> "none"
  end
end

fn main() do
  println(describe(safe_div(10, 2)))
  println(describe(safe_div(1, 0)))
  println(show(first_positive(-1, 7)))
  println(show(first_positive(-1, -7)))
  let any_ok = case safe_div(4, 2) do
    Ok -> "payload ignored"
    Err -> "failed"
  end
  println(any_ok)
end
