# spec: stdlib §2 — IO.read_line returns Ok("") at end of input (the harness closes stdin).
fn main() do
  case IO.read_line() do
    Ok(line) -> println("ok [#{line}] #{String.length(line)}")
    Err(e) -> println("error: #{e}")
  end
  let again = io_read_line()
  println("#{again == Ok("")}")
end
