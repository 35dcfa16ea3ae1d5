# spec: language §3.6, §5.2 — `TryFrom<Int>` and `TryFrom<String>` for one type: `try_into()`
# picks the impl by the receiver's type, `Port.try_from` by the argument's.
struct Port do
  number :: Int
end

impl TryFrom<Int> for Port do
  fn try_from(n :: Int) -> Result<Port, String> do
    if n > 0 and n < 65536 do Ok(Port { number: n }) else Err("#{n} is out of range") end
  end
end

impl TryFrom<String> for Port do
  fn try_from(s :: String) -> Result<Port, String> do
    case s do
      "http" -> Ok(Port { number: 80 })
      "https" -> Ok(Port { number: 443 })
      _ -> Err("unknown service #{s}")
    end
  end
end

fn show(r :: Result<Port, String>) -> String do
  case r do
    Ok(p) -> "port #{p.number}"
    Err(e) -> e
  end
end

fn main() do
  let a :: Result<Port, String> = 8080.try_into()
  let b :: Result<Port, String> = "https".try_into()
  let c :: Result<Port, String> = 70000.try_into()
  let d :: Result<Port, String> = "gopher".try_into()
  println(show(a))
  println(show(b))
  println(show(c))
  println(show(d))
  println(show(Port.try_from("http")))
  println(show(Port.try_from(22)))
end
