# Multi-clause functions with literal patterns and guards; `?` on Result and Option.
# test: exit=101
fn fact(0) = 1
fn fact(n) when n > 0 = n * fact(n - 1)

fn label(true) = "on"
fn label(false) = "off"

fn sum_to(0, acc) = acc
fn sum_to(n, acc) = sum_to(n - 1, acc + n)

fn parse_pos(n :: Int) -> Int ! String do
  if n > 0 do Ok(n) else Err("not positive: #{n}") end
end

fn doubled(n :: Int) -> Int ! String do
  let v = parse_pos(n)?
  Ok(v * 2)
end

fn first_some(a, b) do
  let x = a?
  let y = b?
  Some(x + y)
end

fn show(r) do
  case r do
    Ok(v) -> "ok #{v}"
    Err(e) -> "err #{e}"
  end
end

fn main() do
  println("#{fact(10)} #{label(true)} #{label(false)} #{sum_to(1000000, 0)}")
  println(show(doubled(21)))
  println(show(doubled(-1)))
  let s = case first_some(Some(1), Some(2)) do
    Some(v) -> "#{v}"
    None -> "none"
  end
  println(s)
  let n = case first_some(Some(1), None) do
    Some(v) -> "#{v}"
    None -> "none"
  end
  println(n)
  println("#{fact(-1)}")
end
